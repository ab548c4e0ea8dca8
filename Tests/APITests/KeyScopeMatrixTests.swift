import Foundation
import HTTPTypes
import Index
import Testing

/// SPEC §10, every route and every MCP tool against every kind of key: the project's own key, a
/// write key, a read key, keys confined to `team/` (write and read), and an expired key. Routes
/// come from `/openapi.json`, so a new route without an expectation here fails the test.
@Suite("Key scopes: every route and tool × every kind of key")
struct KeyScopeMatrixTests {
    enum Kind: String, CaseIterable, CustomStringConvertible {
        case full, write, read, scopedWrite, scopedRead, expired
        var description: String { rawValue }
        var writes: Bool { self == .full || self == .write || self == .scopedWrite }
        var confined: Bool { self == .scopedWrite || self == .scopedRead }
    }

    /// The world every kind is tried in: a project with a document inside `team/` and one outside,
    /// and a Git source filling a folder inside `team/` and one outside.
    struct Fixture {
        let api: APIClient
        let token: String
        let project: String
        let keys: [Kind: String]
        var sources: [Bool: String] = [:]

        static func make(_ api: APIClient) async throws -> Fixture {
            let token = try await api.register()
            let project = try await api.createProject(token: token)
            var keys: [Kind: String] = [.full: project.key]
            let specs: [(Kind, String)] = [
                (.write, #"{"name": "ci", "access": "write"}"#),
                (.read, #"{"name": "chatbot", "access": "read"}"#),
                (.scopedWrite, #"{"name": "agent", "access": "write", "pathPrefix": "team"}"#),
                (.scopedRead, #"{"name": "reader", "access": "read", "pathPrefix": "team/"}"#),
                (.expired, #"{"name": "old", "access": "write", "expiresAt": "\#(ISO8601DateFormatter().string(from: Date().addingTimeInterval(2)))"}"#),
            ]
            for (kind, body) in specs {
                let response = try await api.send(.post, "/api/v1/projects/\(project.id)/keys", json: body, headers: .bearer(token))
                guard response.status == .created, let key = response.data["key"] as? String else {
                    throw TestFailure("creating the \(kind) key: \(response.status) \(response.text)")
                }
                keys[kind] = key
            }
            var fixture = Fixture(api: api, token: token, project: project.id, keys: keys)
            fixture.sources = [true: try await fixture.source(in: "team"), false: try await fixture.source(in: "other")]
            _ = try await fixture.document("team/inside.md")
            _ = try await fixture.document("other/outside.md")
            try await Task.sleep(for: .seconds(2.2))
            return fixture
        }

        /// Adds a source (of a repository that is not there: its syncs fail, it stays) filling a new
        /// folder inside `folder`, as the owner; returns its id.
        func source(in folder: String) async throws -> String {
            let body = #"{"url": "/nonexistent/repo.git", "pathPrefix": "\#(folder)/src-\#(UUID().uuidString)/", "intervalSeconds": 604800}"#
            let response = try await api.send(.post, "/api/v1/projects/\(project)/sources", json: body, headers: .bearer(token))
            guard response.status == .created, let id = response.data["id"] as? String else {
                throw TestFailure("adding a source: \(response.status) \(response.text)")
            }
            return id
        }

        /// Writes a document with the project's own key; returns its id.
        func document(_ path: String) async throws -> String {
            let data = try await api.createDocument(key: keys[.full]!, project: project, path: path,
                                                    content: "# \(path)\n\nquokka marker for \(path)\n")
            return data["id"] as? String ?? ""
        }
    }

    /// What a route answers for a kind, on a target inside `team/` or outside it.
    static func expected(_ route: String, _ kind: Kind, inside: Bool) -> Int? {
        if kind == .expired { return 401 }
        let reachable = inside || !kind.confined
        switch route {
        case "GET /api/v1/projects/{projectId}/documents", "GET /api/v1/projects/{projectId}/search",
             "POST /api/v1/projects/{projectId}/search":
            return 200
        case "GET /api/v1/projects/{projectId}/documents/by-path", "GET /api/v1/projects/{projectId}/documents/{documentId}":
            return reachable ? 200 : 404
        case "POST /api/v1/projects/{projectId}/documents":
            return kind.writes && reachable ? 201 : 403
        case "POST /api/v1/projects/{projectId}/documents/bulk", "PUT /api/v1/projects/{projectId}/documents/{documentId}":
            return kind.writes && reachable ? 200 : 403
        case "DELETE /api/v1/projects/{projectId}/documents/{documentId}":
            return kind.writes && reachable ? 204 : 403
        // Sources: any key reads them; managing them takes a write key that reaches the whole
        // project; syncing one, a write key that reaches its folder.
        case "GET /api/v1/projects/{projectId}/sources", "GET /api/v1/projects/{projectId}/sources/{sourceId}":
            return 200
        case "POST /api/v1/projects/{projectId}/sources":
            return kind.writes && !kind.confined ? 201 : 403
        case "PATCH /api/v1/projects/{projectId}/sources/{sourceId}":
            return kind.writes && !kind.confined ? 200 : 403
        case "DELETE /api/v1/projects/{projectId}/sources/{sourceId}":
            return kind.writes && !kind.confined ? 204 : 403
        case "POST /api/v1/projects/{projectId}/sources/{sourceId}/sync":
            return kind.writes && reachable ? 202 : 403
        case "GET /mcp", "DELETE /mcp":
            return 405
        case "POST /mcp":
            return 200
        default:
            return nil
        }
    }

    @Test func everyRouteAnswersEveryKindOfKeyAsTheSpecSays() async throws {
        try await TestServer.run { api in
            let fixture = try await Fixture.make(api)
            let document = try OpenAPIDocumentJSON(data: Data(buffer: try await api.send(.get, "/openapi.json").body))
            var checked = 0
            for operation in document.operations.sorted(by: { $0.key < $1.key }) {
                let schemes = Set((operation.value["security"] as? [[String: Any]] ?? []).flatMap(\.keys))
                guard !schemes.isEmpty else { continue }
                for kind in Kind.allCases {
                    let key = fixture.keys[kind]!
                    if !schemes.contains("apiKeyHeader") {
                        // A person's route: a key is refused, as a key (403) or as expired (401).
                        let status = try await Self.send(operation.key, key: key, fixture: fixture, inside: true)
                        #expect(status == (kind == .expired ? 401 : 403), "\(operation.key) with a \(kind) key answered \(status)")
                        checked += 1
                        continue
                    }
                    for inside in [true, false] {
                        guard let wanted = Self.expected(operation.key, kind, inside: inside) else {
                            Issue.record("no expectation for \(operation.key): add it to KeyScopeMatrixTests.expected")
                            break
                        }
                        let status = try await Self.send(operation.key, key: key, fixture: fixture, inside: inside)
                        #expect(status == wanted, "\(operation.key) with a \(kind) key, target \(inside ? "inside" : "outside"): \(status), not \(wanted)")
                        checked += 1
                    }
                }
            }
            #expect(checked > 150)
        }
    }

    /// Sends the route's request with `key`, on a target inside or outside `team/`; the status.
    static func send(_ route: String, key: String, fixture: Fixture, inside: Bool) async throws -> Int {
        let api = fixture.api
        let folder = inside ? "team" : "other"
        let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
        let method = HTTPRequest.Method(parts[0])!
        var path = parts[1].replacingOccurrences(of: "{projectId}", with: fixture.project)
            .replacingOccurrences(of: "{keyId}", with: UUID().uuidString.lowercased())
        if path.contains("{sourceId}") {
            // A delete gets a source of its own; the others share the fixture's.
            let source = parts[0] == "DELETE" ? try await fixture.source(in: folder) : fixture.sources[inside]!
            path = path.replacingOccurrences(of: "{sourceId}", with: source)
        }
        if path.contains("{documentId}") {
            path = path.replacingOccurrences(of: "{documentId}", with: try await fixture.document("\(folder)/\(UUID().uuidString).md"))
        }
        let headers: HTTPFields = .apiKey(key)
        var body: String? = ["POST", "PUT", "PATCH"].contains(parts[0]) ? "{}" : nil
        var query = ""
        switch route {
        case "GET /api/v1/projects/{projectId}/documents/by-path": query = "?path=\(folder)/\(inside ? "inside" : "outside").md"
        case "GET /api/v1/projects/{projectId}/search", "GET /api/v1/search": query = "?q=quokka"
        case "POST /api/v1/projects/{projectId}/search": body = #"{"q": "quokka"}"#
        case "POST /api/v1/projects/{projectId}/documents":
            body = #"{"path": "\#(folder)/new-\#(UUID().uuidString).md", "content": "new"}"#
        case "POST /api/v1/projects/{projectId}/documents/bulk":
            body = #"{"documents": [{"path": "\#(folder)/bulk-\#(UUID().uuidString).md", "content": "new"}]}"#
        case "PUT /api/v1/projects/{projectId}/documents/{documentId}": body = #"{"content": "changed", "version": 1}"#
        case "POST /api/v1/projects/{projectId}/sources":
            body = #"{"url": "/nonexistent/repo.git", "pathPrefix": "\#(folder)/new-\#(UUID().uuidString)/", "intervalSeconds": 604800}"#
        case "POST /mcp":
            let initialize = #"{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}"#
            return Int(try await api.send(.post, path, json: initialize,
                                          headers: headers + [.accept: "application/json, text/event-stream"]).status.code)
        default: break
        }
        let response = try await api.send(method, path + query, json: body, headers: headers)
        if response.status == .ok, route.hasSuffix("/documents") || route.contains("search") {
            // Listings and searches: a confined key sees nothing outside its folder.
            let paths = response.list.compactMap { $0["path"] as? String }
            if fixture.keys[.scopedRead] == key || fixture.keys[.scopedWrite] == key {
                #expect(paths.allSatisfy { $0.hasPrefix("team/") }, "\(route) showed \(paths)")
                #expect(response.meta["total"] as? Int == paths.count, "\(route) counted \(response.meta["total"] ?? "?") for \(paths)")
            } else if route.hasSuffix("/documents") {
                #expect(paths.contains { $0.hasPrefix("other/") }, "\(route) hid documents from an unconfined key")
            }
        }
        return Int(response.status.code)
    }

    @Test func everyMCPToolAnswersEveryKindOfKeyAsTheSpecSays() async throws {
        try await TestServer.run { api in
            let fixture = try await Fixture.make(api)
            for kind in Kind.allCases {
                let mcp = MCPTestClient(api, key: fixture.keys[kind]!)
                if kind == .expired {
                    let response = try await mcp.post(["jsonrpc": "2.0", "id": 1, "method": "tools/list"])
                    #expect(response.status == .unauthorized && response.text.contains("expired"))
                    continue
                }
                let names = try await mcp.tools().compactMap { $0["name"] as? String }
                #expect(names == (kind.writes ? MCPTests.toolNames : ["search", "read_document", "list_documents"]), "\(kind): \(names)")

                let search = try await mcp.call("search", ["query": "quokka marker"])
                let hits = (search.structured["hits"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
                #expect(!search.isError && !hits.isEmpty)
                #expect(hits.allSatisfy { $0.hasPrefix("team/") } == kind.confined || !kind.confined, "\(kind) search: \(hits)")
                if kind.confined { #expect(search.structured["total"] as? Int == hits.count) }
                let listed = try await mcp.call("list_documents", [:])
                let paths = (listed.structured["documents"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
                #expect(paths.contains("other/outside.md") == !kind.confined, "\(kind) list: \(paths)")

                for inside in [true, false] {
                    let folder = inside ? "team" : "other"
                    let reachable = inside || !kind.confined
                    let read = try await mcp.call("read_document", ["path": "\(folder)/\(inside ? "inside" : "outside").md"])
                    #expect(read.isError == !reachable && (reachable || read.errorCode == "not_found"), "\(kind) read \(folder)")

                    let write = try await mcp.call("write_document", ["path": "\(folder)/mcp-\(UUID().uuidString).md", "content": "x"])
                    #expect(write.isError == !(kind.writes && reachable), "\(kind) write \(folder): \(write.text)")
                    if write.isError {
                        #expect(write.errorCode == "forbidden", "\(kind) write \(folder): \(write.text)")
                        #expect(write.text.contains(kind.writes ? "team/" : "only read"), "\(kind): \(write.text)")
                    }
                    let doomed = "\(folder)/doomed-\(UUID().uuidString).md"
                    _ = try await fixture.document(doomed)
                    let delete = try await mcp.call("delete_document", ["path": doomed])
                    #expect(delete.isError == !(kind.writes && reachable) && (!delete.isError || delete.errorCode == "forbidden"),
                            "\(kind) delete \(folder): \(delete.text)")
                }
            }
        }
    }
}
