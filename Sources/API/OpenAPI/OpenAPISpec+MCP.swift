import Index

extension OpenAPISpec {
    /// `/mcp`: MCP's Streamable HTTP transport. Bodies are JSON-RPC 2.0 messages, not the API's
    /// envelopes, except for the answers Lore gives before the transport runs (401, 413, 415, 422,
    /// 500): a body that is not UTF-8, names a key twice or nests too deeply is refused as for every
    /// other route.
    static var mcpPaths: [String: OpenAPIValue] {
        let jsonRPC = "JSONRPCMessage"
        return ["/mcp": [
            "post": operation(
                "mcpMessage", tag: "MCP",
                summary: "Sends an MCP JSON-RPC message (initialize, tools/list, tools/call, …) for the key's project.",
                access: .projectKey, body: jsonRPC,
                success: [
                    Success(status: 200, description: "The JSON-RPC response.", schema: jsonRPC),
                    Success(status: 202, description: "A notification or response was accepted."),
                    Success(status: 400, description: "Not a valid MCP request (JSON-RPC error).", schema: jsonRPC),
                    Success(status: 403, description: "The Origin is not allowed (JSON-RPC error).", schema: jsonRPC),
                    Success(status: 406, description: "Accept does not allow application/json (JSON-RPC error).", schema: jsonRPC),
                    Success(status: 421, description: "The Host is not allowed (JSON-RPC error).", schema: jsonRPC),
                ],
                errors: [401, 413, 415, 422, 500]),
            "get": operation(
                "mcpEventStream", tag: "MCP", summary: "No event stream is offered: always 405 once authenticated.",
                access: .projectKey,
                success: [Success(status: 405, description: "Method not allowed (JSON-RPC error).", schema: jsonRPC)],
                errors: [401, 500]),
            "delete": operation(
                "mcpEndSession", tag: "MCP", summary: "There are no sessions to end: always 405 once authenticated.",
                access: .projectKey,
                success: [Success(status: 405, description: "Method not allowed (JSON-RPC error).", schema: jsonRPC)],
                errors: [401, 500]),
        ]]
    }

    static var mcpSchemas: [String: OpenAPIValue] {
        ["JSONRPCMessage": [
            "type": "object",
            "description": "A JSON-RPC 2.0 message as MCP defines it (https://modelcontextprotocol.io).",
            "properties": ["jsonrpc": ["const": "2.0"]],
        ]]
    }
}
