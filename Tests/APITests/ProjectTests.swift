import Foundation
import Index
import HTTPTypes
import Testing

@Suite("Projects and API keys")
struct ProjectTests {
    @Test func createListGetPatchDelete() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let created = try await api.send(.post, "/api/v1/projects", json: #"{"name": "Harbor Docs", "description": "d"}"#, headers: .bearer(token))
            #expect(created.status == .created)
            let id = try #require(created.data["id"] as? String)
            #expect((created.data["apiKey"] as? String)?.hasPrefix("lore_") == true)
            #expect(created.data["slug"] as? String == "harbor-docs")
            let stats = created.data["stats"] as? [String: Any]
            #expect(stats?["documents"] as? Int == 0 && stats?.keys.contains("embeddingModel") == true)

            _ = try await api.createProject(token: token, name: "Second")
            let list = try await api.send(.get, "/api/v1/projects?limit=1", headers: .bearer(token))
            #expect(list.status == .ok && list.list.count == 1)
            #expect(list.meta["total"] as? Int == 2 && list.meta["limit"] as? Int == 1 && list.meta["offset"] as? Int == 0)
            #expect(list.list.first?["apiKey"] == nil, "the key is shown only once")

            let fetched = try await api.send(.get, "/api/v1/projects/\(id)", headers: .bearer(token))
            #expect(fetched.status == .ok && fetched.data["apiKey"] == nil)
            let patched = try await api.send(.patch, "/api/v1/projects/\(id)", json: #"{"description": "new"}"#, headers: .bearer(token))
            #expect(patched.data["description"] as? String == "new" && patched.data["name"] as? String == "Harbor Docs")
            let duplicate = try await api.send(.post, "/api/v1/projects", json: #"{"name": "harbor docs"}"#, headers: .bearer(token))
            #expect(duplicate.status == .conflict)
            #expect(try await api.send(.delete, "/api/v1/projects/\(id)", headers: .bearer(token)).status == .noContent)
            #expect(try await api.send(.get, "/api/v1/projects/\(id)", headers: .bearer(token)).status == .notFound)
        }
    }

    @Test func anotherUsersProjectIsNotFound() async throws {
        try await TestServer.run { api in
            let ann = try await api.register(email: "ann@example.com")
            let bob = try await api.register(email: "bob@example.com")
            let project = try await api.createProject(token: ann)
            for method in [HTTPRequest.Method.get, .delete] {
                #expect(try await api.send(method, "/api/v1/projects/\(project.id)", headers: .bearer(bob)).status == .notFound)
            }
            #expect(try await api.send(.get, "/api/v1/projects/\(project.id)/documents", headers: .bearer(bob)).status == .notFound)
            #expect(try await api.send(.post, "/api/v1/projects/\(project.id)/api-key", headers: .bearer(bob)).status == .notFound)
            #expect(try await api.send(.get, "/api/v1/projects/not-a-uuid", headers: .bearer(ann)).status == .notFound)
        }
    }

    @Test func rotationStopsTheOldKeyAtOnce() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let project = try await api.createProject(token: token)
            let documents = "/api/v1/projects/\(project.id)/documents"
            #expect(try await api.send(.get, documents, headers: .apiKey(project.key)).status == .ok)
            let rotated = try await api.send(.post, "/api/v1/projects/\(project.id)/api-key", headers: .bearer(token))
            let newKey = try #require(rotated.data["apiKey"] as? String)
            #expect(newKey != project.key)
            #expect(try await api.send(.get, documents, headers: .apiKey(project.key)).status == .unauthorized)
            #expect(try await api.send(.get, documents, headers: .bearer(newKey)).status == .ok)
        }
    }

    @Test func apiKeysReachOnlyTheirProjectsDocumentsAndSearch() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let first = try await api.createProject(token: token, name: "First")
            let second = try await api.createProject(token: token, name: "Second")
            #expect(try await api.send(.get, "/api/v1/projects", headers: .apiKey(first.key)).status == .forbidden)
            #expect(try await api.send(.get, "/api/v1/projects/\(first.id)", headers: .apiKey(first.key)).status == .forbidden)
            #expect(try await api.send(.get, "/api/v1/search?q=x", headers: .apiKey(first.key)).status == .forbidden)
            #expect(try await api.send(.get, "/api/v1/projects/\(second.id)/documents", headers: .apiKey(first.key)).status == .forbidden)
            #expect(try await api.send(.get, "/api/v1/projects/\(second.id)/search?q=x", headers: .apiKey(first.key)).status == .forbidden)
            let bad = try await api.send(.get, "/api/v1/projects/\(first.id)/documents", headers: .apiKey("lore_not-a-real-key"))
            #expect(bad.status == .unauthorized && bad.errorCode == "unauthorized")
            #expect(try await api.send(.get, "/api/v1/projects/\(first.id)/documents", headers: .apiKey("nonsense")).status == .unauthorized)
            #expect(try await api.send(.get, "/api/v1/projects/\(first.id)/documents").status == .unauthorized)
        }
    }

    @Test func deletingAProjectDeletesItsDocumentsAndKey() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let project = try await api.createProject(token: token)
            try await api.createDocument(key: project.key, project: project.id, path: "a.md", content: "# A\nalpha")
            #expect(try await api.send(.delete, "/api/v1/projects/\(project.id)", headers: .bearer(token)).status == .noContent)
            #expect(try await api.send(.get, "/api/v1/projects/\(project.id)/documents", headers: .apiKey(project.key)).status == .unauthorized)
            if let sqlite = api.store as? SQLiteStore { #expect(try await sqlite.checkIntegrity()) }
        }
    }
}
