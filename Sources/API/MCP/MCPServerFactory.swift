import Foundation
import Index
import Logging
import MCP
import Search

/// Makes the MCP server Lore exposes: its identity, instructions for the agent and the tools
/// its key may run (five, or the three that read for a read key), bound to one project.
///
/// Servers are cheap: the HTTP endpoint makes one per request (see ``MCPController``), the
/// stdio command one per process.
struct MCPServerFactory<AppStore: Store>: Sendable {
    static var serverName: String { "lore" }
    static var serverVersion: String { "1.0.0" }

    static var instructions: String {
        """
        Lore holds this project's documentation: design notes, how-tos, API references and decisions. \
        Search it before answering questions about the project or changing code that depends on its conventions; \
        read whole documents by path; write what you learn or decide so the next session finds it. \
        Paths are relative and '/'-separated, like 'docs/auth/tokens.md'.
        """
    }

    /// The engine the HTTP API uses too.
    let engine: Engine<AppStore>
    let logger: Logger

    /// A server whose tools act on what the key `grant` returns opens; it is asked on every list
    /// and call, so a key that stops working (revoked, expired, rotated) fails the next one.
    func makeServer(grant: @escaping @Sendable () async throws -> KeyGrant) async -> MCP.Server {
        let server = MCP.Server(
            name: Self.serverName, version: Self.serverVersion, title: "Lore", instructions: Self.instructions,
            capabilities: .init(tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: MCPTools.available(to: try await grant().scope).map { $0.definition })
        }
        await server.withMethodHandler(CallTool.self) { [self] parameters in
            try await call(parameters, grant: grant)
        }
        return server
    }

    /// Runs one tool call. An unknown tool is a JSON-RPC error (invalid params, as the MCP
    /// specification asks); every other failure — a write tool called with a read key included —
    /// is a result with `isError: true` that says why.
    func call(_ parameters: CallTool.Parameters, grant: @Sendable () async throws -> KeyGrant) async throws -> CallTool.Result {
        guard let tool = MCPTools.named(parameters.name) else {
            throw MCPError.invalidParams(
                "Unknown tool '\(parameters.name)'. The tools are \(MCPTools.names.joined(separator: ", ")).")
        }
        do {
            let grant = try await grant()
            let access = engine.access(grant.project, scope: grant.scope)
            if tool.writes { try access.requireWrite() }
            let arguments = try MCPArguments(parameters.arguments, known: tool.argumentNames)
            return try await tool.call(arguments, in: MCPToolContext(access: access))
        } catch {
            return MCPErrorMapping.result(for: error, tool: parameters.name, arguments: parameters.arguments, logger: logger)
        }
    }
}
