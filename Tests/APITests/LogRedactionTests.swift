@testable import API
@testable import Runtime
import Foundation
import HTTPTypes
import Logging
import Testing

/// Collects every log line a handler is given, rendered with its metadata.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    var lines: [String] { lock.withLock { stored } }

    func append(_ line: String) {
        lock.withLock { stored.append(line) }
    }

    /// A logger that writes here through the redactor, at every level.
    func logger(label: String = "lore.test") -> Logger {
        var logger = Logger(label: label) { _ in RedactingLogHandler(wrapping: CapturingLogHandler(capture: self)) }
        logger.logLevel = .trace
        return logger
    }
}

/// A test handler that renders message, metadata and error into ``LogCapture``.
struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata.merging(event.metadata ?? [:]) { _, new in new }
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        let error = event.error.map { " error=\($0)" } ?? ""
        capture.append("\(event.level) \(event.message) \(all.sorted { $0.key < $1.key })\(error)")
    }
}

@Suite("Log redaction: no secret reaches a log")
struct LogRedactionTests {
    static let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
    static let apiKey = "lore_" + String(repeating: "Ab3", count: 13) + "x"
    static let password = "hunter2-correct-horse"
    static let email = "alice.secret@example.org"

    static func assertClean(_ lines: [String], extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in [jwt, apiKey, password, email, "Ab3Ab3Ab3", "hunter2"] + extra {
            for line in lines where line.contains(secret) {
                Issue.record("a secret reached the log: \(line)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func everySecretKindIsScrubbedFromMessagesMetadataAndErrors() {
        struct LeakyError: Error, CustomStringConvertible {
            var description: String { "login failed for \(LogRedactionTests.email) with password=\(LogRedactionTests.password)" }
        }
        let capture = LogCapture()
        var logger = capture.logger()
        logger[metadataKey: "session"] = .string(Self.jwt)
        logger[metadataKey: "user"] = .string(Self.email)
        logger.info("header Authorization: Bearer \(Self.jwt)")
        logger.info("Cookie: lore_session=\(Self.jwt); theme=dark")
        logger.info("calling with X-API-Key: \(Self.apiKey)")
        logger.info("key \(Self.apiKey) and token \(Self.jwt) inline")
        logger.info(#"body {"email": "\#(Self.email)", "password": "\#(Self.password)"}"#)
        logger.info("form email=\(Self.email)&password=\(Self.password)")
        logger.warning("metadata", metadata: [
            "http.headers": .dictionary(["Authorization": .string("Bearer \(Self.jwt)"), "Cookie": .string("lore_session=\(Self.jwt)")]),
            "password": .string(Self.password),
            "keys": .array([.string(Self.apiKey), .stringConvertible(Self.email)]),
            Self.email: .string("a key that is an address"),
        ])
        logger.error("failed", error: LeakyError())
        let lines = capture.lines
        #expect(lines.count == 8)
        Self.assertClean(lines)
        #expect(lines.allSatisfy { $0.contains(LogRedactor.mask) || $0.contains("[EMAIL]") })
        // What is not a secret survives.
        #expect(lines.contains { $0.contains("calling with X-API-Key: [REDACTED]") })
    }

    @Test func theMetadataProviderIsScrubbedToo() {
        let capture = LogCapture()
        let provider = Logger.MetadataProvider { ["caller": .string(Self.email), "authorization": .string("Bearer x")] }
        let logger = Logger(label: "lore.test") { _ in
            var handler = RedactingLogHandler(wrapping: CapturingLogHandler(capture: capture))
            handler.logLevel = .trace
            handler.metadataProvider = provider
            return handler
        }
        logger.info("hello")
        Self.assertClean(capture.lines, extra: ["Bearer x"])
        #expect(capture.lines.count == 1)
    }

    @Test func requestLogsErrorsAndFailedLoginsCarryNoSecrets() async throws {
        let capture = LogCapture()
        try await OperationsTestServer.run(logger: capture.logger()) { api in
            let token = try await api.register(email: Self.email, password: Self.password)
            let project = try await api.createProject(token: token)
            let failed = try await api.send(.post, "/api/v1/auth/login",
                                            json: #"{"email": "\#(Self.email)", "password": "wrong-\#(Self.password)"}"#)
            #expect(failed.status == .unauthorized)
            let login = try await api.send(.post, "/api/v1/auth/login",
                                           json: #"{"email": "\#(Self.email)", "password": "\#(Self.password)"}"#)
            #expect(login.status == .ok)
            _ = try await api.send(.get, "/api/v1/auth/me", headers: .bearer(token))
            _ = try await api.send(.get, "/api/v1/auth/me", headers: .cookie(token))
            _ = try await api.send(.get, "/api/v1/projects/\(project.id)/documents?apiKey=\(project.key)", headers: .apiKey(project.key))
            _ = try await api.send(.get, "/api/v1/projects/\(project.id)/documents", headers: .bearer(project.key))
            _ = try await api.send(.get, "/api/v1/auth/me", headers: .bearer(Self.jwt))
            _ = try await api.send(.post, "/api/v1/projects", json: #"{"name": "\#(Self.apiKey)"}"#, headers: .bearer(token))
            _ = try await api.send(.post, "/mcp", json: #"{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}"#, headers: .apiKey(project.key))
            let lines = capture.lines
            #expect(lines.contains { $0.contains("request") }, "request lines were captured")
            Self.assertClean(lines, extra: [token, project.key, String(project.key.dropFirst(5))])
        }
    }

    @Test func jsonLinesAreValidJSONAndRedacted() throws {
        let capture = LogCapture()
        var logger = Logger(label: "lore.json") { label in
            RedactingLogHandler(wrapping: JSONLogHandler(label: label) { capture.append($0) })
        }
        logger.logLevel = .info
        logger.info("login for \(Self.email)", metadata: ["http.status": .stringConvertible(401), "password": .string(Self.password)])
        let line = try #require(capture.lines.first)
        #expect(line.hasSuffix("\n") && line.filter { $0 == "\n" }.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "info")
        #expect(object["label"] as? String == "lore.json")
        #expect(object["message"] as? String == "login for [EMAIL]")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["http.status"] as? String == "401")
        #expect(metadata["password"] as? String == LogRedactor.mask)
        Self.assertClean(capture.lines)
    }

    @Test func theProcessHandlersAlwaysRedactAndPickTheirFormat() {
        #expect(LogFormat.resolve(nil, environment: .production) == .json)
        #expect(LogFormat.resolve(nil, environment: .development) == .text)
        #expect(LogFormat.resolve("JSON", environment: .development) == .json)
        #expect(LogFormat.resolve("text", environment: .production) == .text)
        for format in LogFormat.allCases {
            let handler = LogOutput.makeHandler(label: "lore.cli", level: .debug, format: format)
            #expect(handler.logLevel == .debug)
        }
    }

    @Test(arguments: [
        ("Authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"),
        ("set-cookie=lore_session=abc.def.ghi", "abc.def.ghi"),
        ("jwt_secret: s3cr3t-value", "s3cr3t-value"),
        ("client 'secret'='quoted value'", "quoted value"),
        ("mail bob+tag@sub.example.co.uk now", "bob+tag@sub.example.co.uk"),
    ])
    func redactorCases(text: String, secret: String) {
        #expect(!LogRedactor.redact(text).contains(secret), "\(LogRedactor.redact(text))")
    }
}
