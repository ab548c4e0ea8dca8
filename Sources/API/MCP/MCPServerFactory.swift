import Foundation
import Index
import Logging
import MCP
import Search

/// Makes the MCP server Lore exposes: its identity, instructions for the agent and the five
/// tools, bound to one project.
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

    /// A server whose tool calls act on the project `project` returns; it is asked on every call,
    /// so a key that stops working fails the next call.
    func makeServer(project: @escaping @Sendable () async throws -> Project) async -> MCP.Server {
        let server = MCP.Server(
            name: Self.serverName, version: Self.serverVersion, title: "Lore", instructions: Self.instructions,
            capabilities: .init(tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: MCPTools.all.map { $0.definition })
        }
        await server.withMethodHandler(CallTool.self) { [self] parameters in
            try await call(parameters, project: project)
        }
        return server
    }

    /// Runs one tool call. An unknown tool is a JSON-RPC error (invalid params, as the MCP
    /// specification asks); every other failure is a result with `isError: true`.
    func call(_ parameters: CallTool.Parameters, project: @Sendable () async throws -> Project) async throws -> CallTool.Result {
        guard let tool = MCPTools.named(parameters.name) else {
            throw MCPError.invalidParams(
                "Unknown tool '\(parameters.name)'. The tools are \(MCPTools.names.joined(separator: ", ")).")
        }
        do {
            let arguments = try MCPArguments(parameters.arguments, known: tool.argumentNames)
            let context = MCPToolContext(engine: engine, project: try await project())
            return try await tool.call(arguments, in: context)
        } catch {
            return MCPErrorMapping.result(for: error, tool: parameters.name, arguments: parameters.arguments, logger: logger)
        }
    }
}
