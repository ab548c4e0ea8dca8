import API
import ArgumentParser
import Foundation
import Index
import Logging
import Search
import Vectors

/// `lore mcp`: MCP over standard input and output, for agents that start Lore as a subprocess.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp", abstract: "Serve MCP over standard input and output (for coding agents).",
        discussion: """
            Opens the configured store directly and serves the project the API key opens. Standard output \
            carries only MCP messages; logs go to standard error.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("The project API key (lore_…); default LORE_API_KEY.", valueName: "key")) var apiKey: String?

    func validate() throws {
        guard resolvedKey != nil else {
            throw ValidationError("pass the project API key with --api-key or LORE_API_KEY")
        }
    }

    func run() async throws {
        try await run(with: try await store.openStore())
    }

    private func run(with opened: some LoreStore) async throws {
        guard let key = resolvedKey else { throw ValidationError("pass the project API key with --api-key or LORE_API_KEY") }
        let logger = Logger(label: "lore.mcp")
        let semantic = await semanticSearcher(over: opened, logger: logger)
        try await MCPStdioServer.run(store: opened, semantic: semantic, apiKey: key, logger: logger)
    }

    private var resolvedKey: String? {
        let key = apiKey ?? Settings().variables["LORE_API_KEY"]
        return key.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The configured embedder's searcher; when it cannot load, search runs as full text (and
    /// says so) rather than the agent losing the whole server.
    private func semanticSearcher(over store: some EmbeddingStore, logger: Logger) async -> SemanticSearcher? {
        do {
            guard let embedder = try await EmbedderSettings(environment: Settings().variables).makeEmbedder() else { return nil }
            return SemanticSearcher.make(embedder: embedder, store: store)
        } catch {
            logger.warning("the embedder is unavailable: search runs as full text", metadata: ["error": .string("\(error)")])
            return nil
        }
    }
}
