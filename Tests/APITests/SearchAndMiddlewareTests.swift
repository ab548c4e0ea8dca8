import CompressNIO
import Foundation
import HTTPTypes
import NIOCore
import Testing

@Suite("Search over HTTP, request ids, compression, errors")
struct SearchAndMiddlewareTests {
    @Test func aWrittenDocumentIsFoundAtOnce() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let project = try await api.createProject(token: token)
            try await api.createDocument(key: project.key, project: project.id, path: "runbooks/kafka.md",
                                         content: "# Kafka lag\n## Steps\nCheck the consumer group <lag>.")
            try await api.createDocument(key: project.key, project: project.id, path: "other.md", content: "# Other\nnothing here")
            let response = try await api.send(.get, "/api/v1/projects/\(project.id)/search?q=consumer%20lag&mode=fulltext", headers: .apiKey(project.key))
            #expect(response.status == .ok)
            let hit = try #require(response.list.first)
            #expect(hit["path"] as? String == "runbooks/kafka.md")
            #expect(hit["projectId"] as? String == project.id)
            #expect((hit["snippet"] as? String)?.contains("<mark>consumer</mark>") == true)
            #expect((hit["snippet"] as? String)?.contains("&lt;<mark>lag</mark>&gt;") == true)
            #expect(hit["matchedBy"] as? [String] == ["fulltext"])
            #expect((hit["ranks"] as? [String: Int])?["fulltext"] == 1)
            #expect((hit["chunk"] as? [String: Any])?["heading"] as? String == "Steps")
            #expect(response.meta["mode"] as? String == "fulltext" && response.meta["fallbackReason"] is NSNull)
            #expect(response.meta["total"] as? Int == 1 && response.meta["query"] as? String == "consumer lag")

            let plus = try await api.send(.get, "/api/v1/projects/\(project.id)/search?q=consumer+lag&mode=fulltext", headers: .apiKey(project.key))
            #expect(plus.meta["query"] as? String == "consumer lag", "'+' in a query string is a space")
            #expect(plus.list.first?["path"] as? String == "runbooks/kafka.md")
            let escapedPlus = try await api.send(.get, "/api/v1/projects/\(project.id)/search?q=c%2B%2B&mode=fulltext", headers: .apiKey(project.key))
            #expect(escapedPlus.meta["query"] as? String == "c++")

            let hybrid = try await api.send(.post, "/api/v1/projects/\(project.id)/search", json: #"{"q": "kafka", "mode": "hybrid"}"#, headers: .apiKey(project.key))
            #expect(hybrid.status == .ok && hybrid.meta["mode"] as? String == "fulltext" && hybrid.meta["requestedMode"] as? String == "hybrid")
            #expect(hybrid.meta["fallbackReason"] as? String != nil)
        }
    }

    @Test func badSearchesAreValidationErrors() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let project = try await api.createProject(token: token)
            let base = "/api/v1/projects/\(project.id)/search"
            for query in ["", "?q=", "?q=%20%20", "?q=-only", "?q=x&limit=0", "?q=x&limit=101", "?q=x&mode=magic", "?q=x&semanticRatio=2", "?q=x&offset=-3", "?q=x&fusion=max"] {
                let response = try await api.send(.get, base + query, headers: .apiKey(project.key))
                #expect(response.status == .unprocessableContent, "\(query)")
            }
            for junk in ["NEAR(", "\"", "a-b", "foo:bar", "*", "c++", "-", "%00", "AND OR NOT"] {
                let encoded = junk.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? junk
                let response = try await api.send(.get, "\(base)?q=\(encoded)", headers: .apiKey(project.key))
                #expect(response.status == .ok || response.status == .unprocessableContent, "\(junk): \(response.status)")
            }
        }
    }

    @Test func globalSearchCoversTheUsersProjects() async throws {
        try await TestServer.run { api in
            let token = try await api.register(email: "ann@example.com")
            let first = try await api.createProject(token: token, name: "First")
            let second = try await api.createProject(token: token, name: "Second")
            try await api.createDocument(key: first.key, project: first.id, path: "a.md", content: "lighthouse keeper")
            try await api.createDocument(key: second.key, project: second.id, path: "b.md", content: "lighthouse lamp")
            let other = try await api.register(email: "bob@example.com")
            let foreign = try await api.createProject(token: other)
            try await api.createDocument(key: foreign.key, project: foreign.id, path: "c.md", content: "lighthouse secret")
            let response = try await api.send(.get, "/api/v1/search?q=lighthouse", headers: .bearer(token))
            #expect(response.status == .ok)
            #expect(Set(response.list.compactMap { $0["projectId"] as? String }) == [first.id, second.id])
        }
    }

    @Test func pagesAreStable() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let project = try await api.createProject(token: token)
            let items = (0..<25).map { #"{"path": "p/\#($0).md", "content": "beacon"}"# }.joined(separator: ",")
            _ = try await api.send(.post, "/api/v1/projects/\(project.id)/documents/bulk", json: #"{"documents": [\#(items)]}"#, headers: .apiKey(project.key))
            var seen: [String] = []
            for offset in stride(from: 0, to: 30, by: 10) {
                let page = try await api.send(.get, "/api/v1/projects/\(project.id)/search?q=beacon&limit=10&offset=\(offset)", headers: .apiKey(project.key))
                seen += page.list.compactMap { $0["path"] as? String }
                #expect(page.meta["total"] as? Int == 25)
            }
            #expect(seen.count == 25 && Set(seen).count == 25)
        }
    }

    @Test func requestIDsAreKeptOrGenerated() async throws {
        try await TestServer.run { api in
            var headers = HTTPFields()
            headers[HTTPField.Name("X-Request-ID")!] = "client-id_1.2"
            let kept = try await api.send(.get, "/health", headers: headers)
            #expect(kept.headers[HTTPField.Name("X-Request-ID")!] == "client-id_1.2")
            #expect(kept.meta["requestId"] as? String == "client-id_1.2")
            headers[HTTPField.Name("X-Request-ID")!] = "bad id with spaces"
            let replaced = try await api.send(.get, "/api/v1/auth/me", headers: headers)
            let generated = try #require(replaced.headers[HTTPField.Name("X-Request-ID")!])
            #expect(generated != "bad id with spaces" && replaced.meta["requestId"] as? String == generated)
            let missing = try await api.send(.get, "/api/v1/nowhere")
            #expect(missing.status == .notFound && missing.errorCode == "not_found")
            #expect(missing.headers[HTTPField.Name("X-Request-ID")!] != nil)
        }
    }

    @Test func largeResponsesAreGzipped() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let project = try await api.createProject(token: token)
            for index in 0..<10 {
                try await api.createDocument(key: project.key, project: project.id, path: "doc\(index).md", content: "content \(index)")
            }
            var headers = HTTPFields.apiKey(project.key)
            headers[.acceptEncoding] = "gzip"
            let large = try await api.send(.get, "/api/v1/projects/\(project.id)/documents", headers: headers)
            #expect(large.headers[.contentEncoding] == "gzip")
            #expect(large.body.getBytes(at: large.body.readerIndex, length: 2) == [0x1F, 0x8B])
            var compressed = large.body
            let inflated = try compressed.decompress(with: .gzip())
            let decoded = try JSONSerialization.jsonObject(with: Data(buffer: inflated)) as? [String: Any]
            #expect((decoded?["data"] as? [Any])?.count == 10)
            #expect(Int(large.headers[.contentLength] ?? "") == large.body.readableBytes)
            let small = try await api.send(.get, "/health", headers: headers)
            #expect(small.headers[.contentEncoding] == nil)
            let plain = try await api.send(.get, "/api/v1/projects/\(project.id)/documents", headers: .apiKey(project.key))
            #expect(plain.headers[.contentEncoding] == nil && plain.list.count == 10)
        }
    }

    @Test func readinessReportsTheDatabase() async throws {
        try await TestServer.run { api in
            let ready = try await api.send(.get, "/health/ready")
            #expect(ready.status == .ok && ready.data["database"] as? String == "ok")
            #expect(try await api.send(.get, "/api/v1/health").status == .ok)
        }
    }
}
