import Foundation

/// How many requests a bucket allows: a burst of `requests`, refilled evenly over `window`
/// (one token every `window / requests`).
public struct RateLimitPolicy: Sendable, Equatable {
    public var requests: Int
    public var window: Duration

    public init(requests: Int, per window: Duration) {
        self.requests = max(1, requests)
        self.window = window > .zero ? window : .seconds(1)
    }

    /// The time it takes to earn back one request, in nanoseconds (at least 1).
    var refillNanoseconds: Int64 {
        max(1, window.nanoseconds / Int64(requests))
    }
}

/// The rate limits of the API (SPEC §5): token buckets per API key, per user and per client
/// address, and stricter ones on `POST /api/v1/auth/login`, per address and per e-mail.
public struct RateLimitSettings: Sendable {
    /// When `false`, no request is limited and no `RateLimit-*` header is sent.
    public var enabled: Bool
    /// The bucket of each API key, signed-in user, or (without valid credentials) client address.
    public var requests: RateLimitPolicy
    /// The login bucket of each client address.
    public var loginPerAddress: RateLimitPolicy
    /// The login bucket of each e-mail address tried.
    public var loginPerEmail: RateLimitPolicy
    /// The registration bucket of each client address: every registration costs a bcrypt hash,
    /// and nobody needs many accounts.
    public var registrationPerAddress: RateLimitPolicy
    /// The most buckets kept in memory; idle (full) buckets are evicted first, then the least
    /// recently used.
    public var maximumBuckets: Int
    /// Whether the client address is the last entry of `X-Forwarded-For` (the one a trusted
    /// proxy in front of Lore appended) instead of the socket's peer. Only for deployments where
    /// every request passes through such a proxy: otherwise clients pick their own address.
    public var trustForwardedFor: Bool
    /// The clock the buckets refill by; tests pass one they advance by hand.
    public var clock: any RateLimitClock

    public init(
        enabled: Bool = true,
        requests: RateLimitPolicy = RateLimitPolicy(requests: 600, per: .seconds(60)),
        loginPerAddress: RateLimitPolicy = RateLimitPolicy(requests: 20, per: .seconds(60)),
        loginPerEmail: RateLimitPolicy = RateLimitPolicy(requests: 10, per: .seconds(60)),
        registrationPerAddress: RateLimitPolicy = RateLimitPolicy(requests: 10, per: .seconds(3600)),
        maximumBuckets: Int = 100_000,
        trustForwardedFor: Bool = false,
        clock: any RateLimitClock = SystemRateLimitClock()
    ) {
        self.enabled = enabled
        self.requests = requests
        self.loginPerAddress = loginPerAddress
        self.loginPerEmail = loginPerEmail
        self.registrationPerAddress = registrationPerAddress
        self.maximumBuckets = max(1, maximumBuckets)
        self.trustForwardedFor = trustForwardedFor
        self.clock = clock
    }

    /// The defaults: 600 requests a minute per key, user or address; 20 logins a minute per
    /// address and 10 per e-mail; 10 registrations an hour per address; 100,000 buckets.
    public static var standard: RateLimitSettings { RateLimitSettings() }
}

/// A monotonic clock for the rate limiter: the time elapsed since an arbitrary fixed origin.
public protocol RateLimitClock: Sendable {
    var now: Duration { get }
}

/// The process's monotonic clock (`ContinuousClock`).
public struct SystemRateLimitClock: RateLimitClock {
    private let origin = ContinuousClock.now

    public init() {}

    public var now: Duration { origin.duration(to: ContinuousClock.now) }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating for durations past ~292 years).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return product &+ attoseconds / 1_000_000_000
    }
}
