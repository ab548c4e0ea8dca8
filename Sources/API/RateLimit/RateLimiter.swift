import Foundation

/// Token buckets keyed by a string (`key:…`, `user:…`, `address:…`, `login-email:…`), in bounded
/// memory. Time comes from a ``RateLimitClock`` and is counted in whole nanoseconds, so the
/// answers are exact for a given sequence of instants.
final class RateLimiter: @unchecked Sendable {
    /// What one bucket said about one request.
    struct Decision: Sendable, Equatable {
        var allowed: Bool
        /// The bucket's capacity (`RateLimit-Limit`).
        var limit: Int
        /// Requests left after this one (`RateLimit-Remaining`).
        var remaining: Int
        /// Whole seconds until the bucket is full again (`RateLimit-Reset`).
        var resetSeconds: Int
        /// Whole seconds until the next request is allowed (`Retry-After`); 0 when allowed.
        var retryAfterSeconds: Int
    }

    private struct Bucket {
        var capacity: Int
        /// Nanoseconds to earn one token.
        var interval: Int64
        var tokens: Int
        /// When the last whole token was added (or the bucket was last full).
        var refilledAt: Int64
        var lastUsed: Int64
    }

    private let clock: any RateLimitClock
    private let maximumBuckets: Int
    // NSLock rather than `Mutex`: the package still builds for macOS 14.
    private let lock = NSLock()
    private var buckets: [String: Bucket] = [:]

    init(clock: any RateLimitClock, maximumBuckets: Int) {
        self.clock = clock
        self.maximumBuckets = max(1, maximumBuckets)
    }

    /// The number of buckets held (for tests of the memory bound).
    var bucketCount: Int { lock.withLock { buckets.count } }

    /// Takes one token from each bucket named in `keys` (each with its policy) when every one
    /// of them has a token, atomically; otherwise takes none. The decision reports the most
    /// restrictive bucket: the fewest remaining, and the longest wait when refused.
    func take(_ keys: [(key: String, policy: RateLimitPolicy)]) -> Decision {
        let now = clock.now.nanoseconds
        return lock.withLock {
            var current = keys.map { key, policy in
                let capacity = policy.requests, interval = policy.refillNanoseconds
                var bucket = buckets[key] ?? Bucket(capacity: capacity, interval: interval, tokens: capacity, refilledAt: now, lastUsed: now)
                if bucket.capacity != capacity || bucket.interval != interval {
                    bucket = Bucket(capacity: capacity, interval: interval, tokens: min(bucket.tokens, capacity), refilledAt: now, lastUsed: now)
                }
                Self.refill(&bucket, now: now)
                bucket.lastUsed = now
                return bucket
            }
            let allowed = current.allSatisfy { $0.tokens > 0 }
            if allowed {
                for index in current.indices { current[index].tokens -= 1 }
            }
            let newKeys = keys.filter { buckets[$0.key] == nil }.count
            if newKeys > 0 && buckets.count + newKeys > maximumBuckets {
                // Evict a tenth at once, so a flood of new keys does not pay for a scan each.
                Self.evict(from: &buckets, now: now, target: max(0, maximumBuckets - max(newKeys, maximumBuckets / 10)))
            }
            for (index, entry) in keys.enumerated() { buckets[entry.key] = current[index] }
            let decisions = current.map { Self.decision(for: $0, allowed: allowed, now: now) }
            var decision = decisions.min { $0.remaining < $1.remaining } ?? Decision(allowed: true, limit: 0, remaining: 0, resetSeconds: 0, retryAfterSeconds: 0)
            decision.retryAfterSeconds = decisions.map(\.retryAfterSeconds).max() ?? 0
            return decision
        }
    }

    /// Takes one token from the bucket `key` under `policy`, when it has one.
    func take(_ key: String, policy: RateLimitPolicy) -> Decision {
        take([(key, policy)])
    }

    private static func decision(for bucket: Bucket, allowed: Bool, now: Int64) -> Decision {
        let sinceRefill = now - bucket.refilledAt
        let missing = Int64(bucket.capacity - bucket.tokens)
        let untilFull = missing == 0 ? 0 : missing * bucket.interval - sinceRefill
        let untilNext = bucket.tokens > 0 ? 0 : bucket.interval - sinceRefill
        return Decision(
            allowed: allowed, limit: bucket.capacity, remaining: bucket.tokens,
            resetSeconds: wholeSeconds(untilFull),
            retryAfterSeconds: allowed || bucket.tokens > 0 ? 0 : max(1, wholeSeconds(untilNext)))
    }

    private static func refill(_ bucket: inout Bucket, now: Int64) {
        let capacity = bucket.capacity, interval = bucket.interval
        guard bucket.tokens < capacity else {
            bucket.refilledAt = now
            return
        }
        let earned = max(0, now - bucket.refilledAt) / interval
        guard earned > 0 else { return }
        if earned >= Int64(capacity - bucket.tokens) {
            bucket.tokens = capacity
            bucket.refilledAt = now
        } else {
            bucket.tokens += Int(earned)
            bucket.refilledAt += earned * interval
        }
    }

    /// Drops buckets until at most `target` remain: first those that have refilled completely
    /// (forgetting them changes no answer), then the least recently used.
    private static func evict(from buckets: inout [String: Bucket], now: Int64, target: Int) {
        let idle = buckets.filter { _, bucket in
            bucket.tokens >= bucket.capacity
                || max(0, now - bucket.refilledAt) / bucket.interval >= Int64(bucket.capacity - bucket.tokens)
        }
        for key in idle.keys { buckets[key] = nil }
        guard buckets.count > target else { return }
        let oldest = buckets.sorted { $0.value.lastUsed < $1.value.lastUsed }.prefix(buckets.count - target)
        for (key, _) in oldest { buckets[key] = nil }
    }

    /// Nanoseconds rounded up to whole seconds.
    private static func wholeSeconds(_ nanoseconds: Int64) -> Int {
        nanoseconds <= 0 ? 0 : Int((nanoseconds + 999_999_999) / 1_000_000_000)
    }
}
