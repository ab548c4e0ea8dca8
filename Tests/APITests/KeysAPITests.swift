import Foundation
import HTTPTypes
import Testing

/// `/projects/{projectId}/keys`, token budgets and reading by section, over HTTP and MCP.
@Suite("Scoped keys, budgets and sections over HTTP and MCP")
struct KeysAPITests {
    @Test func ownersIssueListAndRevokeKeys() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let project = try await api.createProject(token: token)
            let base = "/api/v1/projects/\(project.id)/keys"
            let created = try await api.send(.post, base, json: #"{"name": "claude", "access": "read", "pathPrefix": "handbook/", "expiresAt": "2099-01-31T00:00:00.000Z"}"#,
                                             headers: .bearer(token))
            #expect(created.status == .created)
            let key = try #require(created.data["key"] as? String)
            let id = try #require(created.data["id"] as? String)
            #expect(key.hasPrefix("lore_") && created.data["prefix"] as? String == String(key.prefix(11)))
            #expect(created.data["access"] as? String == "read" && created.data["pathPrefix"] as? String == "handbook/")
            #expect(created.data["expiresAt"] as? String == "2099-01-31T00:00:00Z" && created.data["lastUsedAt"] is NSNull)

            // The key works, and its use shows in the list, which never shows the key itself.
            #expect(try await api.send(.get, "/api/v1/projects/\(project.id)/documents", headers: .apiKey(key)).status == .ok)
            let listed = try await api.send(.get, base, headers: .cookie(token))
            #expect(listed.status == .ok && listed.meta["total"] as? Int == 1)
            let record = try #require(listed.list.first)
            #expect(record["key"] == nil && !listed.text.contains(key))
            #expect(record["id"] as? String == id && record["lastUsedAt"] is String)

            // Keys cannot manage keys; other people do not see the project.
            for credential in [project.key, key] {
                #expect(try await api.send(.get, base, headers: .apiKey(credential)).status == .forbidden)
                #expect(try await api.send(.post, base, json: #"{"name": "x", "access": "write"}"#, headers: .apiKey(credential)).status == .forbidden)
                #expect(try await api.send(.delete, "\(base)/\(id)", headers: .apiKey(credential)).status == .forbidden)
            }
            let stranger = try await api.register(email: "stranger@example.com")
            #expect(try await api.send(.get, base, headers: .bearer(stranger)).status == .notFound)
            #expect(try await api.send(.delete, "\(base)/\(id)", headers: .bearer(stranger)).status == .notFound)

            // Revoked: refused at once; revoking again, or a malformed id, is a 404.
            #expect(try await api.send(.delete, "\(base)/\(id)", headers: .bearer(token)).status == .noContent)
            let refused = try await api.send(.get, "/api/v1/projects/\(project.id)/documents", headers: .apiKey(key))
            #expect(refused.status == .unauthorized && refused.errorCode == "unauthorized")
            #expect(try await api.send(.delete, "\(base)/\(id)", headers: .bearer(token)).status == .notFound)
            #expect(try await api.send(.delete, "\(base)/not-a-uuid", headers: .bearer(token)).status == .notFound)
            // The project's own key is untouched.
            #expect(try await api.send(.get, "/api/v1/projects/\(project.id)/documents", headers: .apiKey(project.key)).status == .ok)
        }
    }

    @Test(arguments: [
        (#"{"name": "x"}"#, "access"),
        (#"{"name": "x", "access": "admin"}"#, "access"),
        (#"{"access": "read"}"#, "name"),
        (#"{"name": "", "access": "read"}"#, "name"),
        (#"{"name": "x", "access": "read", "pathPrefix": "/etc"}"#, "pathPrefix"),
        (#"{"name": "x", "access": "read", "pathPrefix": "a/../b"}"#, "pathPrefix"),
        (#"{"name": "x", "access": "read", "expiresAt": "2001-01-01T00:00:00Z"}"#, "expiresAt"),
        (#"{"name": "x", "access": "read", "expiresAt": "tomorrow"}"#, "expiresAt"),
        (#"{"name": "x", "access": "read", "expiresAt": 12}"#, "expiresAt"),
    ])
    func badKeyRequestsNameTheField(body: String, field: String) async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let project = try await api.createProject(token: token)
            let response = try await api.send(.post, "/api/v1/projects/\(project.id)/keys", json: body, headers: .bearer(token))
            #expect(response.status == .unprocessableContent && response.errorFields == [field], "\(response.text)")
        }
    }

    @Test func searchFitsItsTokenBudget() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let project = try await api.createProject(token: token)
            for index in 0..<12 {
                try await api.createDocument(key: project.key, project: project.id, path: "notes/\(index).md",
                                             content: "# Note \(index)\n\n" + Array(repeating: "the quokka budget rotates keys", count: 20).joined(separator: " "))
            }
            let search = "/api/v1/projects/\(project.id)/search?q=quokka&mode=fulltext"
            let whole = try await api.send(.get, search, headers: .apiKey(project.key))
            #expect(whole.meta["truncated"] as? Bool == false && whole.list.count == 10)
            let cut = try await api.send(.get, search + "&maxTokens=200", headers: .apiKey(project.key))
            #expect(cut.status == .ok && cut.meta["truncated"] as? Bool == true)
            #expect(!cut.list.isEmpty && cut.list.count < 10 && cut.meta["total"] as? Int == 12)
            let body = try await api.send(.post, "/api/v1/projects/\(project.id)/search",
                                          json: #"{"q": "quokka", "maxTokens": 200, "mode": "fulltext"}"#, headers: .apiKey(project.key))
            #expect(body.list.count == cut.list.count)
            for bad in ["63", "32001", "many", "-1"] {
                let response = try await api.send(.get, search + "&maxTokens=\(bad)", headers: .apiKey(project.key))
                #expect(response.status == .unprocessableContent && response.errorFields == ["maxTokens"], "\(bad)")
            }
            let mcp = MCPTestClient(api, key: project.key)
            let result = try await mcp.call("search", ["query": "quokka", "mode": "fulltext", "maxTokens": 200])
            #expect(result.structured["truncated"] as? Bool == true)
            #expect((result.structured["hits"] as? [Any])?.count == cut.list.count)
            #expect(try await mcp.call("search", ["query": "quokka", "maxTokens": 10]).errorCode == "validation_error")
        }
    }

    @Test func readDocumentReturnsASectionOrLines() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let project = try await api.createProject(token: token)
            let content = """
                # Guide
                Intro line.
                ## Install
                Generic steps.
                ### Linux
                apt-get install lore
                ```sh
                # not a heading
                ```
                ### macOS
                brew install lore
                ## Usage
                lore serve

                """
            try await api.createDocument(key: project.key, project: project.id, path: "docs/guide.md", content: content)
            let mcp = MCPTestClient(api, key: project.key)
            let linux = try await mcp.call("read_document", ["path": "docs/guide.md", "heading": "install > LINUX"])
            #expect(!linux.isError)
            #expect(linux.structured["content"] as? String == "### Linux\napt-get install lore\n```sh\n# not a heading\n```")
            #expect(linux.structured["lines"] as? String == "5-9" && linux.structured["totalLines"] as? Int == 13)
            let install = try await mcp.call("read_document", ["path": "docs/guide.md", "heading": "Install"])
            #expect(install.structured["lines"] as? String == "3-11")
            let lines = try await mcp.call("read_document", ["path": "docs/guide.md", "lines": "12-99"])
            #expect(lines.structured["content"] as? String == "## Usage\nlore serve" && lines.structured["lines"] as? String == "12-13")
            let whole = try await mcp.call("read_document", ["path": "docs/guide.md"])
            #expect(whole.structured["content"] as? String == content && whole.structured["lines"] as? String == "1-13")

            let missing = try await mcp.call("read_document", ["path": "docs/guide.md", "heading": "Windows"])
            #expect(missing.errorCode == "validation_error" && missing.text.contains("Install > Linux"))
            for (arguments, field) in [
                (["lines": "14-20"], "lines"), (["lines": "9-3"], "lines"), (["lines": "0"], "lines"), (["lines": "a-b"], "lines"),
                (["lines": "1-2", "heading": "Usage"], "lines"),
            ] as [([String: String], String)] {
                var call: [String: Any] = ["path": "docs/guide.md"]
                for (name, value) in arguments { call[name] = value }
                let result = try await mcp.call("read_document", call)
                #expect(result.isError && (result.structured["error"] as? [String: Any])?["field"] as? String == field, "\(arguments)")
            }
        }
    }
}
