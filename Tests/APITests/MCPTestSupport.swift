import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// Raw JSON-RPC over Streamable HTTP against the live test server, as an MCP client sends it.
///
/// Every request uses JSON-RPC id 1 unless told otherwise: the server keeps no state between
/// requests, so reusing ids is how real clients in separate processes look to it.
struct MCPTestClient: Sendable {
    static let protocolVersion = "2025-11-25"

    let api: APIClient
    let credentials: HTTPFields

    init(_ api: APIClient, key: String) {
        self.api = api
        self.credentials = .bearer(key)
    }

    init(_ api: APIClient, credentials: HTTPFields) {
        self.api = api
        self.credentials = credentials
    }

    /// Posts one JSON-RPC message and returns the raw response.
    func post(_ message: [String: Any], headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = credentials
        headers[.contentType] = "application/json"
        headers[.accept] = "application/json, text/event-stream"
        if message["method"] as? String != "initialize" {
            headers[HTTPField.Name("MCP-Protocol-Version")!] = Self.protocolVersion
        }
        for field in extra { headers[field.name] = field.value }
        let body = try JSONSerialization.data(withJSONObject: message)
        return try await api.send(.post, "/mcp", body: ByteBuffer(bytes: body), headers: headers)
    }

    /// A request's `result`; throws when the answer is not 200 with a result.
    func request(_ method: String, params: [String: Any] = [:], id: Int = 1) async throws -> [String: Any] {
        let response = try await post(["jsonrpc": "2.0", "id": id, "method": method, "params": params])
        guard response.status == .ok, let result = response.object["result"] as? [String: Any] else {
            throw TestFailure("\(method) failed: \(response.status) \(response.text)")
        }
        guard response.object["id"] as? Int == id else { throw TestFailure("\(method) answered with another id: \(response.text)") }
        return result
    }

    func initialize() async throws -> [String: Any] {
        try await request("initialize", params: [
            "protocolVersion": Self.protocolVersion, "capabilities": [String: Any](),
            "clientInfo": ["name": "lore-tests", "version": "1"],
        ])
    }

    func tools() async throws -> [[String: Any]] {
        try await request("tools/list")["tools"] as? [[String: Any]] ?? []
    }

    /// Calls a tool and returns its result, error results included.
    func call(_ tool: String, _ arguments: [String: Any], id: Int = 1) async throws -> MCPToolResult {
        MCPToolResult(try await request("tools/call", params: ["name": tool, "arguments": arguments], id: id))
    }
}

/// A `tools/call` result.
struct MCPToolResult: @unchecked Sendable {
    let raw: [String: Any]

    init(_ raw: [String: Any]) { self.raw = raw }

    var isError: Bool { raw["isError"] as? Bool ?? false }
    var text: String {
        (raw["content"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String == "text" ? $0["text"] as? String : nil }
            .joined(separator: "\n")
    }
    var structured: [String: Any] { raw["structuredContent"] as? [String: Any] ?? [:] }
    var errorCode: String? { (structured["error"] as? [String: Any])?["code"] as? String }
}
