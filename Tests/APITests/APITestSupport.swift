import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Index
import Logging
import LoreTestSupport
import NIOCore
import Runtime

/// Settings of a test server: an ephemeral port and a known secret.
struct TestArguments: AppArguments {
    var hostname = "127.0.0.1"
    var port = 0
    var databaseURL: String
    var environment: AppEnvironment = .development
    var jwtSecret: String? = TestServer.secret
    var registrationEnabled = true
    var sessionLifetime: Duration = .seconds(3600)
    var rateLimits: RateLimitSettings = .standard
}

/// A real Lore server on 127.0.0.1:0 over a real database (a SQLite file, or a PostgreSQL database
/// with `LORE_TEST_BACKEND=postgres`), driven through AsyncHTTPClient.
enum TestServer {
    static let secret = "test-secret-that-is-long-enough-for-hs256-and-hs512-0123456789abcdef"

    static func run<Value: Sendable>(
        environment: AppEnvironment = .development, registrationEnabled: Bool = true,
        rateLimits: RateLimitSettings = .standard, logger: Logger? = nil,
        _ body: @Sendable (APIClient) async throws -> Value
    ) async throws -> Value {
        let database = try await TestDatabase.create(TestBackend.integration)
        var arguments = TestArguments(databaseURL: database.url)
        arguments.environment = environment
        arguments.registrationEnabled = registrationEnabled
        arguments.rateLimits = rateLimits
        let store = try await database.openStore()
        let appLogger = logger ?? {
            var quiet = Logger(label: "lore.test")
            quiet.logLevel = .critical
            return quiet
        }()
        return try await serve(store: store, arguments: arguments, folder: database.folder, logger: appLogger, body)
    }

    private static func serve<Value: Sendable>(
        store: some LoreStore, arguments: TestArguments, folder: URL, logger: Logger,
        _ body: @Sendable (APIClient) async throws -> Value
    ) async throws -> Value {
        let app = try await buildApplication(arguments, store: store, dataDirectory: folder, logger: logger)
        return try await app.test(.ahc(.http)) { client in
            try await body(APIClient(client: client, store: store))
        }
    }
}

/// Requests with JSON bodies and helpers for the usual set-up steps.
struct APIClient: Sendable {
    let client: any TestClientProtocol
    let store: any LoreStore

    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ path: String, json: String? = nil, headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        var fields = headers
        if json != nil && fields[.contentType] == nil { fields[.contentType] = "application/json" }
        return try await client.execute(
            uri: path, method: method, headers: fields, body: json.map { ByteBuffer(string: $0) }
        ) { $0 }
    }

    func send(_ method: HTTPRequest.Method, _ path: String, body: ByteBuffer, headers: HTTPFields) async throws -> TestResponse {
        try await client.execute(uri: path, method: method, headers: headers, body: body) { $0 }
    }

    /// Registers a user and returns their session token (from the cookie).
    func register(email: String = "dev@example.com", password: String = "correct horse") async throws -> String {
        let response = try await send(.post, "/api/v1/auth/register",
                                      json: #"{"email": "\#(email)", "password": "\#(password)", "name": "Dev"}"#)
        guard response.status == .created, let token = response.sessionCookieValue else {
            throw TestFailure("register failed: \(response.status) \(response.text)")
        }
        return token
    }

    /// Creates a project for the session and returns its id and API key.
    func createProject(token: String, name: String = "Docs") async throws -> (id: String, key: String) {
        let response = try await send(.post, "/api/v1/projects", json: #"{"name": "\#(name)"}"#, headers: .bearer(token))
        guard response.status == .created, let data = response.object["data"] as? [String: Any],
              let id = data["id"] as? String, let key = data["apiKey"] as? String else {
            throw TestFailure("project creation failed: \(response.status) \(response.text)")
        }
        return (id, key)
    }

    /// Creates a document with the API key and returns its JSON.
    @discardableResult
    func createDocument(key: String, project: String, path: String, content: String, tags: [String] = []) async throws -> [String: Any] {
        let body = try String(decoding: JSONSerialization.data(withJSONObject: ["path": path, "content": content, "tags": tags]), as: UTF8.self)
        let response = try await send(.post, "/api/v1/projects/\(project)/documents", json: body, headers: .apiKey(key))
        guard response.status == .created, let data = response.object["data"] as? [String: Any] else {
            throw TestFailure("document creation failed: \(response.status) \(response.text)")
        }
        return data
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension HTTPFields {
    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }
    static func apiKey(_ key: String) -> HTTPFields { [HTTPField.Name("X-API-Key")!: key] }
    static func cookie(_ token: String) -> HTTPFields { [.cookie: "lore_session=\(token)"] }

    /// The fields of both, the right side's winning.
    static func + (lhs: HTTPFields, rhs: HTTPFields) -> HTTPFields {
        var fields = lhs
        for field in rhs { fields[field.name] = field.value }
        return fields
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    /// The body as a JSON object (empty when it is not one).
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }

    var data: [String: Any] { object["data"] as? [String: Any] ?? [:] }
    var list: [[String: Any]] { object["data"] as? [[String: Any]] ?? [] }
    var meta: [String: Any] { object["meta"] as? [String: Any] ?? [:] }
    var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
    var errorFields: [String] {
        ((object["error"] as? [String: Any])?["details"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }

    /// The `Set-Cookie` header of the session cookie.
    var sessionCookie: String? {
        headers[values: .setCookie].first { $0.hasPrefix("lore_session=") }
    }

    var sessionCookieValue: String? {
        sessionCookie?.split(separator: ";").first.map { String($0.dropFirst("lore_session=".count)) }
    }
}
