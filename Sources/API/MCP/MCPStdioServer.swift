import Foundation
import Index
import Logging
import MCP
import Search

/// MCP over standard input and output, for `lore mcp`: one client, one project, the store opened
/// directly. Standard output carries only JSON-RPC messages; logs go where `logger` writes
/// (standard error in the command line).
public enum MCPStdioServer {
    /// The API key does not open a project.
    public struct InvalidKey: Error, CustomStringConvertible {
        public var description: String {
            "the API key is invalid: pass a current project API key (lore_…) with --api-key or LORE_API_KEY"
        }
    }

    /// Serves until standard input closes. The key is checked before serving (``InvalidKey``)
    /// and again on every tool call, so a rotated key fails the next call with a message that
    /// says to restart with the new key.
    ///
    /// The engine's background work runs meanwhile: what the agent writes is embedded in this
    /// process (no server is needed), and vectors other processes store are followed.
    public static func run<AppStore: Store>(engine: Engine<AppStore>, apiKey: String, logger: Logger) async throws {
        let store = engine.store
        guard let project = try await store.project(forAPIKey: apiKey) else { throw InvalidKey() }
        logger.info("MCP server on standard input and output", metadata: ["project.id": .string(project.id.apiString)])
        let server = await MCPServerFactory(engine: engine, logger: logger).makeServer {
            guard let current = try await store.project(forAPIKey: apiKey) else { throw MCPToolError.keyRevoked }
            return current
        }
        let background = Task { await engine.run() }
        defer { background.cancel() }
        try await server.start(transport: StdioTransport(logger: logger))
        await server.waitUntilCompleted()
        await server.stop()
        background.cancel()
        _ = await background.value
    }
}
