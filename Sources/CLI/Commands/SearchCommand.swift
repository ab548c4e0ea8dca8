import ArgumentParser
import Foundation
import Index
import Logging
import Search

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Search a project.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "The query: words, \"exact phrases\", -excluded, prefix*.") var query: String
    @Option(help: "Project id or slug.") var project: String
    @Option(help: "hybrid, fulltext or semantic.") var mode: SearchMode = SearchRequest.defaultMode
    @Option(help: "Hits per page (1–100).") var limit = SearchRequest.defaultLimit
    @Option(help: "Hits to skip.") var offset = 0
    @Option(help: "Only paths starting with this.") var pathPrefix: String?
    @Option(help: "Only documents with this tag.") var tag: String?
    @Option(help: "standard (phrases, -exclusions, prefix*) or plain (words only).") var syntax: QuerySyntax = .standard
    @Flag(help: "Print the HTTP response body (without its request id).") var json = false

    func run() async throws {
        try await run(with: try await store.openStore())
    }

    private func run(with opened: some LoreStore) async throws {
        let target = try await store.resolveProject(project, in: opened)
        let request = try SearchRequest(
            text: query, projectIDs: [target.id], mode: mode,
            filter: DocumentFilter(pathPrefix: pathPrefix, tag: tag), offset: offset, limit: limit, syntax: syntax)
        let engine = await Engine.start(store: opened, options: try Settings().engineOptions(fullTextOnly: mode == .fulltext),
                                        logger: Logger(label: "lore.search"))
        let response = try await engine.search.search(request)
        await opened.close()
        if json {
            try JSONOutput.print(response.body)
            return
        }
        if let reason = response.fallbackReason { Terminal.writeError("note: \(reason)") }
        if response.relaxed { Terminal.writeError("note: no document has every quoted phrase; searched the words instead") }
        let bold = Terminal.isInteractive
        for (index, hit) in response.hits.enumerated() {
            let heading = hit.chunk.heading.isEmpty ? "" : "  § \(hit.chunk.heading)"
            print("\(response.offset + index + 1). \(hit.path) — \(hit.title)\(heading)  [\(String(format: "%.3f", hit.score))]")
            print("   \(Snippet.plainText(hit.snippet, open: bold ? "\u{1B}[1m" : "[", close: bold ? "\u{1B}[0m" : "]"))")
        }
        Terminal.writeError("\(response.total) documents matched (\(String(format: "%.1f", response.tookMs)) ms)")
    }
}

extension SearchMode: ExpressibleByArgument {}
extension QuerySyntax: ExpressibleByArgument {}
