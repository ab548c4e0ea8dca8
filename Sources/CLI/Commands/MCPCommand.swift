import API
import ArgumentParser
import Foundation
import Index
import Logging
import Search

/// `lore mcp`: MCP over standard input and output, for agents that start Lore as a subprocess.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp", abstract: "Serve MCP over standard input and output (for coding agents).",
        discussion: """
            Opens the configured store directly and serves the project the API key opens; no server is needed. \
            What the agent writes is embedded in this process, and a server sharing the database sees it. \
            Standard output carries only MCP messages; logs go to standard error.
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
        let engine = await Engine.start(store: opened, options: try Settings().engineOptions(), logger: logger)
        try await MCPStdioServer.run(engine: engine, apiKey: key, logger: logger)
        await opened.close()
    }

    private var resolvedKey: String? {
        let key = apiKey ?? Settings().variables["LORE_API_KEY"]
        return key.flatMap { $0.isEmpty ? nil : $0 }
    }
}
