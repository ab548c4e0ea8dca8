@testable import API
import Foundation
import Index
import Testing
import Vectors
import Runtime

@Suite("Production safety: unsafe settings refuse to start")
struct ProductionSafetyTests {
    static let strongSecret = "k7Qm2vX9pL4sT8wZ1nB6cR3yH5jF0dGa-strong-production-secret"

    static func arguments(secret: String?, rateLimits: RateLimitSettings = .standard) -> TestArguments {
        var arguments = TestArguments(databaseURL: "sqlite:///nonexistent/never-opened.db")
        arguments.environment = .production
        arguments.jwtSecret = secret
        arguments.rateLimits = rateLimits
        return arguments
    }

    /// The refusal message of `arguments`, or `nil` when they are accepted.
    static func refusal(_ arguments: some AppArguments) -> String? {
        do {
            try ProductionSafety.check(arguments)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [
        (nil, "LORE_JWT_SECRET is required in production"),
        ("", "LORE_JWT_SECRET is required in production"),
        ("short-secret", "LORE_JWT_SECRET is too weak"),
        (String(repeating: "a", count: 64), "LORE_JWT_SECRET is too weak"),
        (String(repeating: "01", count: 32), "LORE_JWT_SECRET is too weak"),
    ] as [(String?, String)])
    func weakOrMissingSecretsAreRefused(secret: String?, message: String) {
        let refusal = Self.refusal(Self.arguments(secret: secret))
        #expect(refusal?.contains(message) == true, "\(String(describing: refusal))")
        #expect(refusal?.contains("openssl rand") == true, "the message says how to make one")
    }

    @Test func disabledRateLimitsAreRefused() {
        var limits = RateLimitSettings.standard
        limits.enabled = false
        #expect(Self.refusal(Self.arguments(secret: Self.strongSecret, rateLimits: limits))?.contains("LORE_RATE_LIMIT_ENABLED") == true)
    }

    @Test func anEmbedderKeyOverPlainHTTPToAnotherHostIsRefused() throws {
        struct Arguments: AppArguments {
            var hostname = "0.0.0.0"
            var port = 0
            var databaseURL = "sqlite:///nonexistent/never-opened.db"
            var environment = AppEnvironment.production
            var jwtSecret: String? = ProductionSafetyTests.strongSecret
            var embedderSettings: EmbedderSettings
        }
        func settings(_ base: String, key: String?) throws -> EmbedderSettings {
            var environment = ["LORE_EMBEDDER": "openai", "LORE_OPENAI_BASE_URL": base, "LORE_OPENAI_MODEL": "text-embedding-3-small"]
            environment["LORE_OPENAI_API_KEY"] = key
            return try EmbedderSettings(environment: environment)
        }
        #expect(Self.refusal(Arguments(embedderSettings: try settings("http://embeddings.internal:8000/v1", key: "sk-test")))?
            .contains("LORE_OPENAI_BASE_URL must use https://") == true)
        #expect(Self.refusal(Arguments(embedderSettings: try settings("https://api.openai.com/v1", key: "sk-test"))) == nil)
        #expect(Self.refusal(Arguments(embedderSettings: try settings("http://127.0.0.1:8000/v1", key: "sk-test"))) == nil)
        #expect(Self.refusal(Arguments(embedderSettings: try settings("http://embeddings.internal:8000/v1", key: nil))) == nil)
    }

    @Test func safeProductionSettingsAndDevelopmentAreAccepted() {
        #expect(Self.refusal(Self.arguments(secret: Self.strongSecret)) == nil)
        var development = Self.arguments(secret: nil)
        development.environment = .development
        development.rateLimits.enabled = false
        #expect(Self.refusal(development) == nil)
    }

    @Test func buildApplicationRefusesBeforeOpeningTheStore() async throws {
        await #expect(throws: AppSecrets.UnsafeSetting.self) {
            _ = try await buildApplication(Self.arguments(secret: "changeme"))
        }
        #expect(!FileManager.default.fileExists(atPath: "/nonexistent/never-opened.db"))
    }
}

@Suite("Production safety: PostgreSQL connections")
struct PostgresProductionSafetyTests {
    static func refusal(_ url: String, environment: AppEnvironment = .production) throws -> String? {
        do {
            try ProductionSafety.check(try PostgresSettings(url: url, environment: [:]), environment: environment)
            return nil
        } catch let error as AppSecrets.UnsafeSetting {
            return error.description
        }
    }

    @Test func plainConnectionsToAnotherHostAreRefused() throws {
        for mode in ["disable", "prefer"] {
            let refusal = try Self.refusal("postgres://lore:secret@db.internal/lore?sslmode=\(mode)")
            #expect(refusal?.contains("sslmode=\(mode) is refused in production") == true, "\(String(describing: refusal))")
            #expect(refusal?.contains("verify-full") == true, "the message names the fix")
        }
        // libpq's default mode is prefer: leaving sslmode out is refused too.
        #expect(try Self.refusal("postgres://lore:secret@db.internal/lore") != nil)
    }

    @Test func tlsLoopbackAndDevelopmentAreAccepted() throws {
        #expect(try Self.refusal("postgres://lore:secret@db.internal/lore?sslmode=verify-full") == nil)
        #expect(try Self.refusal("postgres://lore:secret@db.internal/lore?sslmode=require") == nil)
        #expect(try Self.refusal("postgres://lore:secret@127.0.0.1/lore?sslmode=disable") == nil)
        #expect(try Self.refusal("postgres://lore:secret@localhost/lore") == nil)
        #expect(try Self.refusal("postgres://lore:secret@db.internal/lore?sslmode=disable", environment: .development) == nil)
    }

    @Test func buildApplicationRefusesBeforeConnecting() async throws {
        var arguments = ProductionSafetyTests.arguments(secret: ProductionSafetyTests.strongSecret)
        arguments.databaseURL = "postgres://lore:secret@db.invalid/lore?sslmode=disable"
        await #expect(throws: AppSecrets.UnsafeSetting.self) {
            _ = try await buildApplication(arguments)
        }
    }
}
