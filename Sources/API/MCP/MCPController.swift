import Foundation
import HTTPTypes
import Hummingbird
import Index
import Logging
import MCP
import NIOCore
import Search

/// `/mcp`: MCP over Streamable HTTP, in the same application as the REST API.
///
/// Every request carries a project API key (`Authorization: Bearer lore_…` or `X-API-Key`),
/// looked up anew each time, so a rotated or revoked key stops working at once; a missing or bad key is a
/// 401 in the API's error envelope. Each request then gets its own MCP server and
/// `StatelessHTTPServerTransport`: nothing is shared between requests, so concurrent clients
/// (even ones reusing JSON-RPC ids) never see each other's responses, no session outlives its
/// request, and shutdown has nothing to wait for but requests in flight. The transport answers
/// POST with JSON; GET and DELETE get 405, which tells clients there is no event stream and no
/// session to end.
struct MCPController<AppStore: Store>: Sendable {
    /// The longest a request may run before its transport is closed (a 500 for the client).
    static var deadline: Duration { .seconds(120) }

    let servers: MCPServerFactory<AppStore>
    let authenticator: Authenticator<AppStore>
    let validation: any HTTPRequestValidationPipeline
    let logger: Logger

    init(engine: Engine<AppStore>, authenticator: Authenticator<AppStore>, hostname: String, logger: Logger) {
        self.servers = MCPServerFactory(engine: engine, logger: logger)
        self.authenticator = authenticator
        self.validation = MCPRequestValidation.pipeline(hostname: hostname)
        self.logger = logger
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("mcp", use: handle)
        router.get("mcp", use: handle)
        router.delete("mcp", use: handle)
    }

    @Sendable func handle(_ request: Hummingbird.Request, context: AppRequestContext) async throws -> Hummingbird.Response {
        let grant = try await authenticatedKey(request)
        let body = try await request.body.collect(upTo: AppRequestContext.maximumBodyBytes)
        let exchange = MCP.HTTPRequest(
            method: request.method.rawValue, headers: Self.headers(of: request),
            body: body.readableBytes > 0 ? Data(body.readableBytesView) : nil, path: request.uri.path)

        let server = await servers.makeServer { grant }
        let transport = StatelessHTTPServerTransport(validationPipeline: validation, logger: logger)
        do {
            try await server.start(transport: transport)
        } catch {
            await server.stop()
            throw APIError.internal("the MCP server could not start")
        }
        let deadline = Task {
            try await Task.sleep(for: Self.deadline)
            await transport.disconnect()
        }
        let answer = await transport.handleRequest(exchange)
        deadline.cancel()
        await server.stop()
        return Self.response(from: answer)
    }

    /// What the request's API key opens; 401 for no key, a bad or expired key, or a session
    /// token (the MCP endpoint serves projects, not people).
    private func authenticatedKey(_ request: Hummingbird.Request) async throws -> KeyGrant {
        let hint = "pass the project API key as 'Authorization: Bearer lore_…' or 'X-API-Key: lore_…'"
        guard request.headers[.apiKey] != nil || request.headers[.authorization] != nil else {
            throw APIError.unauthorized("the MCP endpoint needs a project API key: \(hint)")
        }
        switch try await authenticator.identity(of: request) {
        case .key(let grant):
            return grant
        case .user:
            throw APIError.unauthorized("the MCP endpoint takes a project API key, not a session: \(hint)")
        }
    }

    /// The request's header fields as the transport reads them, with `Host` restored from the
    /// request's authority (HTTP types keep it apart from the other fields).
    static func headers(of request: Hummingbird.Request) -> [String: String] {
        var headers: [String: String] = [:]
        var names: [String: String] = [:]
        for field in request.headers {
            let key = field.name.canonicalName
            if let name = names[key] {
                headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
            } else {
                names[key] = field.name.rawName
                headers[field.name.rawName] = field.value
            }
        }
        if let authority = request.head.authority, names["host"] == nil {
            headers[MCP.HTTPHeaderName.host] = authority
        }
        return headers
    }

    /// The transport's answer as a Hummingbird response (JSON-RPC bodies, SSE streams piped through).
    static func response(from answer: MCP.HTTPResponse) -> Hummingbird.Response {
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
        }
        let status = HTTPTypes.HTTPResponse.Status(code: answer.statusCode)
        switch answer {
        case .stream(let events, _):
            return Hummingbird.Response(status: status, headers: fields, body: ResponseBody { writer in
                for try await event in events {
                    try await writer.write(ByteBuffer(bytes: event))
                }
                try await writer.finish(nil)
            })
        default:
            let body = answer.bodyData.map { ResponseBody(byteBuffer: ByteBuffer(bytes: $0)) } ?? ResponseBody()
            return Hummingbird.Response(status: status, headers: fields, body: body)
        }
    }
}
