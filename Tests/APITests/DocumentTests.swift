import Foundation
import HTTPTypes
import NIOCore
import Testing

@Suite("Documents")
struct DocumentTests {
    @Test func createGetUpdateDelete() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let project = try await api.createProject(token: token)
            let base = "/api/v1/projects/\(project.id)/documents"
            let created = try await api.send(.post, base, json: ##"{"path": "guides/setup.md", "content": "# Setup\nInstall.", "tags": ["ops"], "metadata": {"owner": "infra"}}"##,
                                             headers: .apiKey(project.key))
            #expect(created.status == .created)
            #expect(created.headers[.eTag] == "\"v1\"")
            let id = try #require(created.data["id"] as? String)
            #expect(created.data["title"] as? String == "Setup" && created.data["version"] as? Int == 1)
            #expect(created.data["embeddingStatus"] as? String == "disabled")

            let byID = try await api.send(.get, "\(base)/\(id)", headers: .bearer(token))
            #expect(byID.status == .ok && byID.data["content"] as? String == "# Setup\nInstall." && byID.headers[.eTag] == "\"v1\"")
            let byPath = try await api.send(.get, "\(base)/by-path?path=guides%2Fsetup.md", headers: .apiKey(project.key))
            #expect(byPath.status == .ok && byPath.data["id"] as? String == id)

            let updated = try await api.send(.put, "\(base)/\(id)", json: ##"{"content": "# Setup\nInstall twice.", "version": 1}"##, headers: .apiKey(project.key))
            #expect(updated.status == .ok && updated.data["version"] as? Int == 2 && updated.headers[.eTag] == "\"v2\"")
            #expect((updated.data["tags"] as? [String]) == ["ops"], "omitted fields are kept")
            let stale = try await api.send(.put, "\(base)/\(id)", json: #"{"content": "lost update", "version": 1}"#, headers: .apiKey(project.key))
            #expect(stale.status == .conflict && stale.errorCode == "conflict")
            var ifMatch = HTTPFields.apiKey(project.key)
            ifMatch[.ifMatch] = "\"v2\""
            let conditional = try await api.send(.put, "\(base)/\(id)", json: #"{"content": "third"}"#, headers: ifMatch)
            #expect(conditional.status == .ok && conditional.data["version"] as? Int == 3)
            let staleIfMatch = try await api.send(.put, "\(base)/\(id)", json: #"{"content": "fourth"}"#, headers: ifMatch)
            #expect(staleIfMatch.status == .conflict)
            let unversioned = try await api.send(.put, "\(base)/\(id)", json: #"{"content": "fourth"}"#, headers: .apiKey(project.key))
            #expect(unversioned.status == .unprocessableContent && unversioned.errorFields == ["version"])

            #expect(try await api.send(.delete, "\(base)/\(id)", headers: .apiKey(project.key)).status == .noContent)
            #expect(try await api.send(.get, "\(base)/\(id)", headers: .apiKey(project.key)).status == .notFound)
            #expect(try await api.send(.delete, "\(base)/\(id)", headers: .apiKey(project.key)).status == .notFound)
        }
    }

    @Test func writeErrors() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let project = try await api.createProject(token: token)
            let base = "/api/v1/projects/\(project.id)/documents"
            try await api.createDocument(key: project.key, project: project.id, path: "a.md", content: "a")
            let duplicate = try await api.send(.post, base, json: #"{"path": "a.md", "content": "b"}"#, headers: .apiKey(project.key))
            #expect(duplicate.status == .conflict && duplicate.errorFields == ["path"])
            for badPath in ["../etc/passwd", "/abs.md", "a//b.md", "%2e%2e/x", "C:\\\\x"] {
                let response = try await api.send(.post, base, json: #"{"path": "\#(badPath)", "content": "x"}"#, headers: .apiKey(project.key))
                #expect(response.status == .unprocessableContent && response.errorFields == ["path"], "\(badPath)")
            }
            let wrongType = try await api.send(.post, base, json: #"{"path": "x.md", "content": 5}"#, headers: .apiKey(project.key))
            #expect(wrongType.status == .unprocessableContent && wrongType.errorFields == ["content"])
            let badTags = try await api.send(.post, base, json: #"{"path": "x.md", "content": "x", "tags": "ops"}"#, headers: .apiKey(project.key))
            #expect(badTags.status == .unprocessableContent && badTags.errorFields == ["tags"])
            var textHeaders = HTTPFields.apiKey(project.key)
            textHeaders[.contentType] = "text/plain"
            let text = try await api.send(.post, base, json: "path=x.md", headers: textHeaders)
            #expect(text.status == .unsupportedMediaType && text.errorCode == "unsupported_media_type")
            let huge = String(repeating: "a", count: (1 << 20) + 1)
            let oneDocument = try await api.send(.post, base, json: #"{"path": "big.md", "content": "\#(huge)"}"#, headers: .apiKey(project.key))
            #expect(oneDocument.status == .contentTooLarge && oneDocument.errorCode == "payload_too_large")
            var bodyHeaders = HTTPFields.apiKey(project.key)
            bodyHeaders[.contentType] = "application/json"
            let body = ByteBuffer(repeating: UInt8(ascii: " "), count: (8 << 20) + 16)
            let tooBig = try await api.send(.post, base, body: body, headers: bodyHeaders)
            #expect(tooBig.status == .contentTooLarge)
            #expect(try await api.send(.get, "\(base)/by-path?path=%252e%252e%2Fx", headers: .apiKey(project.key)).status == .unprocessableContent)
            #expect(try await api.send(.get, "\(base)/by-path?path=missing.md", headers: .apiKey(project.key)).status == .notFound)
            #expect(try await api.send(.get, "\(base)/by-path", headers: .apiKey(project.key)).status == .unprocessableContent)
        }
    }

    @Test func listsAreFilteredSortedAndWithoutContent() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let project = try await api.createProject(token: token)
            let base = "/api/v1/projects/\(project.id)/documents"
            try await api.createDocument(key: project.key, project: project.id, path: "b/two.md", content: "two", tags: ["x"])
            try await api.createDocument(key: project.key, project: project.id, path: "a/one.md", content: "one", tags: ["x"])
            try await api.createDocument(key: project.key, project: project.id, path: "b/three.md", content: "three")
            let all = try await api.send(.get, "\(base)?limit=2", headers: .apiKey(project.key))
            #expect(all.list.map { $0["path"] as? String } == ["a/one.md", "b/three.md"])
            #expect(all.meta["total"] as? Int == 3 && all.list.allSatisfy { $0["content"] == nil })
            let prefixed = try await api.send(.get, "\(base)?pathPrefix=b%2F", headers: .apiKey(project.key))
            #expect(prefixed.list.count == 2)
            let tagged = try await api.send(.get, "\(base)?tag=x&sort=-updatedAt", headers: .apiKey(project.key))
            #expect(tagged.list.map { $0["path"] as? String } == ["a/one.md", "b/two.md"])
            for query in ["limit=0", "limit=101", "offset=-1", "limit=ten", "sort=size"] {
                let response = try await api.send(.get, "\(base)?\(query)", headers: .apiKey(project.key))
                #expect(response.status == .unprocessableContent, "\(query)")
            }
        }
    }

    @Test func bulkLandsValidItemsAndReportsTheRest() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let project = try await api.createProject(token: token)
            let base = "/api/v1/projects/\(project.id)/documents"
            try await api.createDocument(key: project.key, project: project.id, path: "exists.md", content: "old")
            let body = #"{"mode": "upsert", "documents": [{"path": "new.md", "content": "fresh"}, {"path": "../bad", "content": "x"}, {"path": "exists.md", "content": "old"}, {"path": "exists.md", "content": "changed"}]}"#
            let response = try await api.send(.post, "\(base)/bulk", json: body, headers: .apiKey(project.key))
            #expect(response.status == .ok)
            #expect(response.list.map { $0["status"] as? String } == ["created", "error", "unchanged", "updated"])
            #expect((response.list[1]["error"] as? [String: Any])?["code"] as? String == "validation_error")
            #expect(response.meta["failed"] as? Int == 1)
            let createMode = try await api.send(.post, "\(base)/bulk", json: #"{"documents": [{"path": "new.md", "content": "again"}]}"#, headers: .apiKey(project.key))
            #expect(createMode.list.first?["status"] as? String == "error")
            let items = (0...1_000).map { #"{"path": "many/\#($0).md", "content": "x"}"# }.joined(separator: ",")
            let tooMany = try await api.send(.post, "\(base)/bulk", json: #"{"documents": [\#(items)]}"#, headers: .apiKey(project.key))
            #expect(tooMany.status == .unprocessableContent && tooMany.errorFields == ["documents"])
        }
    }
}
