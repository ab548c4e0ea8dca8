import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Index
import Logging
import NIOCore
import Runtime

/// Settings of the OpenAPI tests' app: an ephemeral port, a known secret, a temporary database.
struct OpenAPITestArguments: AppArguments {
    var hostname = "127.0.0.1"
    var port = 0
    var databaseURL: String
    var environment: AppEnvironment = .development
    var jwtSecret: String? = "openapi-test-secret-long-enough-for-hs256-0123456789"
    var registrationEnabled = true
}

/// The app of ``buildRouter(_:store:tokens:)`` over a fresh SQLite file, in a temporary folder.
struct OpenAPITestApp {
    let router: Router<AppRequestContext>
    let folder: URL

    init(registrationEnabled: Bool = true) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lore-openapi-\(UUID().uuidString)")
        let path = folder.appendingPathComponent("lore.db").path
        var arguments = OpenAPITestArguments(databaseURL: "sqlite://" + path)
        arguments.registrationEnabled = registrationEnabled
        let store = try SQLiteStore(path: path)
        let tokens = await SessionTokens(secret: arguments.jwtSecret ?? "", lifetime: .seconds(3600))
        router = buildRouter(arguments, store: store, tokens: tokens)
    }

    /// Runs `body` with a client of the app (in process), then removes the database folder.
    func run<Value: Sendable>(_ body: @Sendable (OpenAPITestClient) async throws -> Value) async throws -> Value {
        defer { try? FileManager.default.removeItem(at: folder) }
        var logger = Logger(label: "lore.openapi-test")
        logger.logLevel = .critical
        let app = Application(router: router, logger: logger)
        return try await app.test(.router) { client in try await body(OpenAPITestClient(client: client)) }
    }

    /// The routes of the router as `METHOD /path/{param}`.
    var routeKeys: Set<String> {
        Set(router.routes.map { OpenAPIRoute.key(method: $0.method.rawValue, path: $0.path.description) })
    }
}

/// Route keys: `GET /api/v1/projects/{projectId}`, with `:param` normalised to `{param}`.
enum OpenAPIRoute {
    static func key(method: String, path: String) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map { segment in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }
        return "\(method.uppercased()) /\(segments.joined(separator: "/"))"
    }
}

/// Requests against the app, with JSON helpers.
struct OpenAPITestClient: Sendable {
    let client: any TestClientProtocol

    func send(
        _ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields = [:], json: String? = nil
    ) async throws -> TestResponse {
        var fields = headers
        if json != nil && fields[.contentType] == nil { fields[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: fields, body: json.map { ByteBuffer(string: $0) }) { $0 }
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        try await client.execute(uri: uri, method: method, headers: headers, body: body) { $0 }
    }

    /// The document `/openapi.json` serves.
    func openAPIDocument() async throws -> OpenAPIDocumentJSON {
        let response = try await send(.get, "/openapi.json")
        return try OpenAPIDocumentJSON(data: Data(buffer: response.body))
    }
}

/// The served OpenAPI document, parsed.
struct OpenAPIDocumentJSON: @unchecked Sendable {
    /// One operation: its route key and the statuses it documents.
    struct Operation {
        var key: String
        var statuses: Set<Int>
        var value: [String: Any]
    }

    let root: [String: Any]

    init(data: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw OpenAPITestFailure("the document is not a JSON object")
        }
        self.root = root
    }

    var paths: [String: [String: Any]] { root["paths"] as? [String: [String: Any]] ?? [:] }

    var operations: [Operation] {
        paths.flatMap { path, item in
            item.compactMap { method, value -> Operation? in
                guard ["get", "put", "post", "delete", "patch"].contains(method), let value = value as? [String: Any] else { return nil }
                let responses = value["responses"] as? [String: Any] ?? [:]
                return Operation(key: OpenAPIRoute.key(method: method, path: path),
                                 statuses: Set(responses.keys.compactMap { Int($0) }), value: value)
            }
        }
    }

    /// The object a `$ref` like `#/components/schemas/User` points at.
    func resolve(_ reference: String) -> [String: Any]? {
        var node: Any? = root
        for part in reference.dropFirst(2).split(separator: "/") {
            node = (node as? [String: Any])?[String(part)]
        }
        return node as? [String: Any]
    }

    /// Every `$ref` in the document.
    var references: [String] {
        var found: [String] = []
        func walk(_ node: Any) {
            if let object = node as? [String: Any] {
                if let reference = object["$ref"] as? String { found.append(reference) }
                object.values.forEach(walk)
            } else if let array = node as? [Any] {
                array.forEach(walk)
            }
        }
        walk(root)
        return found
    }
}

struct OpenAPITestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension TestResponse {
    /// The body as a JSON object (empty when it is not one).
    var openAPIObject: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }
}
