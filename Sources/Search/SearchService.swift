import Foundation
import Index
import Logging
import Vectors

/// The one search entry point that HTTP, MCP and the command line share.
///
/// Parses the query once and runs the paths the mode asks for: full text (BM25 over chunks),
/// semantic (cosine over chunk vectors) or both fused (reciprocal rank fusion by default, or a
/// linear blend). It falls back to full text when there is no embedder, the embedder fails, or
/// the projects have no vectors yet, and says so in ``SearchResponse/fallbackReason``.
public struct SearchService<Store: DocumentStore & EmbeddingStore>: Sendable {
    public let store: Store
    public let semantic: SemanticSearcher?
    /// Why a semantic or hybrid search runs as full text when there is no ``semantic`` side.
    let semanticMissingReason: String
    let parser: QueryParser
    /// Counts the tokens of hits for `maxTokens`.
    let answerTokens: AnswerTokens
    let logger: Logger

    /// How many candidates each path contributes to a fused ranking, at least.
    static var fusionDepth: Int { 100 }
    /// The deepest a fused or semantic ranking goes.
    static var maximumDepth: Int { 1_000 }
    /// Hybrid search's pseudo-relevance feedback: the best chunks of the top fused documents
    /// that both paths ranked in their top ``feedbackAgreement`` (at most ``feedbackDocuments``)
    /// move the query vector (Rocchio, ``feedbackWeight``) before the semantic path ranks again
    /// and the two are fused once more. Feedback from documents only one path believes in drifts
    /// (Medline lost 0.01 nDCG@10 to it); agreed ones lift both public collections. Chosen by
    /// the mean nDCG@10 over Cranfield and Medline (BENCHMARKS.md). It costs one more scan of
    /// the vectors (+1.5 ms median on Cranfield).
    static var feedbackDocuments: Int { 4 }
    static var feedbackAgreement: Int { 20 }
    static var feedbackWeight: Float { 1.0 }

    public init(store: Store, semantic: SemanticSearcher? = nil, semanticMissingReason: String = "no embedder is configured",
                parser: QueryParser = QueryParser(), answerTokens: AnswerTokens = .upperBound,
                logger: Logger = Logger(label: "lore.search")) {
        self.store = store
        self.semantic = semantic
        self.semanticMissingReason = semanticMissingReason
        self.parser = parser
        self.answerTokens = answerTokens
        self.logger = logger
    }

    /// Runs `request`; throws ``SearchError/invalid(field:reason:)`` for a query that holds
    /// nothing searchable.
    public func search(_ request: SearchRequest) async throws -> SearchResponse {
        let started = ContinuousClock.now
        let query: ParsedQuery
        do {
            query = try ParsedQuery(request.text, syntax: request.syntax, parser: parser)
        } catch {
            guard case .invalid(let field, let reason) = error else { throw error }
            throw SearchError.invalid(field: field, reason: reason)
        }
        var response: SearchResponse
        if request.mode == .fulltext {
            response = try await fullText(query, request)
        } else {
            let depth = min(Self.maximumDepth, max(Self.fusionDepth, request.offset + request.limit))
            switch await semanticRanking(request, depth: depth) {
            case .failure(let reason):
                response = try await fullText(query, request)
                response.fallbackReason = reason.message
            case .success(let semantic) where request.mode == .semantic:
                response = try await semanticOnly(semantic.ranking.matches, request)
            case .success(let semantic):
                response = try await hybrid(query, semantic, request, depth: depth)
            }
        }
        // Isolation, the last step: a hit leaves the engine only if it belongs to a searched
        // project (each path also keeps to live documents of these projects on its own).
        let searched = Set(request.projectIDs)
        response.hits.removeAll { !searched.contains($0.projectId) }
        let sources = try await store.documentSources(response.hits.map(\.documentId))
        for index in response.hits.indices { response.hits[index].source = sources[response.hits[index].documentId] }
        if let maxTokens = request.maxTokens {
            (response.hits, response.truncated) = AnswerBudget(tokens: answerTokens, maxTokens: maxTokens).fit(response.hits)
        }
        response.requestedMode = request.mode
        response.query = request.text
        response.syntax = request.syntax
        response.tookMs = started.duration(to: .now).milliseconds
        return response
    }

    // MARK: Paths

    /// The query as parsed, and as plain words when its phrases or exclusions may be relaxed.
    struct ParsedQuery {
        var query: SearchQuery
        /// The same text read as plain words, when the standard syntax gave it a required phrase
        /// or an exclusion; `nil` otherwise.
        var relaxed: SearchQuery?

        init(_ text: String, syntax: QuerySyntax, parser: QueryParser) throws(IndexError) {
            query = try parser.parse(text, syntax: syntax)
            let strict = !query.required.isEmpty || !query.excluded.isEmpty
            relaxed = syntax == .standard && strict ? try? parser.parse(text, syntax: .plain) : nil
        }
    }

    /// The full-text ranking of the query. When a required phrase or an exclusion leaves no
    /// document at all, the text is read again as plain words (and the answer says so): a
    /// question with quotes in it should not come back empty for want of an exact phrase.
    private func lexical(
        _ parsed: ParsedQuery, _ request: SearchRequest, offset: Int, limit: Int, includesSnippets: Bool = true
    ) async throws -> (results: FullTextResults, query: SearchQuery, relaxed: Bool) {
        func run(_ query: SearchQuery) async throws -> FullTextResults {
            try await store.searchFullText(FullTextRequest(
                query: query, projectIDs: request.projectIDs, filter: request.filter, offset: offset, limit: limit,
                includesSnippets: includesSnippets))
        }
        let strict = try await run(parsed.query)
        guard strict.total == 0, let plain = parsed.relaxed else { return (strict, parsed.query, false) }
        return (try await run(plain), plain, true)
    }

    private func fullText(_ query: ParsedQuery, _ request: SearchRequest) async throws -> SearchResponse {
        let (results, _, relaxed) = try await lexical(query, request, offset: request.offset, limit: request.limit)
        let hits = results.hits.map { hit in
            SearchHit(
                documentId: hit.documentId, projectId: hit.projectId, path: hit.path, title: hit.title,
                score: hit.score, snippet: hit.snippet, matchedBy: ["fulltext"], ranks: ["fulltext": hit.rank],
                chunk: .init(index: hit.chunkIndex, heading: hit.chunkHeading))
        }
        return SearchResponse(hits: hits, total: results.total, mode: .fulltext, requestedMode: request.mode,
                              fallbackReason: nil, offset: request.offset, limit: request.limit, tookMs: 0, relaxed: relaxed)
    }

    /// The semantic ranking of a request, with the documents its filter allows.
    struct SemanticResult: Sendable {
        var ranking: SemanticSearcher.Ranking
        var allowed: Set<UUID>?
    }

    private func semanticRanking(_ request: SearchRequest, depth: Int) async -> Result<SemanticResult, FallbackReason> {
        guard let semantic else { return .failure(FallbackReason(semanticMissingReason)) }
        do {
            let hasFilter = request.filter.pathPrefix != nil || request.filter.tag != nil
            let allowed = hasFilter ? try await store.documentIDs(in: request.projectIDs, filter: request.filter) : nil
            let ranking = try await semantic.rank(request.text, projectIDs: request.projectIDs, allowed: allowed, depth: depth, store: store)
            return .success(SemanticResult(ranking: ranking, allowed: allowed))
        } catch SemanticSearcher.Unavailable.noVectors {
            return .failure(FallbackReason("no embeddings yet for these documents"))
        } catch SemanticSearcher.Unavailable.embedderFailed(let message) {
            logger.warning("embedder failed; answering with full text", metadata: ["error": .string(message)])
            return .failure(FallbackReason("the embedder failed"))
        } catch {
            logger.warning("semantic search failed; answering with full text", metadata: ["error": .string("\(error)")])
            return .failure(FallbackReason("semantic search failed"))
        }
    }

    private func semanticOnly(_ matches: [SemanticSearcher.DocumentMatch], _ request: SearchRequest) async throws -> SearchResponse {
        let page = matches.enumerated().dropFirst(request.offset).prefix(request.limit)
        let hits = page.map { rank, match in
            SearchHit(
                documentId: match.excerpt.documentID, projectId: match.excerpt.projectID, path: match.excerpt.path,
                title: match.excerpt.title, score: match.score, snippet: Self.plainSnippet(match.excerpt.text),
                matchedBy: ["semantic"], ranks: ["semantic": rank + 1],
                chunk: .init(index: match.excerpt.position, heading: match.excerpt.heading))
        }
        return SearchResponse(hits: hits, total: matches.count, mode: .semantic, requestedMode: request.mode,
                              fallbackReason: nil, offset: request.offset, limit: request.limit, tookMs: 0)
    }

    private func hybrid(
        _ parsed: ParsedQuery, _ semanticResult: SemanticResult, _ request: SearchRequest, depth: Int
    ) async throws -> SearchResponse {
        let (lexical, query, relaxed) = try await self.lexical(parsed, request, offset: 0, limit: depth, includesSnippets: false)
        let fulltextRanking = lexical.hits.map { Fusion.Ranked(documentID: $0.documentId, rank: $0.rank, score: $0.score) }
        func fuse(_ matches: [SemanticSearcher.DocumentMatch]) -> [Fusion.Fused] {
            let semanticRanking = matches.enumerated().map { index, match in
                Fusion.Ranked(documentID: match.excerpt.documentID, rank: index + 1, score: match.score)
            }
            return request.fusion == .rrf
                ? Fusion.reciprocalRank(fulltext: fulltextRanking, semantic: semanticRanking)
                : Fusion.linear(fulltext: fulltextRanking, semantic: semanticRanking, semanticRatio: request.semanticRatio)
        }
        var matches = semanticResult.ranking.matches
        var fused = fuse(matches)
        if let semantic, Self.feedbackDocuments > 0 {
            let byDocument = Dictionary(matches.map { ($0.excerpt.documentID, $0) }, uniquingKeysWith: { first, _ in first })
            let feedback = fused.sorted {
                $0.score != $1.score ? $0.score > $1.score : $0.documentID.uuidString < $1.documentID.uuidString
            }.lazy.filter { hit in
                (hit.fulltext?.rank ?? .max) <= Self.feedbackAgreement && (hit.semantic?.rank ?? .max) <= Self.feedbackAgreement
            }.compactMap { byDocument[$0.documentID] }.prefix(Self.feedbackDocuments)
            do {
                let refined = try await semantic.refine(
                    semanticResult.ranking, feedback: Array(feedback), weight: Self.feedbackWeight,
                    projectIDs: request.projectIDs, allowed: semanticResult.allowed, depth: depth, store: store)
                matches = refined.matches
                fused = fuse(matches)
            } catch SemanticSearcher.Unavailable.noVectors {
                // Every vector the first ranking met was stale and has been forgotten.
            } catch {
                logger.warning("feedback ranking failed; keeping the first", metadata: ["error": .string("\(error)")])
            }
        }
        let lexicalByDocument = Dictionary(lexical.hits.map { ($0.documentId, $0) }, uniquingKeysWith: { first, _ in first })
        let semanticByDocument = Dictionary(matches.map { ($0.excerpt.documentID, $0) }, uniquingKeysWith: { first, _ in first })
        func path(_ id: UUID) -> String { lexicalByDocument[id]?.path ?? semanticByDocument[id]?.excerpt.path ?? "" }
        let ordered = fused.sorted { left, right in
            left.score != right.score ? left.score > right.score : path(left.documentID) < path(right.documentID)
        }
        let page = Array(ordered.dropFirst(request.offset).prefix(request.limit))
        let lexicalChunks = page.compactMap { lexicalByDocument[$0.documentID]?.chunkId }
        let snippets = try await store.snippets(for: query, projectIDs: request.projectIDs, chunkIDs: lexicalChunks)
        let hits = page.map { fusedHit -> SearchHit in
            var matchedBy: [String] = []
            var ranks: [String: Int] = [:]
            if let rank = fusedHit.fulltext?.rank { matchedBy.append("fulltext"); ranks["fulltext"] = rank }
            if let rank = fusedHit.semantic?.rank { matchedBy.append("semantic"); ranks["semantic"] = rank }
            if let lexicalHit = lexicalByDocument[fusedHit.documentID] {
                return SearchHit(
                    documentId: lexicalHit.documentId, projectId: lexicalHit.projectId, path: lexicalHit.path,
                    title: lexicalHit.title, score: fusedHit.score,
                    snippet: snippets[lexicalHit.chunkId] ?? semanticByDocument[fusedHit.documentID].map { Self.plainSnippet($0.excerpt.text) } ?? "",
                    matchedBy: matchedBy, ranks: ranks, chunk: .init(index: lexicalHit.chunkIndex, heading: lexicalHit.chunkHeading))
            }
            let excerpt = semanticByDocument[fusedHit.documentID]!.excerpt
            return SearchHit(
                documentId: excerpt.documentID, projectId: excerpt.projectID, path: excerpt.path, title: excerpt.title,
                score: fusedHit.score, snippet: Self.plainSnippet(excerpt.text), matchedBy: matchedBy, ranks: ranks,
                chunk: .init(index: excerpt.position, heading: excerpt.heading))
        }
        return SearchResponse(hits: hits, total: max(lexical.total, ordered.count), mode: .hybrid, requestedMode: request.mode,
                              fallbackReason: nil, offset: request.offset, limit: request.limit, tookMs: 0, relaxed: relaxed)
    }

    /// The start of a passage as a snippet: HTML-escaped, about 200 characters, cut at a word.
    static func plainSnippet(_ text: String) -> String {
        let flattened = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard flattened.count > 200 else { return Snippet.escape(flattened) }
        var cut = String(flattened.prefix(200))
        if let space = cut.lastIndex(of: " ") { cut = String(cut[..<space]) }
        return Snippet.escape(cut) + "…"
    }
}

/// A reason the search fell back to full text, as the response states it.
struct FallbackReason: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

extension Duration {
    /// The duration in milliseconds, with fractions.
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1_000 + Double(attoseconds) / 1e15
    }
}
