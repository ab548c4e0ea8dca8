import Foundation
import Index
import Logging

/// The one search entry point that HTTP, MCP and the command line share.
///
/// Parses the query once, runs the full-text path, and reports the mode that actually ran:
/// until an embedder is configured, `hybrid` and `semantic` fall back to full text and say why
/// in ``SearchResponse/fallbackReason``.
public struct SearchService<Store: DocumentStore>: Sendable {
    public let store: Store
    let parser: QueryParser
    let logger: Logger

    public init(store: Store, parser: QueryParser = QueryParser(), logger: Logger = Logger(label: "lore.search")) {
        self.store = store
        self.parser = parser
        self.logger = logger
    }

    /// Runs `request`; throws ``SearchError/invalid(field:reason:)`` for a query that holds
    /// nothing searchable.
    public func search(_ request: SearchRequest) async throws -> SearchResponse {
        let started = ContinuousClock.now
        let query: SearchQuery
        do {
            query = try parser.parse(request.text)
        } catch {
            guard case .invalid(let field, let reason) = error else { throw error }
            throw SearchError.invalid(field: field, reason: reason)
        }
        let results = try await store.searchFullText(FullTextRequest(
            query: query, projectIDs: request.projectIDs, filter: request.filter,
            offset: request.offset, limit: request.limit))
        let hits = results.hits.map { hit in
            SearchHit(
                documentId: hit.documentId, projectId: hit.projectId, path: hit.path, title: hit.title,
                score: hit.score, snippet: hit.snippet, matchedBy: ["fulltext"], ranks: ["fulltext": hit.rank],
                chunk: .init(index: hit.chunkIndex, heading: hit.chunkHeading))
        }
        let fallback: String? = request.mode == .fulltext ? nil : "no embedder is configured: ran full-text search only"
        return SearchResponse(
            hits: hits, total: results.total, mode: .fulltext, requestedMode: request.mode,
            fallbackReason: fallback, offset: request.offset, limit: request.limit,
            tookMs: started.duration(to: .now).milliseconds)
    }
}

extension Duration {
    /// The duration in milliseconds, with fractions.
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1_000 + Double(attoseconds) / 1e15
    }
}
