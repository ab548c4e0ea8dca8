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
        var expired = false
        public var description: String {
            expired ? "the API key has expired: pass a current project API key (lore_…) with --api-key or LORE_API_KEY"
                : "the API key is invalid: pass a current project API key (lore_…) with --api-key or LORE_API_KEY"
        }
    }

    /// Serves until standard input closes. The key is checked before serving (``InvalidKey``)
    /// and again on every list and call, so a rotated, revoked or expired key fails the next call
    /// with a message that says to restart with a current key. The tools are those the key's
    /// scope allows.
    ///
    /// The engine's background work runs meanwhile: what the agent writes is embedded in this
    /// process (no server is needed), and vectors other processes store are followed.
    public static func run<AppStore: Store>(engine: Engine<AppStore>, apiKey: String, logger: Logger) async throws {
        let store = engine.store
        let project: Project
        switch try await store.check(apiKey: apiKey) {
        case .granted(let grant): project = grant.project
        case .expired: throw InvalidKey(expired: true)
        case .invalid: throw InvalidKey()
        }
        logger.info("MCP server on standard input and output", metadata: ["project.id": .string(project.id.apiString)])
        let server = await MCPServerFactory(engine: engine, logger: logger).makeServer {
            switch try await store.check(apiKey: apiKey) {
            case .granted(let grant): return grant
            case .expired: throw MCPToolError.keyExpired
            case .invalid: throw MCPToolError.keyRevoked
            }
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
