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
    /// `semantic` is the vector side of search, `nil` when no embedder is configured (search then
    /// runs as full text and says so).
    public static func run<AppStore: Store>(
        store: AppStore, semantic: SemanticSearcher?, apiKey: String, logger: Logger
    ) async throws {
        guard let project = try await project(forKey: apiKey, in: store) else { throw InvalidKey() }
        logger.info("MCP server on standard input and output", metadata: ["project.id": .string(project.id.apiString)])
        let search = SearchService(store: store, semantic: semantic, logger: logger)
        let server = await MCPServerFactory(store: store, search: search, logger: logger).makeServer {
            guard let current = try await Self.project(forKey: apiKey, in: store) else { throw MCPToolError.keyRevoked }
            return current
        }
        try await server.start(transport: StdioTransport(logger: logger))
        await server.waitUntilCompleted()
        await server.stop()
    }

    private static func project<AppStore: Store>(forKey key: String, in store: AppStore) async throws -> Project? {
        guard key.hasPrefix(APIKey.scheme) else { return nil }
        do {
            return try await store.project(apiKey: key)
        } catch IndexError.notFound {
            return nil
        }
    }
}
