import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import LoreTestSupport
import NIOCore
import Testing

/// `/projects/{projectId}/sources` over a real server and a real repository: who may manage a
/// source, the push webhook's signatures, provenance in documents and hits, and `source_owned`.
@Suite("Sources over HTTP")
struct SourcesAPITests {
    static func signature(_ secret: String, _ body: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    static func webhook(_ api: APIClient, _ path: String, body: String, headers: HTTPFields) async throws -> TestResponse {
        var fields = headers
        fields[.contentType] = "application/json"
        return try await api.send(.post, path, body: ByteBuffer(string: body), headers: fields)
    }

    /// Polls the source until `condition` holds on it (at most 30 s).
    static func waitForSource(_ api: APIClient, _ path: String, key: String, _ condition: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(30)
        while true {
            let response = try await api.send(.get, path, headers: .apiKey(key))
            if response.status == .ok, condition(response.data) || Date() > deadline { return response.data }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    @Test func pushWebhooksAreCheckedAndTheRepositoryOwnsItsDocuments() async throws {
        let repository = try GitRepositoryFixture()
        try repository.write("guide/intro.md", "# Intro\n\nThe quokka guide.\n")
        let first = try repository.commit("first")
        try await TestServer.run { api in
            let token = try await api.register()
            let project = try await api.createProject(token: token)
            let base = "/api/v1/projects/\(project.id)/sources"

            // Credentials never pass through the API; a read key may not add sources.
            let withPassword = try await api.send(.post, base, json: #"{"url": "https://bob:hunter22@example.com/x.git"}"#, headers: .bearer(token))
            #expect(withPassword.status == .unprocessableContent && withPassword.errorCode == "validation_error" && !withPassword.text.contains("hunter22"))
            let reader = try await api.send(.post, "/api/v1/projects/\(project.id)/keys", json: #"{"name": "r", "access": "read"}"#, headers: .bearer(token))
            let readKey = try #require(reader.data["key"] as? String)
            let body = #"{"url": "\#(repository.path)", "pathPrefix": "docs"}"#
            #expect(try await api.send(.post, base, json: body, headers: .apiKey(readKey)).status == .forbidden)

            let created = try await api.send(.post, base, json: body, headers: .bearer(token))
            #expect(created.status == .created)
            let id = try #require(created.data["id"] as? String)
            let secret = try #require(created.data["webhookSecret"] as? String)
            #expect(created.data["pathPrefix"] as? String == "docs/" && created.data["lastCommit"] is NSNull)
            let sourcePath = "\(base)/\(id)"
            // Adding a source syncs it.
            let synced = try await Self.waitForSource(api, sourcePath, key: readKey) { $0["lastCommit"] as? String == first }
            #expect(synced["lastCommit"] as? String == first && synced["documents"] as? Int == 1 && synced["webhookSecret"] == nil)

            // Provenance in the document and in the hit; writes are 409 source_owned.
            let hits = try await api.send(.get, "/api/v1/projects/\(project.id)/search?q=quokka&mode=fulltext", headers: .apiKey(readKey))
            let hit = try #require(hits.list.first)
            let provenance = try #require(hit["source"] as? [String: Any])
            #expect(provenance["id"] as? String == id && provenance["commit"] as? String == first && provenance["path"] as? String == "guide/intro.md")
            let documentID = try #require(hit["documentId"] as? String)
            let documentPath = "/api/v1/projects/\(project.id)/documents/\(documentID)"
            let put = try await api.send(.put, documentPath, json: ##"{"content": "# Mine", "version": 1}"##, headers: .apiKey(project.key))
            #expect(put.status == .conflict && put.errorCode == "source_owned")
            let delete = try await api.send(.delete, documentPath, headers: .apiKey(project.key))
            #expect(delete.status == .conflict && delete.errorCode == "source_owned")
            let upsert = try await api.send(.post, "/api/v1/projects/\(project.id)/documents/bulk",
                                            json: ##"{"mode": "upsert", "documents": [{"path": "docs/guide/intro.md", "content": "# Mine"}]}"##,
                                            headers: .apiKey(project.key))
            #expect(upsert.status == .ok && upsert.text.contains("source_owned"))
            #expect(try await api.send(.get, documentPath, headers: .apiKey(readKey)).text.contains("The quokka guide."))

            // A push, announced by a signed webhook, is searchable moments later.
            try repository.write("guide/wombat.md", "# Wombat\n\nThe wombat chapter.\n")
            let second = try repository.commit("second")
            let push = #"{"ref": "refs/heads/main", "after": "\#(second)"}"#
            let accepted = try await Self.webhook(api, "\(sourcePath)/sync", body: push, headers: [WebhookHeaders.github: Self.signature(secret, push)])
            #expect(accepted.status == .accepted && accepted.data["id"] as? String == id)
            _ = try await Self.waitForSource(api, sourcePath, key: readKey) { $0["lastCommit"] as? String == second }
            let found = try await api.send(.get, "/api/v1/projects/\(project.id)/search?q=wombat&mode=fulltext", headers: .apiKey(readKey))
            #expect(found.list.first?["path"] as? String == "docs/guide/wombat.md")

            // Wrong, missing, replayed and foreign signatures are refused alike.
            let other = #"{"ref": "refs/heads/main", "after": "0000"}"#
            let refusals: [HTTPFields] = [
                [WebhookHeaders.github: Self.signature(secret, other)],
                [WebhookHeaders.github: Self.signature(secret + "x", push)],
                [WebhookHeaders.github: String(Self.signature(secret, push).dropLast(2))],
                [WebhookHeaders.github: Self.signature(secret, push).replacingOccurrences(of: "sha256=", with: "sha1=")],
                [WebhookHeaders.github: ""],
                [WebhookHeaders.gitlab: String(secret.dropLast())],
                [WebhookHeaders.gitlab: ""],
                [:],
            ]
            for headers in refusals {
                let refused = try await Self.webhook(api, "\(sourcePath)/sync", body: push, headers: headers)
                #expect(refused.status == .unauthorized && refused.errorCode == "unauthorized", "\(headers)")
            }
            let gitlab = try await Self.webhook(api, "\(sourcePath)/sync", body: push, headers: [WebhookHeaders.gitlab: secret])
            #expect(gitlab.status == .accepted)
            // A source that does not exist answers as a wrong signature does.
            let unknown = try await Self.webhook(api, "\(base)/\(UUID().uuidString.lowercased())/sync", body: push,
                                                 headers: [WebhookHeaders.github: Self.signature(secret, push)])
            #expect(unknown.status == .unauthorized)

            // A read key may read the source but not sync it; the owner removes it with its documents.
            #expect(try await api.send(.post, "\(sourcePath)/sync", headers: .apiKey(readKey)).status == .forbidden)
            let patched = try await api.send(.patch, sourcePath, json: #"{"url": "/elsewhere"}"#, headers: .bearer(token))
            #expect(patched.status == .unprocessableContent)
            #expect(try await api.send(.delete, sourcePath, headers: .bearer(token)).status == .noContent)
            let remaining = try await api.send(.get, "/api/v1/projects/\(project.id)/documents", headers: .apiKey(readKey))
            #expect(remaining.meta["total"] as? Int == 0)
        }
    }
}

enum WebhookHeaders {
    static let github = HTTPField.Name("X-Hub-Signature-256")!
    static let gitlab = HTTPField.Name("X-Gitlab-Token")!
}
