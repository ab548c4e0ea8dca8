import API
import Foundation
import HummingbirdTesting
import Index
import Logging
import Runtime

/// A clock the test moves by hand, so bucket refills are exact.
final class ManualClock: RateLimitClock, @unchecked Sendable {
    private let lock = NSLock()
    private var elapsed: Duration = .zero

    var now: Duration { lock.withLock { elapsed } }

    func advance(by duration: Duration) {
        lock.withLock { elapsed += duration }
    }
}

/// ``TestServer`` with the rate limits and the logger in the test's hands.
enum OperationsTestServer {
    static func run<Value: Sendable>(
        rateLimits: RateLimitSettings = .standard, environment: AppEnvironment = .development,
        logger: Logger? = nil,
        _ body: @Sendable (APIClient) async throws -> Value
    ) async throws -> Value {
        try await TestServer.run(environment: environment, rateLimits: rateLimits, logger: logger, body)
    }
}
