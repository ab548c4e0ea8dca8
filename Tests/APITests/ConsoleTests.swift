import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The console (SPEC §12) as the server delivers it: every file from the binary with its type and
/// the strict policy, nothing fetched from elsewhere, and state-changing requests refused when a
/// browser says they come from another site. Its behaviour in a browser is `scripts/console-e2e`.
@Suite struct ConsoleTests {
    static let assetsFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/Console/Assets")

    static var files: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: assetsFolder.path))?.filter { !$0.hasPrefix(".") }.sorted() ?? []
    }

    @Test func thePageHasTheStrictPolicyAndTheServersSettings() async throws {
        for registration in [true, false] {
            try await TestServer.run(registrationEnabled: registration) { api in
                let page = try await api.send(.get, "/")
                #expect(page.status == .ok)
                #expect(page.headers[.contentType] == "text/html; charset=utf-8")
                let policy = page.headers[.contentSecurityPolicy] ?? ""
                for directive in ["default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
                                  "base-uri 'none'", "frame-ancestors 'none'"] {
                    #expect(policy.contains(directive), "the policy lacks \(directive): \(policy)")
                }
                #expect(!policy.contains("unsafe"), "no unsafe source: \(policy)")
                #expect(page.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                #expect(page.text.contains(#"<meta name="lore-registration" content="\#(registration ? "open" : "closed")">"#))
                #expect(page.text.contains(#"<meta name="lore-session" content="absent">"#))
                #expect(!page.text.contains("<script>"), "no inline script")

                // The page only says whether a session cookie came with it; `/auth/me` judges it.
                let signedIn = try await api.send(.get, "/", headers: HTTPFields.cookie("any-value"))
                #expect(signedIn.text.contains(#"<meta name="lore-session" content="present">"#))
                #expect(signedIn.headers[.eTag] != page.headers[.eTag], "each variant of the page has its own validator")
                let unchanged = try await api.send(.get, "/", headers: [.ifNoneMatch: page.headers[.eTag] ?? ""])
                #expect(unchanged.status == .notModified)
            }
        }
    }

    @Test func everyFileIsServedFromTheBinaryWithItsType() async throws {
        #expect(Self.files.count >= 10, "the assets folder is found: \(Self.assetsFolder.path)")
        try await TestServer.run { api in
            for file in Self.files where file != "index.html" {
                let response = try await api.send(.get, "/console/\(file)")
                #expect(response.status == .ok, "\(file): \(response.status)")
                let source = try Data(contentsOf: Self.assetsFolder.appendingPathComponent(file))
                #expect(Data(buffer: response.body) == source, "\(file) is served as written")
                let type = response.headers[.contentType] ?? ""
                let expected = file.hasSuffix(".js") ? "text/javascript" : file.hasSuffix(".css") ? "text/css" : "image/svg+xml"
                #expect(type.hasPrefix(expected), "\(file) is served as \(type)")
                #expect(response.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            }
            for hostile in ["nope.js", "index.html", "..%2FPackage.swift", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "app.js%00.css", "APP.JS"] {
                let response = try await api.send(.get, "/console/\(hostile)")
                #expect(response.status == .notFound, "\(hostile): \(response.status)")
                #expect(response.errorCode == "not_found")
            }
        }
    }

    /// Every file in the folder is compiled in (Package.swift lists them), every module a script
    /// imports exists, and nothing names a resource outside the server.
    @Test func theFilesAreCompleteAndSelfContained() throws {
        let listed = try String(contentsOf: Self.assetsFolder.deletingLastPathComponent().appendingPathComponent("ConsoleAssets.swift"), encoding: .utf8)
        let external = try Regex(#"(?i)(src|href|action)\s*=\s*["']?\s*(https?:)?//|from\s+['"](https?:)?//|import\(\s*['"](https?:)?//|url\(\s*['"]?(https?:)?//|@import"#)
        let imports = try Regex(#"from\s+'\./([a-z-]+\.js)'"#)
        for file in Self.files {
            #expect(listed.contains("asset(\"\(file)\"") || file == "index.html", "\(file) is not in ConsoleAssets.byName")
            let text = try String(contentsOf: Self.assetsFolder.appendingPathComponent(file), encoding: .utf8)
            #expect(text.firstMatch(of: external) == nil, "\(file) refers to a resource elsewhere")
            #expect(!text.contains("innerHTML") && !text.contains("outerHTML") && !text.contains("insertAdjacentHTML")
                    && !text.contains("document.write") && !text.contains("eval("), "\(file) parses strings as HTML or code")
            for match in text.matches(of: imports) {
                let target = String(text[match.range].split(separator: "/").last!.dropLast())
                #expect(Self.files.contains(target), "\(file) imports \(target), which does not exist")
            }
        }
    }

    @Test func aBrowsersCrossSiteChangeIsRefusedAndLosesNothing() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let session = HTTPFields.cookie(token)
            let port = api.client.port ?? 0
            // The test client addresses the server as localhost.
            let ownOrigin = "http://localhost:\(port)"
            let refusals: [(String, HTTPFields)] = [
                ("another origin", [.origin: "http://evil.example"]),
                ("another port", [.origin: "http://localhost:\(port + 1)"]),
                ("another name of the same address", [.origin: "http://127.0.0.1:\(port)"]),
                ("a look-alike host", [.origin: "http://localhost:\(port).evil.example"]),
                ("an opaque origin", [.origin: "null"]),
                ("a cross-site fetch", [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"]),
                ("a same-site fetch", [HTTPField.Name("Sec-Fetch-Site")!: "same-site"]),
                ("same origin but a cross-site fetch", [.origin: ownOrigin, HTTPField.Name("Sec-Fetch-Site")!: "cross-site"]),
            ]
            for (label, headers) in refusals {
                let response = try await api.send(.post, "/api/v1/projects", json: #"{"name": "CSRF \#(label)"}"#, headers: session + headers)
                #expect(response.status == .forbidden, "\(label): \(response.status)")
                #expect(response.errorCode == "forbidden")
                let logout = try await api.send(.post, "/api/v1/auth/logout", headers: session + headers)
                #expect(logout.status == .forbidden, "logout with \(label): \(logout.status)")
            }
            let projects = try await api.send(.get, "/api/v1/projects", headers: session + [.origin: "http://evil.example"])
            #expect(projects.status == .ok, "reading is not a change")
            #expect(projects.list.isEmpty, "no refused request created anything")

            for (label, headers) in [("its own origin", [.origin: ownOrigin] as HTTPFields),
                                     ("a same-origin fetch", [.origin: ownOrigin, HTTPField.Name("Sec-Fetch-Site")!: "same-origin"]),
                                     ("no browser headers", [:])] {
                let response = try await api.send(.post, "/api/v1/projects", json: #"{"name": "Own \#(label)"}"#, headers: session + headers)
                #expect(response.status == .created, "\(label): \(response.status)")
            }
            // Keys cannot be ridden by a browser, and a key's client sends no Origin: the rule is the same.
            let (project, key) = try await api.createProject(token: token, name: "Keyed")
            let keyed = try await api.send(.post, "/api/v1/projects/\(project)/documents", json: #"{"path": "a.md", "content": "a"}"#,
                                           headers: HTTPFields.apiKey(key) + [.origin: "http://evil.example"])
            #expect(keyed.status == .forbidden)
            let plain = try await api.send(.post, "/api/v1/projects/\(project)/documents", json: #"{"path": "a.md", "content": "a"}"#,
                                           headers: HTTPFields.apiKey(key))
            #expect(plain.status == .created)
        }
    }

    @Test func apiAnswersCarryThePolicyThatAllowsNothing() async throws {
        try await TestServer.run { api in
            for path in ["/api/v1/projects", "/health", "/openapi.json", "/api/v1/nowhere"] {
                let response = try await api.send(.get, path)
                #expect(response.headers[.contentSecurityPolicy] == "default-src 'none'; frame-ancestors 'none'", "\(path)")
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(path)")
            }
        }
    }
}
