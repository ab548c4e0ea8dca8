import Foundation
import HTTPTypes
import Testing

@Suite("MCP over Streamable HTTP")
struct MCPTests {
    static let toolNames = ["search", "read_document", "write_document", "list_documents", "delete_document"]

    @Test func initializeNegotiatesTheProtocolAndAnnouncesTools() async throws {
        try await TestServer.run { api in
            let project = try await api.createProject(token: try await api.register())
            let result = try await MCPTestClient(api, key: project.key).initialize()
            #expect(result["protocolVersion"] as? String == MCPTestClient.protocolVersion)
            #expect((result["serverInfo"] as? [String: Any])?["name"] as? String == "lore")
            #expect((result["capabilities"] as? [String: Any])?["tools"] != nil)
            #expect((result["instructions"] as? String)?.isEmpty == false)
        }
    }

    @Test func toolsListDescribesEveryToolWithSchemasAndAnnotations() async throws {
        try await TestServer.run { api in
            let project = try await api.createProject(token: try await api.register())
            let tools = try await MCPTestClient(api, key: project.key).tools()
            #expect(tools.compactMap { $0["name"] as? String } == Self.toolNames)
            let required: [String: [String]] = [
                "search": ["query"], "read_document": ["path"], "write_document": ["path", "content"],
                "list_documents": [], "delete_document": ["path"],
            ]
            let hints: [String: [Bool]] = [
                "search": [true, false, true], "read_document": [true, false, true], "list_documents": [true, false, true],
                "write_document": [false, true, true], "delete_document": [false, true, true],
            ]
            for tool in tools {
                let name = try #require(tool["name"] as? String)
                #expect((tool["description"] as? String ?? "").count > 80, "\(name) needs a description an agent can act on")
                let schema = try #require(tool["inputSchema"] as? [String: Any])
                #expect(schema["type"] as? String == "object" && schema["additionalProperties"] as? Bool == false)
                #expect(Set(schema["required"] as? [String] ?? []) == Set(required[name] ?? ["?"]), "\(name) required")
                for (property, definition) in schema["properties"] as? [String: [String: Any]] ?? [:] {
                    #expect(definition["type"] != nil && definition["description"] != nil, "\(name).\(property)")
                }
                #expect((tool["outputSchema"] as? [String: Any])?["type"] as? String == "object", "\(name) output schema")
                let annotations = try #require(tool["annotations"] as? [String: Any])
                let got = ["readOnlyHint", "destructiveHint", "idempotentHint"].map { annotations[$0] as? Bool }
                #expect(got == hints[name], "\(name) annotations")
            }
            let search = try #require(tools.first { $0["name"] as? String == "search" })
            let properties = (search["inputSchema"] as? [String: Any])?["properties"] as? [String: [String: Any]]
            #expect(properties?["mode"]?["enum"] as? [String] == ["hybrid", "fulltext", "semantic"])
            #expect(properties?["limit"]?["maximum"] as? Int == 100)
        }
    }

    @Test func writeSearchReadListDeleteRoundTrip() async throws {
        try await TestServer.run { api in
            let project = try await api.createProject(token: try await api.register())
            let mcp = MCPTestClient(api, key: project.key)
            let content = "# Token refresh\n\n## Rotation\n\nRefresh tokens rotate on every use of the quokkaflow endpoint.\n"

            let written = try await mcp.call("write_document", ["path": "docs/auth/refresh.md", "content": content, "tags": ["auth"]])
            #expect(!written.isError, "\(written.text)")
            #expect(written.structured["outcome"] as? String == "created")
            let document = try #require(written.structured["document"] as? [String: Any])
            #expect(document["title"] as? String == "Token refresh" && document["version"] as? Int == 1)

            let found = try await mcp.call("search", ["query": "quokkaflow"])
            #expect(!found.isError, "\(found.text)")
            let hits = try #require(found.structured["hits"] as? [[String: Any]])
            #expect(hits.compactMap { $0["path"] as? String } == ["docs/auth/refresh.md"], "synchronous: findable at once")
            #expect((hits.first?["chunk"] as? [String: Any])?["heading"] is String)
            #expect(found.text.contains("docs/auth/refresh.md") && found.text.contains("**quokkaflow**"))
            #expect(found.structured["requestedMode"] as? String == "hybrid")

            let read = try await mcp.call("read_document", ["path": "docs/auth/refresh.md"])
            #expect(read.structured["content"] as? String == content && read.text.contains("quokkaflow endpoint"))

            let replaced = try await mcp.call("write_document", ["path": "docs/auth/refresh.md", "content": "# Token refresh\n\nNow simpler."])
            #expect(replaced.structured["outcome"] as? String == "updated")
            #expect((replaced.structured["document"] as? [String: Any])?["version"] as? Int == 2)
            #expect(try await mcp.call("search", ["query": "quokkaflow", "mode": "fulltext"]).structured["total"] as? Int == 0)

            _ = try await mcp.call("write_document", ["path": "notes/other.md", "content": "Other."])
            let listed = try await mcp.call("list_documents", ["pathPrefix": "docs/"])
            #expect(listed.structured["total"] as? Int == 1)
            #expect((listed.structured["documents"] as? [[String: Any]])?.first?["content"] == nil, "lists carry no content")
            let paged = try await mcp.call("list_documents", ["limit": 1])
            #expect(paged.structured["total"] as? Int == 2 && paged.text.contains("offset 1"))

            let deleted = try await mcp.call("delete_document", ["path": "docs/auth/refresh.md"])
            #expect(!deleted.isError && deleted.structured["deleted"] as? Bool == true)
            let gone = try await api.send(.get, "/api/v1/projects/\(project.id)/documents/by-path?path=docs/auth/refresh.md",
                                          headers: .apiKey(project.key))
            #expect(gone.status == .notFound, "the HTTP API sees the MCP delete")
        }
    }

    @Test(arguments: [
        ("write_document", ["path": "../secrets.md", "content": "x"] as [String: any Sendable], "path"),
        ("write_document", ["path": "docs/%2e%2e/x.md", "content": "x"], "path"),
        ("read_document", ["path": "/etc/passwd"], "relative"),
        ("read_document", ["path": "docs/missing.md"], "list_documents"),
        ("delete_document", ["path": "docs/missing.md"], "No document"),
        ("search", ["query": ""], "query"),
        ("search", ["query": "  \n "], "query"),
        ("search", ["query": "x", "limit": "ten"], "integer"),
        ("search", ["query": "x", "limit": 0], "limit"),
        ("search", ["query": "x", "mode": "psychic"], "hybrid"),
        ("search", ["query": 42], "string"),
        ("search", ["q": "x"], "query"),
        ("write_document", ["path": "a.md"], "content"),
        ("write_document", ["path": "a.md", "content": "x", "tags": "one"], "array"),
        ("list_documents", ["offset": -1], "offset"),
        ("list_documents", ["limit": 101], "limit"),
    ])
    func badArgumentsAreErrorResultsThatSayHowToRecover(tool: String, arguments: [String: any Sendable], mentions: String) async throws {
        try await TestServer.run { api in
            let project = try await api.createProject(token: try await api.register())
            let mcp = MCPTestClient(api, key: project.key)
            let result = try await mcp.call(tool, arguments)
            #expect(result.isError, "\(tool) \(arguments): \(result.text)")
            #expect(result.text.localizedCaseInsensitiveContains(mentions), "\(result.text)")
            #expect(result.errorCode != nil, "structured error for programs")
            let after = try await mcp.call("list_documents", [:])
            #expect(!after.isError, "the session stays usable")
        }
    }

    @Test func anUnknownToolIsAJSONRPCError() async throws {
        try await TestServer.run { api in
            let project = try await api.createProject(token: try await api.register())
            let response = try await MCPTestClient(api, key: project.key).post([
                "jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": ["name": "drop_database", "arguments": [String: Any]()],
            ])
            let error = response.object["error"] as? [String: Any]
            #expect(error?["code"] as? Int == -32602)
            #expect((error?["message"] as? String)?.contains("search") == true, "names the tools there are")
        }
    }

    @Test func noKeyOrAWrongKeyIs401WithTheErrorEnvelope() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let project = try await api.createProject(token: token)
            let cases: [(String, HTTPFields)] = [
                ("no key", [:]),
                ("wrong key", .bearer("lore_0000000000000000000000000000000000000000")),
                ("altered key", .apiKey(project.key + "x")),
                ("not a key", .bearer("not-a-key")),
                ("session token", .bearer(token)),
            ]
            for (name, credentials) in cases {
                let response = try await MCPTestClient(api, credentials: credentials).post([
                    "jsonrpc": "2.0", "id": 1, "method": "tools/list",
                ])
                #expect(response.status == .unauthorized, "\(name)")
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true, "\(name)")
                #expect(response.errorCode == "unauthorized" && response.meta["requestId"] != nil, "\(name): \(response.text)")
            }
            for method in [HTTPRequest.Method.get, .delete] {
                #expect(try await api.send(method, "/mcp").status == .unauthorized)
            }
            let viaHeader = try await MCPTestClient(api, credentials: .apiKey(project.key)).tools()
            #expect(viaHeader.count == Self.toolNames.count, "X-API-Key works too")
        }
    }

    @Test func aRotatedKeyStopsWorkingAtOnce() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let project = try await api.createProject(token: token)
            let old = MCPTestClient(api, key: project.key)
            _ = try await old.initialize()
            #expect(!(try await old.call("list_documents", [:])).isError)

            let rotated = try await api.send(.post, "/api/v1/projects/\(project.id)/api-key", headers: .bearer(token))
            let newKey = try #require(rotated.data["apiKey"] as? String)
            let refused = try await old.post(["jsonrpc": "2.0", "id": 2, "method": "tools/call",
                                              "params": ["name": "list_documents", "arguments": [String: Any]()]])
            #expect(refused.status == .unauthorized && refused.errorCode == "unauthorized")
            #expect(!(try await MCPTestClient(api, key: newKey).call("list_documents", [:])).isError)
        }
    }

    @Test func concurrentClientsOfTwoProjectsSeeOnlyTheirOwnAnswers() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let alpha = MCPTestClient(api, key: try await api.createProject(token: token, name: "Alpha").key)
            let beta = MCPTestClient(api, key: try await api.createProject(token: token, name: "Beta").key)
            for (client, name) in [(alpha, "alpha"), (beta, "beta")] {
                let written = try await client.call("write_document", ["path": "about.md", "content": "# \(name)\n\nThis is \(name)."])
                #expect(!written.isError)
            }
            // Same JSON-RPC id everywhere, both projects at once: each answer must be its own.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for round in 0..<20 {
                    let (client, name) = round.isMultiple(of: 2) ? (alpha, "alpha") : (beta, "beta")
                    group.addTask {
                        let read = try await client.call("read_document", ["path": "about.md"], id: 1)
                        #expect(read.structured["title"] as? String == name, "round \(round) got \(read.text)")
                        let found = try await client.call("search", ["query": name == "alpha" ? "beta" : "alpha"], id: 1)
                        #expect(found.structured["total"] as? Int == 0, "round \(round) saw the other project")
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    @Test func theEndpointAnswersLikeAStatelessStreamableHTTPServer() async throws {
        try await TestServer.run { api in
            let project = try await api.createProject(token: try await api.register())
            let mcp = MCPTestClient(api, key: project.key)
            let initialize = try await mcp.post(["jsonrpc": "2.0", "id": 1, "method": "initialize", "params": [
                "protocolVersion": MCPTestClient.protocolVersion, "capabilities": [String: Any](),
                "clientInfo": ["name": "t", "version": "1"],
            ]])
            #expect(initialize.status == .ok && initialize.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(initialize.headers[HTTPField.Name("MCP-Session-Id")!] == nil, "no session to keep")
            let initialized = try await mcp.post(["jsonrpc": "2.0", "method": "notifications/initialized"])
            #expect(initialized.status == .accepted)
            for method in [HTTPRequest.Method.get, .delete] {
                let response = try await api.send(method, "/mcp", headers: .bearer(project.key))
                #expect(response.status == .methodNotAllowed, "no event stream, no session to end")
            }
            let badVersion = try await mcp.post(["jsonrpc": "2.0", "id": 1, "method": "tools/list"],
                                                headers: [HTTPField.Name("MCP-Protocol-Version")!: "1999-01-01"])
            #expect(badVersion.status == .badRequest)
            let foreignOrigin = try await mcp.post(["jsonrpc": "2.0", "id": 1, "method": "tools/list"],
                                                   headers: [.origin: "https://evil.example"])
            #expect(foreignOrigin.status == .forbidden, "DNS-rebinding protection")
            let localOrigin = try await mcp.post(["jsonrpc": "2.0", "id": 1, "method": "tools/list"],
                                                 headers: [.origin: "http://127.0.0.1:3000"])
            #expect(localOrigin.status == .ok)
        }
    }
}
