@testable import API
import CompressNIO
import Foundation
import HTTPTypes
import Index
import NIOCore
import Testing

/// The attacks of the hardening issue, each tried against a live server.
@Suite("Hardening: hostile requests")
struct HardeningTests {
    /// Offsets that trapped in `offset + limit` or `needed * 2` are a 422 naming `offset`.
    @Test func pagingPastTheWindowIsA422OnEverySearchAndList() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let project = try await api.createProject(token: token)
            try await api.createDocument(key: project.key, project: project.id, path: "a.md", content: "alpha")
            for offset in ["9223372036854775807", "4611686018427387904", "9991", "-1"] {
                for mode in ["fulltext", "semantic", "hybrid"] {
                    let get = try await api.send(.get, "/api/v1/projects/\(project.id)/search?q=alpha&mode=\(mode)&offset=\(offset)",
                                                 headers: .apiKey(project.key))
                    #expect(get.status == .unprocessableContent && get.errorFields == ["offset"], "\(mode) \(offset): \(get.text)")
                    let post = try await api.send(.post, "/api/v1/projects/\(project.id)/search",
                                                  json: #"{"q": "alpha", "mode": "\#(mode)", "offset": \#(offset)}"#, headers: .apiKey(project.key))
                    #expect(post.status == .unprocessableContent, "POST \(mode) \(offset): \(post.text)")
                    let global = try await api.send(.get, "/api/v1/search?q=alpha&mode=\(mode)&offset=\(offset)", headers: .bearer(token))
                    #expect(global.status == .unprocessableContent, "global \(mode) \(offset): \(global.text)")
                }
                let list = try await api.send(.get, "/api/v1/projects/\(project.id)/documents?offset=\(offset)", headers: .apiKey(project.key))
                #expect(list.status == .unprocessableContent, "list \(offset): \(list.text)")
            }
            #expect(try await api.send(.get, "/health").status == .ok)
        }
    }

    @Test func aBodyNamingAKeyTwiceIsRefused() async throws {
        try await TestServer.run { api in
            let response = try await api.send(.post, "/api/v1/auth/login",
                                              json: #"{"email": "a@example.com", "email": "b@example.com", "password": "correct horse"}"#)
            #expect(response.status == .unprocessableContent && response.errorCode == "validation_error", "\(response.text)")
            let escaped = try await api.send(.post, "/api/v1/auth/login",
                                             json: #"{"email": "a@example.com", "\u0065mail": "b@example.com", "password": "x"}"#)
            #expect(escaped.status == .unprocessableContent)
            let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
            #expect(try await api.send(.post, "/api/v1/auth/login", json: deep).status == .unprocessableContent)
        }
    }

    @Test func gzipBodiesAreInflatedWithinTheBound() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let project = try await api.createProject(token: token)
            var plain = ByteBuffer(string: #"{"path": "zipped.md", "content": "Zipped and sent compressed"}"#)
            let zipped = try plain.compress(with: .gzip())
            let headers: HTTPFields = [HTTPField.Name("X-API-Key")!: project.key, .contentType: "application/json", .contentEncoding: "gzip"]
            let created = try await api.send(.post, "/api/v1/projects/\(project.id)/documents", body: zipped, headers: headers)
            #expect(created.status == .created, "\(created.text)")

            var bomb = ByteBuffer(repeating: UInt8(ascii: " "), count: 9 << 20)
            let compressedBomb = try bomb.compress(with: .gzip())
            #expect(compressedBomb.readableBytes < 64 << 10)
            let refused = try await api.send(.post, "/api/v1/projects/\(project.id)/documents", body: compressedBomb, headers: headers)
            #expect(refused.status == .contentTooLarge && refused.errorCode == "payload_too_large", "\(refused.status)")

            let corrupt = try await api.send(.post, "/api/v1/projects/\(project.id)/documents", body: ByteBuffer(string: "not gzip"), headers: headers)
            #expect(corrupt.status == .unprocessableContent)
            var deflate = headers
            deflate[.contentEncoding] = "br"
            #expect(try await api.send(.post, "/api/v1/projects/\(project.id)/documents", body: zipped, headers: deflate).status == .unsupportedMediaType)
        }
    }

    @Test func formatCharactersInPathsAreRefused() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let project = try await api.createProject(token: token)
            let response = try await api.send(.post, "/api/v1/projects/\(project.id)/documents",
                                              json: #"{"path": "docs/\u202Edm.md", "content": "x"}"#, headers: .apiKey(project.key))
            #expect(response.status == .unprocessableContent && response.errorFields == ["path"], "\(response.text)")
        }
    }

    /// The login buckets follow the matched route: a trailing or doubled slash reaches login and
    /// is charged to it; registration has a strict bucket of its own.
    @Test func throttlesFollowTheRouteNotTheRawPath() async throws {
        let clock = ManualClock()
        let limits = RateLimitSettings(
            loginPerAddress: RateLimitPolicy(requests: 3, per: .seconds(60)),
            loginPerEmail: RateLimitPolicy(requests: 100, per: .seconds(60)),
            registrationPerAddress: RateLimitPolicy(requests: 2, per: .seconds(3600)), clock: clock)
        try await OperationsTestServer.run(rateLimits: limits) { api in
            let body = #"{"email": "nobody@example.com", "password": "wrong password"}"#
            var statuses: [HTTPResponse.Status] = []
            for path in ["/api/v1/auth/login", "/api/v1/auth/login/", "//api/v1/auth/login", "/api/v1/auth/login/"] {
                statuses.append(try await api.send(.post, path, json: body).status)
            }
            #expect(statuses == [.unauthorized, .unauthorized, .unauthorized, .tooManyRequests])
            for index in 0..<2 {
                let made = try await api.send(.post, "/api/v1/auth/register",
                                              json: #"{"email": "r\#(index)@example.com", "password": "correct horse", "name": "R"}"#)
                #expect(made.status == .created)
            }
            let third = try await api.send(.post, "/api/v1/auth/register/",
                                           json: #"{"email": "r9@example.com", "password": "correct horse", "name": "R"}"#)
            #expect(third.status == .tooManyRequests)
        }
    }

    @Test func ipv6ClientsShareTheBucketOfTheirSlash64() {
        #expect(ClientAddress.bucket("2001:db8:1:2:aaaa:bbbb:cccc:dddd") == "2001:db8:1:2::/64")
        #expect(ClientAddress.bucket("2001:db8:1:2::1") == ClientAddress.bucket("2001:db8:1:2:ffff::9"))
        #expect(ClientAddress.bucket("2001:db8:1:3::1") != ClientAddress.bucket("2001:db8:1:2::1"))
        #expect(ClientAddress.bucket("203.0.113.7") == "203.0.113.7")
        #expect(ClientAddress.bucket("::ffff:203.0.113.7") == "::ffff:203.0.113.7")
    }

    @Test func jsonShapeFindsRepeatedKeysAndDepth() {
        func check(_ text: String) -> JSONShape.Verdict { JSONShape.check(Array(text.utf8), maximumDepth: 4) }
        #expect(check(#"{"a": 1, "b": {"a": 2}, "c": [{"a": 1}, {"a": 2}]}"#) == .ok)
        #expect(check(#"{"a": 1, "b": "a", "a": 2}"#) == .duplicateKey("a"))
        #expect(check(#"{"x": {"k\"": 1, "k\"": 2}}"#) == .duplicateKey("k\""))
        #expect(check(#"[[[[[1]]]]]"#) == .tooDeep)
        #expect(check(#"{"a": "{\"a\": 1, \"a\": 2}"}"#) == .ok)
        #expect(check(#"{"a": [1, 2,]}"#) == .trailingComma)
        #expect(check(#"{"a": "x, ]"}"#) == .ok)
        #expect(check(#"{"a": "\udc00"}"#) == .loneSurrogate)
        #expect(check(#"{"a": "\ud83d"}"#) == .loneSurrogate)
        #expect(check(#"{"a": "\ud83d\ude00 and \\udc00"}"#) == .ok)
    }
}
