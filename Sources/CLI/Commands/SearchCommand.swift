import ArgumentParser
import Foundation
import Index
import Search
import Vectors

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Search a project.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "The query: words, \"exact phrases\", -excluded, prefix*.") var query: String
    @Option(help: "Project id or slug.") var project: String
    @Option(help: "hybrid, fulltext or semantic.") var mode: SearchMode = .hybrid
    @Option(help: "Hits per page (1–100).") var limit = SearchRequest.defaultLimit
    @Option(help: "Hits to skip.") var offset = 0
    @Option(help: "Only paths starting with this.") var pathPrefix: String?
    @Option(help: "Only documents with this tag.") var tag: String?
    @Flag(help: "Print the HTTP response body's JSON shape.") var json = false

    func run() async throws {
        try await run(with: try await store.openStore())
    }

    private func run(with opened: some LoreStore) async throws {
        let target = try await store.resolveProject(project, in: opened)
        let request = try SearchRequest(
            text: query, projectIDs: [target.id], mode: mode,
            filter: DocumentFilter(pathPrefix: pathPrefix, tag: tag), offset: offset, limit: limit)
        var semantic: SemanticSearcher?
        if mode != .fulltext {
            do {
                semantic = try await EmbedderSettings(environment: Settings().variables).makeEmbedder()
                    .map { SemanticSearcher.make(embedder: $0, store: opened) }
            } catch {
                Terminal.writeError("warning: the embedder could not start (\(error)); searching full text only")
            }
        }
        let response = try await SearchService(store: opened, semantic: semantic).search(request)
        if json {
            try JSONOutput.print(SearchEnvelope(response: response, query: query))
            return
        }
        if let reason = response.fallbackReason { Terminal.writeError("note: \(reason)") }
        for (index, hit) in response.hits.enumerated() {
            let heading = hit.chunk.heading.isEmpty ? "" : "  § \(hit.chunk.heading)"
            print("\(response.offset + index + 1). \(hit.path) — \(hit.title)\(heading)  [\(String(format: "%.3f", hit.score))]")
            print("   \(PlainSnippet.render(hit.snippet))")
        }
        Terminal.writeError("\(response.total) documents matched (\(String(format: "%.1f", response.tookMs)) ms)")
    }
}

extension SearchMode: ExpressibleByArgument {}

/// The body `GET /projects/{id}/search` answers with: `{"data": [...], "meta": {...}}`.
struct SearchEnvelope: Encodable {
    struct Meta: Encodable {
        var query: String
        var mode: SearchMode
        var requestedMode: SearchMode
        var fallbackReason: String?
        var offset: Int
        var limit: Int
        var total: Int
        var tookMs: Double

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(query, forKey: .query)
            try container.encode(mode, forKey: .mode)
            try container.encode(requestedMode, forKey: .requestedMode)
            try container.encode(fallbackReason, forKey: .fallbackReason)
            try container.encode(offset, forKey: .offset)
            try container.encode(limit, forKey: .limit)
            try container.encode(total, forKey: .total)
            try container.encode(tookMs, forKey: .tookMs)
        }

        enum CodingKeys: String, CodingKey {
            case query, mode, requestedMode, fallbackReason, offset, limit, total, tookMs
        }
    }

    var data: [SearchHit]
    var meta: Meta

    init(response: SearchResponse, query: String) {
        data = response.hits
        meta = Meta(query: query, mode: response.mode, requestedMode: response.requestedMode,
                    fallbackReason: response.fallbackReason, offset: response.offset, limit: response.limit,
                    total: response.total, tookMs: response.tookMs)
    }
}

/// Snippets for a terminal: `<mark>` shown as bold, entities decoded.
enum PlainSnippet {
    static func render(_ html: String) -> String {
        let bold = Terminal.isInteractive
        return html
            .replacingOccurrences(of: "<mark>", with: bold ? "\u{1B}[1m" : "[")
            .replacingOccurrences(of: "</mark>", with: bold ? "\u{1B}[0m" : "]")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
            .replacingOccurrences(of: "\n", with: " ")
    }
}
