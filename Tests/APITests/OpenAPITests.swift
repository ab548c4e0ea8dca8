import API
import Foundation
import HTTPTypes
import Hummingbird
import Index
import LoreTestSupport
import HummingbirdTesting
import NIOCore
import Testing

/// `/openapi.json` is true to the server: the routes of the router, the credentials they take and
/// the statuses their code can answer with.
@Suite struct OpenAPITests {
    /// Who a route lets in, as read from its controller.
    enum Access: Equatable { case anyone, user, project, projectKey }

    /// What each route's code can answer with, read from the controllers and the middleware chain:
    /// `RequestBodyMiddleware` answers 413 (announced body over 8 MiB) and 415 (a body that is not JSON)
    /// to POST, PUT and PATCH before any handler runs; `decodeJSON` and `QueryParameters` give 422;
    /// `Authenticator` gives 401, 403 (an API key on a person's route, or another project's key) and
    /// 404 (another user's project); a malformed id in the path is a 404; `IndexError.conflict` and
    /// `.staleVersion` are 409, `.tooLarge` 413; a storage failure reaching `ErrorMiddleware` is a 500.
    /// Keep it in sync with the code: the document must list exactly these.
    static let producible: [String: (access: Access, statuses: Set<Int>)] = [
        "GET /health": (.anyone, [200]),
        "GET /health/ready": (.anyone, [200, 503]),
        "GET /api/v1/health": (.anyone, [200]),
        "GET /api/v1/health/ready": (.anyone, [200, 503]),
        "GET /openapi.json": (.anyone, [200]),
        "GET /api/v1/openapi.json": (.anyone, [200]),
        "GET /metrics": (.anyone, [200]),
        // The console: 304 for a browser's current copy; an unknown file is a 404.
        "GET /": (.anyone, [200, 304]),
        "GET /console/{file}": (.anyone, [200, 304, 404]),
        // 403 when registration is turned off; 409 for a taken e-mail.
        "POST /api/v1/auth/register": (.anyone, [201, 403, 409, 413, 415, 422, 429, 500]),
        // 403: a browser's cross-site request (CrossSiteRequestMiddleware), for every change.
        "POST /api/v1/auth/login": (.anyone, [200, 401, 403, 413, 415, 422, 429, 500]),
        "POST /api/v1/auth/logout": (.user, [204, 401, 403, 413, 415, 429, 500]),
        "GET /api/v1/auth/me": (.user, [200, 401, 403, 429, 500]),
        "GET /api/v1/projects": (.user, [200, 401, 403, 422, 429, 500]),
        "POST /api/v1/projects": (.user, [201, 401, 403, 409, 413, 415, 422, 429, 500]),
        "GET /api/v1/projects/{projectId}": (.user, [200, 401, 403, 404, 429, 500]),
        "PATCH /api/v1/projects/{projectId}": (.user, [200, 401, 403, 404, 409, 413, 415, 422, 429, 500]),
        "DELETE /api/v1/projects/{projectId}": (.user, [204, 401, 403, 404, 429, 500]),
        "POST /api/v1/projects/{projectId}/api-key": (.user, [200, 401, 403, 404, 413, 415, 429, 500]),
        "GET /api/v1/projects/{projectId}/documents": (.project, [200, 401, 403, 404, 422, 429, 500]),
        "POST /api/v1/projects/{projectId}/documents": (.project, [201, 401, 403, 404, 409, 413, 415, 422, 429, 500]),
        // Item failures are reported per item, so no 409 for the request.
        "POST /api/v1/projects/{projectId}/documents/bulk": (.project, [200, 401, 403, 404, 413, 415, 422, 429, 500]),
        "GET /api/v1/projects/{projectId}/documents/by-path": (.project, [200, 401, 403, 404, 422, 429, 500]),
        "GET /api/v1/projects/{projectId}/documents/{documentId}": (.project, [200, 401, 403, 404, 429, 500]),
        "PUT /api/v1/projects/{projectId}/documents/{documentId}": (.project, [200, 401, 403, 404, 409, 413, 415, 422, 429, 500]),
        // 409 `source_owned` for a document a Git source holds.
        "DELETE /api/v1/projects/{projectId}/documents/{documentId}": (.project, [204, 401, 403, 404, 409, 429, 500]),
        "GET /api/v1/projects/{projectId}/search": (.project, [200, 401, 403, 404, 422, 429, 500]),
        "POST /api/v1/projects/{projectId}/search": (.project, [200, 401, 403, 404, 413, 415, 422, 429, 500]),
        "GET /api/v1/search": (.user, [200, 401, 403, 422, 429, 500]),
        "GET /api/v1/projects/{projectId}/keys": (.user, [200, 401, 403, 404, 422, 429, 500]),
        // 409 past the keys a project may have.
        "POST /api/v1/projects/{projectId}/keys": (.user, [201, 401, 403, 404, 409, 413, 415, 422, 429, 500]),
        "DELETE /api/v1/projects/{projectId}/keys/{keyId}": (.user, [204, 401, 403, 404, 429, 500]),
        "GET /api/v1/projects/{projectId}/sources": (.project, [200, 401, 403, 404, 422, 429, 500]),
        // 409 for a folder another source fills, or past the sources a project may have.
        "POST /api/v1/projects/{projectId}/sources": (.project, [201, 401, 403, 404, 409, 413, 415, 422, 429, 500]),
        "GET /api/v1/projects/{projectId}/sources/{sourceId}": (.project, [200, 401, 403, 404, 429, 500]),
        "PATCH /api/v1/projects/{projectId}/sources/{sourceId}": (.project, [200, 401, 403, 404, 413, 415, 422, 429, 500]),
        "DELETE /api/v1/projects/{projectId}/sources/{sourceId}": (.project, [204, 401, 403, 404, 429, 500]),
        // 401 also for a webhook whose signature does not match.
        "POST /api/v1/projects/{projectId}/sources/{sourceId}/sync": (.project, [202, 401, 403, 404, 413, 415, 429, 500]),
        // The MCP transport answers with JSON-RPC bodies; Lore itself only with 401/413/415/500.
        "POST /mcp": (.projectKey, [200, 202, 400, 401, 403, 406, 413, 415, 421, 422, 429, 500]),
        "GET /mcp": (.projectKey, [401, 405, 429, 500]),
        "DELETE /mcp": (.projectKey, [401, 405, 429, 500]),
    ]

    @Test func documentIsOpenAPI31JSONWithResolvableReferences() async throws {
        let app = try await OpenAPITestApp()
        let (document, versioned) = try await app.run { client in
            (try await client.openAPIDocument(), try await client.send(.get, "/api/v1/openapi.json"))
        }
        #expect(document.root["openapi"] as? String == "3.1.0")
        let info = document.root["info"] as? [String: Any]
        #expect(info?["title"] as? String == "Lore")
        #expect(info?["version"] is String)
        #expect(versioned.status == .ok)
        #expect(try OpenAPIDocumentJSON(data: Data(buffer: versioned.body)).root.count == document.root.count)
        for reference in document.references {
            #expect(reference.hasPrefix("#/components/"), "external reference \(reference)")
            #expect(document.resolve(reference) != nil, "unresolved reference \(reference)")
        }
        let ids = document.operations.compactMap { $0.value["operationId"] as? String }
        #expect(ids.count == document.operations.count)
        #expect(Set(ids).count == ids.count, "operationIds must be unique")
    }

    @Test func documentDescribesExactlyTheRoutesOfTheRouter() async throws {
        let app = try await OpenAPITestApp()
        let routes = app.routeKeys
        let document = try await app.run { try await $0.openAPIDocument() }
        let documented = Set(document.operations.map(\.key))
        #expect(routes.subtracting(documented).isEmpty, "routes missing from the document: \(routes.subtracting(documented).sorted())")
        #expect(documented.subtracting(routes).isEmpty, "documented but not routed: \(documented.subtracting(routes).sorted())")
        #expect(Set(Self.producible.keys) == routes, "the status table of this test must list every route")
    }

    @Test func everyPathParameterIsDeclared() async throws {
        let document = try await OpenAPITestApp().run { try await $0.openAPIDocument() }
        for operation in document.operations {
            let template = operation.key.split(separator: " ")[1]
            let names = template.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
            let declared = (operation.value["parameters"] as? [[String: Any]] ?? []).compactMap { parameter -> String? in
                let resolved = (parameter["$ref"] as? String).flatMap(document.resolve) ?? parameter
                return resolved["in"] as? String == "path" ? resolved["name"] as? String : nil
            }
            #expect(Set(names) == Set(declared), "\(operation.key) declares path parameters \(declared)")
        }
    }

    @Test func documentedStatusesAndCredentialsAreTheOnesTheCodeHas() async throws {
        let document = try await OpenAPITestApp().run { try await $0.openAPIDocument() }
        for operation in document.operations {
            guard let expected = Self.producible[operation.key] else {
                Issue.record("no entry in the status table for \(operation.key)")
                continue
            }
            #expect(operation.statuses == expected.statuses, """
                \(operation.key) documents \(operation.statuses.sorted()); its code can answer \(expected.statuses.sorted())
                """)
            let schemes = Set((operation.value["security"] as? [[String: Any]] ?? []).flatMap(\.keys))
            let wanted: Set<String> = switch expected.access {
            case .anyone: []
            case .user: ["sessionCookie", "sessionBearer"]
            case .project: ["sessionCookie", "sessionBearer", "apiKeyBearer", "apiKeyHeader"]
            case .projectKey: ["apiKeyBearer", "apiKeyHeader"]
            }
            #expect(schemes == wanted, "\(operation.key) lists security schemes \(schemes.sorted())")
        }
    }

    /// Drives every route into every documented status that can be caused from outside (all but
    /// 500 and the 503 of a failing database), and checks that no answer is undocumented.
    @Test func everyRouteAnswersWithItsDocumentedStatuses() async throws {
        let observed = try await OpenAPITestApp().run { client in
            var exercise = try await OpenAPIExercise.start(client)
            try await exercise.walkSuccesses()
            try await exercise.provokeErrors()
            try await exercise.exerciseMCP()
            return exercise.observed
        }
        let closed = try await OpenAPITestApp(registrationEnabled: false).run { client in
            try await client.send(.post, "/api/v1/auth/register",
                                  json: #"{"email": "a@example.com", "password": "long enough", "name": "A"}"#)
        }
        var seen = observed
        seen["POST /api/v1/auth/register", default: []].insert(Int(closed.status.code))
        for (key, statuses) in try await Self.statusesUnderExhaustedRateLimits() {
            seen[key, default: []].formUnion(statuses)
        }
        #expect(closed.status == .forbidden)
        for (key, entry) in Self.producible {
            let outOfReach: Set<Int> = key.hasSuffix("/ready") ? [500, 503] : [500]
            let missing = entry.statuses.subtracting(outOfReach).subtracting(seen[key] ?? [])
            #expect(missing.isEmpty, "\(key) never answered \(missing.sorted())")
        }
    }
}

extension OpenAPITests {
    /// Calls every route twice without credentials on a server that allows one request (and one
    /// login) a minute per address: the second call of each limited route is a 429; health,
    /// metrics and the document answer as usual.
    static func statusesUnderExhaustedRateLimits() async throws -> [String: Set<Int>] {
        let limits = RateLimitSettings(
            requests: RateLimitPolicy(requests: 1, per: .seconds(60)),
            loginPerAddress: RateLimitPolicy(requests: 1, per: .seconds(60)),
            registrationPerAddress: RateLimitPolicy(requests: 1, per: .seconds(60)), clock: ManualClock())
        return try await OperationsTestServer.run(rateLimits: limits) { api in
            var seen: [String: Set<Int>] = [:]
            for key in producible.keys.sorted() {
                let parts = key.split(separator: " ", maxSplits: 1).map(String.init)
                let method = try #require(HTTPRequest.Method(parts[0]))
                let path = parts[1].replacingOccurrences(of: "{projectId}", with: UUID().uuidString)
                    .replacingOccurrences(of: "{documentId}", with: UUID().uuidString)
                    .replacingOccurrences(of: "{sourceId}", with: UUID().uuidString)
                let body = [.post, .put, .patch].contains(method) ? "{}" : nil
                _ = try await api.send(method, path, json: body)
                let second = try await api.send(method, path, json: body)
                seen[key, default: []].insert(Int(second.status.code))
            }
            return seen
        }
    }
}

/// A walk through the API that records the status of every answer by route.
struct OpenAPIExercise {
    let client: OpenAPITestClient
    let document: OpenAPIDocumentJSON
    var token: String
    var project: String
    var key: String
    var otherProject: String
    var otherKey: String
    var observed: [String: Set<Int>] = [:]

    static func start(_ client: OpenAPITestClient) async throws -> OpenAPIExercise {
        let document = try await client.openAPIDocument()
        let registered = try await client.send(.post, "/api/v1/auth/register",
                                               json: #"{"email": "owner@example.com", "password": "long enough", "name": "Owner"}"#)
        guard let cookie = registered.headers[values: .setCookie].first(where: { $0.hasPrefix("lore_session=") }),
              let token = cookie.split(separator: ";").first?.dropFirst("lore_session=".count) else {
            throw OpenAPITestFailure("registration failed: \(registered.status)")
        }
        var exercise = OpenAPIExercise(client: client, document: document, token: String(token),
                                       project: "", key: "", otherProject: "", otherKey: "")
        exercise.record("POST /api/v1/auth/register", registered)
        (exercise.project, exercise.key) = try await exercise.createProject("Docs")
        (exercise.otherProject, exercise.otherKey) = try await exercise.createProject("Other")
        return exercise
    }

    var bearer: HTTPFields { [.authorization: "Bearer \(token)"] }

    /// Records an answer; it must be documented for the route and carry `X-Request-ID`.
    mutating func record(_ route: String, _ response: TestResponse) {
        let status = Int(response.status.code)
        observed[route, default: []].insert(status)
        let documented = document.operations.first { $0.key == route }?.statuses ?? []
        #expect(documented.contains(status), "\(route) answered \(status), which is not documented")
        #expect(response.headers[HTTPField.Name("X-Request-ID")!] != nil, "\(route) answered without X-Request-ID")
        // The MCP transport's own answers are JSON-RPC errors; Lore's (401, 413, 415, 500) are envelopes.
        let transportAnswer = route.hasSuffix(" /mcp") && ![401, 413, 415, 500].contains(status)
        if status >= 400 && !transportAnswer {
            let error = response.openAPIObject["error"] as? [String: Any]
            #expect(error?["code"] is String && error?["message"] is String && error?["details"] is [Any],
                    "\(route) answered \(status) without the error envelope")
        }
    }

    /// Sends a request to `route` (`METHOD /path/{param}`) with its parameters filled in and records the answer.
    @discardableResult
    mutating func call(
        _ route: String, project: String? = nil, document: String = UUID().uuidString.lowercased(), query: String = "",
        headers: HTTPFields = [:], json: String? = nil
    ) async throws -> TestResponse {
        let parts = route.split(separator: " ", maxSplits: 1)
        let path = parts[1].replacingOccurrences(of: "{projectId}", with: project ?? self.project)
            .replacingOccurrences(of: "{documentId}", with: document).replacingOccurrences(of: "{keyId}", with: document)
            .replacingOccurrences(of: "{sourceId}", with: document).replacingOccurrences(of: "{file}", with: document)
        let method = HTTPRequest.Method(String(parts[0]))!
        let response = try await client.send(method, path + query, headers: headers, json: json)
        record(route, response)
        return response
    }

    mutating func createProject(_ name: String) async throws -> (String, String) {
        let response = try await call("POST /api/v1/projects", headers: bearer, json: #"{"name": "\#(name)"}"#)
        let data = response.openAPIObject["data"] as? [String: Any]
        guard let id = data?["id"] as? String, let key = data?["apiKey"] as? String else {
            throw OpenAPITestFailure("project creation failed: \(response.status)")
        }
        return (id, key)
    }

    /// Every operation once the way it succeeds.
    mutating func walkSuccesses() async throws {
        for route in ["GET /health", "GET /health/ready", "GET /api/v1/health", "GET /api/v1/health/ready",
                      "GET /openapi.json", "GET /api/v1/openapi.json"] {
            try await call(route)
        }
        let page = try await call("GET /")
        try await call("GET /", headers: [.ifNoneMatch: page.headers[.eTag] ?? ""])
        let script = try await call("GET /console/{file}", document: "app.js")
        try await call("GET /console/{file}", document: "app.js", headers: [.ifNoneMatch: script.headers[.eTag] ?? ""])
        let login = #"{"email": "owner@example.com", "password": "long enough"}"#
        try await call("POST /api/v1/auth/login", json: login)
        try await call("GET /api/v1/auth/me", headers: bearer)
        try await call("GET /api/v1/projects", headers: bearer)
        try await call("GET /api/v1/projects/{projectId}", headers: bearer)
        try await call("PATCH /api/v1/projects/{projectId}", headers: bearer, json: #"{"description": "The docs"}"#)
        let rotated = try await call("POST /api/v1/projects/{projectId}/api-key", project: otherProject, headers: bearer)
        otherKey = (rotated.openAPIObject["data"] as? [String: Any])?["apiKey"] as? String ?? ""
        let apiKey: HTTPFields = [HTTPField.Name("X-API-Key")!: key]
        let created = try await call("POST /api/v1/projects/{projectId}/documents", headers: apiKey,
                                     json: ##"{"path": "guides/auth.md", "content": "# Auth\nRotate tokens often."}"##)
        let documentID = (created.openAPIObject["data"] as? [String: Any])?["id"] as? String ?? ""
        #expect(created.headers[.eTag] == "\"v1\"")
        try await call("GET /api/v1/projects/{projectId}/documents", headers: apiKey)
        try await call("POST /api/v1/projects/{projectId}/documents/bulk", headers: apiKey,
                       json: #"{"documents": [{"path": "a.md", "content": "alpha"}, {"path": "", "content": "x"}], "mode": "upsert"}"#)
        try await call("GET /api/v1/projects/{projectId}/documents/by-path", query: "?path=guides/auth.md", headers: apiKey)
        try await call("GET /api/v1/projects/{projectId}/documents/{documentId}", document: documentID, headers: apiKey)
        try await call("PUT /api/v1/projects/{projectId}/documents/{documentId}", document: documentID, headers: apiKey,
                       json: ##"{"content": "# Auth\nRotate keys.", "version": 1}"##)
        try await call("GET /api/v1/projects/{projectId}/search", query: "?q=rotate", headers: [.authorization: "Bearer \(key)"])
        try await call("POST /api/v1/projects/{projectId}/search", headers: apiKey, json: #"{"q": "rotate", "mode": "fulltext"}"#)
        try await call("GET /api/v1/search", query: "?q=rotate", headers: [.cookie: "lore_session=\(token)"])
        try await call("DELETE /api/v1/projects/{projectId}/documents/{documentId}", document: documentID, headers: apiKey)
        let issued = try await call("POST /api/v1/projects/{projectId}/keys", headers: bearer,
                                    json: #"{"name": "agent", "access": "read", "pathPrefix": "guides/", "expiresAt": "2099-01-01T00:00:00Z"}"#)
        try await call("GET /api/v1/projects/{projectId}/keys", headers: bearer)
        let keyID = (issued.openAPIObject["data"] as? [String: Any])?["id"] as? String ?? ""
        try await call("DELETE /api/v1/projects/{projectId}/keys/{keyId}", document: keyID, headers: bearer)
        try await walkSources(apiKey: apiKey)
        let (doomed, _) = try await createProject("Doomed")
        try await call("DELETE /api/v1/projects/{projectId}", project: doomed, headers: bearer)
        let second = try await client.send(.post, "/api/v1/auth/login", json: login)
        let secondToken = second.headers[values: .setCookie].first?.split(separator: ";").first?.dropFirst("lore_session=".count)
        try await call("POST /api/v1/auth/logout", headers: [.authorization: "Bearer \(secondToken ?? "")"])
    }

    /// The sources routes the way they succeed, on a repository made here; and a write to a
    /// document the source holds (409 `source_owned`).
    mutating func walkSources(apiKey: HTTPFields) async throws {
        let repository = try GitRepositoryFixture()
        try repository.write("notes/owned.md", "# Owned\n\nFrom the repository.\n")
        let head = try repository.commit("first")
        let created = try await call("POST /api/v1/projects/{projectId}/sources", headers: bearer,
                                     json: #"{"url": "\#(repository.path)", "pathPrefix": "repo/"}"#)
        let id = (created.openAPIObject["data"] as? [String: Any])?["id"] as? String ?? ""
        try await call("GET /api/v1/projects/{projectId}/sources", headers: apiKey)
        try await call("PATCH /api/v1/projects/{projectId}/sources/{sourceId}", document: id, headers: bearer, json: #"{"intervalSeconds": 600}"#)
        try await call("POST /api/v1/projects/{projectId}/sources/{sourceId}/sync", document: id, headers: apiKey)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let source = try await call("GET /api/v1/projects/{projectId}/sources/{sourceId}", document: id, headers: apiKey)
            if (source.openAPIObject["data"] as? [String: Any])?["lastCommit"] as? String == head { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let owned = try await client.send(.get, filled("GET /api/v1/projects/{projectId}/documents/by-path") + "?path=repo/notes/owned.md",
                                          headers: apiKey, json: nil)
        let ownedID = (owned.openAPIObject["data"] as? [String: Any])?["id"] as? String ?? ""
        let refused = try await call("DELETE /api/v1/projects/{projectId}/documents/{documentId}", document: ownedID, headers: apiKey)
        #expect(refused.status == .conflict && (refused.openAPIObject["error"] as? [String: Any])?["code"] as? String == "source_owned")
        try await call("POST /api/v1/projects/{projectId}/sources", headers: bearer,
                       json: #"{"url": "\#(repository.path)", "pathPrefix": "repo/inner/"}"#)
        try await call("DELETE /api/v1/projects/{projectId}/sources/{sourceId}", document: id, headers: bearer)
    }

    /// Every error status that a client can cause, by route.
    /// Drives `/mcp` into each answer of its transport.
    mutating func exerciseMCP() async throws {
        let initialize = #"{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}}}"#
        var headers: HTTPFields = [HTTPField.Name("X-API-Key")!: key, .accept: "application/json, text/event-stream"]
        try await call("POST /mcp", headers: headers, json: initialize)
        try await call("POST /mcp", headers: headers, json: #"{"jsonrpc": "2.0", "method": "notifications/initialized"}"#)
        var badHost = headers
        badHost[HTTPField.Name("Host")!] = "evil.example"
        try await call("POST /mcp", headers: badHost, json: initialize)
        var badOrigin = headers
        badOrigin[.origin] = "http://evil.example"
        try await call("POST /mcp", headers: badOrigin, json: initialize)
        var badAccept = headers
        badAccept[.accept] = "text/html"
        try await call("POST /mcp", headers: badAccept, json: initialize)
        try await call("POST /mcp", headers: headers, json: #"{"jsonrpc": "2.0", "jsonrpc": "2.0", "id": 2, "method": "ping"}"#)
        headers[HTTPField.Name("MCP-Protocol-Version")!] = "1999-01-01"
        try await call("POST /mcp", headers: headers, json: initialize)
        try await call("GET /mcp", headers: [HTTPField.Name("X-API-Key")!: key])
        try await call("DELETE /mcp", headers: [HTTPField.Name("X-API-Key")!: key])
    }

    mutating func provokeErrors() async throws {
        let routes = OpenAPITests.producible
        let wrongKey: HTTPFields = [HTTPField.Name("X-API-Key")!: otherKey]
        let ownKey: HTTPFields = [HTTPField.Name("X-API-Key")!: key]
        for (route, entry) in routes.sorted(by: { $0.key < $1.key }) {
            let statuses = entry.statuses
            let hasBody = route.hasPrefix("POST") || route.hasPrefix("PUT") || route.hasPrefix("PATCH")
            if route == "POST /api/v1/auth/login" {
                try await call(route, json: #"{"email": "owner@example.com", "password": "wrong password"}"#)
                try await call(route, headers: [.origin: "https://elsewhere.example"],
                               json: #"{"email": "owner@example.com", "password": "long enough"}"#)
            } else if statuses.contains(401) {
                try await call(route)
                try await call(route, headers: [.authorization: "Bearer not-a-token"])
            }
            if statuses.contains(403) && route != "POST /api/v1/auth/register" {
                try await call(route, headers: entry.access == .user ? ownKey : wrongKey)
            }
            if statuses.contains(404) {
                try await call(route, project: UUID().uuidString.lowercased(), headers: bearer)
                try await call(route, project: "not-a-uuid", headers: bearer)
            }
            if statuses.contains(415) {
                try await call(route, headers: bearer + [.contentType: "text/plain"], json: "hello")
            }
            if statuses.contains(413) {
                let response = try await client.send(
                    HTTPRequest.Method(String(route.split(separator: " ")[0]))!, filled(route),
                    headers: bearer + [.contentType: "application/json", .contentLength: String(9 << 20)], body: nil)
                record(route, response)
            }
            if statuses.contains(422) {
                if hasBody {
                    try await call(route, headers: bearer, json: "{")
                } else {
                    try await call(route, query: "?limit=0", headers: bearer)
                }
            }
        }
        try await provokeConflicts()
        try await call("POST /api/v1/projects/{projectId}/documents", headers: ownKey,
                       json: #"{"path": "big.md", "content": "\#(String(repeating: "a", count: (1 << 20) + 1))"}"#)
    }

    private func filled(_ route: String) -> String {
        String(route.split(separator: " ")[1]).replacingOccurrences(of: "{projectId}", with: project)
            .replacingOccurrences(of: "{documentId}", with: UUID().uuidString.lowercased())
            .replacingOccurrences(of: "{keyId}", with: UUID().uuidString.lowercased())
            .replacingOccurrences(of: "{sourceId}", with: UUID().uuidString.lowercased())
    }

    private mutating func provokeConflicts() async throws {
        try await call("POST /api/v1/auth/register",
                       json: #"{"email": "owner@example.com", "password": "long enough", "name": "Again"}"#)
        try await call("POST /api/v1/projects", headers: bearer, json: #"{"name": "Docs"}"#)
        try await call("PATCH /api/v1/projects/{projectId}", headers: bearer, json: #"{"name": "Other"}"#)
        let body = #"{"path": "dup.md", "content": "one"}"#
        let created = try await call("POST /api/v1/projects/{projectId}/documents", headers: bearer, json: body)
        try await call("POST /api/v1/projects/{projectId}/documents", headers: bearer, json: body)
        let id = (created.openAPIObject["data"] as? [String: Any])?["id"] as? String ?? ""
        try await call("PUT /api/v1/projects/{projectId}/documents/{documentId}", document: id, headers: bearer,
                       json: #"{"content": "two", "version": 7}"#)
        for index in 0...ProjectKey.maximumPerProject {
            let response = try await client.send(.post, filled("POST /api/v1/projects/{projectId}/keys"), headers: bearer,
                                                 json: #"{"name": "key \#(index)", "access": "write"}"#)
            if response.status != .created {
                record("POST /api/v1/projects/{projectId}/keys", response)
                #expect(response.status == .conflict && index == ProjectKey.maximumPerProject)
                break
            }
        }
    }
}
