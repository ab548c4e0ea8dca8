import API
import Foundation
import HummingbirdTesting
import Index
import Logging

/// Settings of a test server with chosen rate limits (and any other operations settings).
struct OperationsTestArguments: AppArguments {
    var hostname = "127.0.0.1"
    var port = 0
    var databaseURL: String
    var environment: AppEnvironment = .development
    var jwtSecret: String? = TestServer.secret
    var sessionLifetime: Duration = .seconds(3600)
    var rateLimits: RateLimitSettings = .standard
}

/// A clock the test moves by hand, so bucket refills are exact.
final class ManualClock: RateLimitClock, @unchecked Sendable {
    private let lock = NSLock()
    private var elapsed: Duration = .zero

    var now: Duration { lock.withLock { elapsed } }

    func advance(by duration: Duration) {
        lock.withLock { elapsed += duration }
    }
}

/// Like ``TestServer``, with the arguments and the logger in the test's hands.
enum OperationsTestServer {
    static func run<Value: Sendable>(
        rateLimits: RateLimitSettings = .standard, environment: AppEnvironment = .development,
        logger: Logger? = nil,
        _ body: @Sendable (APIClient) async throws -> Value
    ) async throws -> Value {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lore-ops-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("lore.db").path
        var arguments = OperationsTestArguments(databaseURL: "sqlite://" + path)
        arguments.environment = environment
        arguments.rateLimits = rateLimits
        let store = try SQLiteStore(path: path)
        let appLogger = logger ?? {
            var quiet = Logger(label: "lore.test")
            quiet.logLevel = .critical
            return quiet
        }()
        let app = try await buildApplication(arguments, store: store, dataDirectory: folder, logger: appLogger)
        return try await app.test(.ahc(.http)) { client in
            try await body(APIClient(client: client, store: store))
        }
    }
}
