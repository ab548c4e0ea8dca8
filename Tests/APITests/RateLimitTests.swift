@testable import API
import Foundation
import HTTPTypes
import Testing

@Suite("Rate limits: token buckets per key, user and address")
struct RateLimitTests {
    static let limit = HTTPField.Name("RateLimit-Limit")!
    static let remaining = HTTPField.Name("RateLimit-Remaining")!
    static let reset = HTTPField.Name("RateLimit-Reset")!
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// Three requests per three seconds: one token a second.
    static func settings(_ clock: ManualClock, requests: Int = 3, trustForwardedFor: Bool = false) -> RateLimitSettings {
        RateLimitSettings(
            requests: RateLimitPolicy(requests: requests, per: .seconds(requests)),
            loginPerAddress: RateLimitPolicy(requests: 100, per: .seconds(60)),
            loginPerEmail: RateLimitPolicy(requests: 2, per: .seconds(60)),
            trustForwardedFor: trustForwardedFor, clock: clock)
    }

    @Test func theRequestAfterTheBurstIsRefusedWithHeadersUntilTheClockAdvances() async throws {
        let clock = ManualClock()
        try await OperationsTestServer.run(rateLimits: Self.settings(clock)) { api in
            let token = try await api.register()
            for expected in [(remaining: "2", reset: "1"), (remaining: "1", reset: "2"), (remaining: "0", reset: "3")] {
                let response = try await api.send(.get, "/api/v1/auth/me", headers: .bearer(token))
                #expect(response.status == .ok)
                #expect(response.headers[Self.limit] == "3")
                #expect(response.headers[Self.remaining] == expected.remaining)
                #expect(response.headers[Self.reset] == expected.reset)
            }
            let refused = try await api.send(.get, "/api/v1/auth/me", headers: .bearer(token))
            #expect(refused.status == .tooManyRequests)
            #expect(refused.errorCode == "rate_limited")
            #expect(refused.meta["requestId"] as? String == refused.headers[HTTPField.Name("X-Request-ID")!])
            #expect(refused.headers[.retryAfter] == "1")
            #expect(refused.headers[Self.limit] == "3")
            #expect(refused.headers[Self.remaining] == "0")
            #expect(refused.headers[Self.reset] == "3")

            clock.advance(by: .milliseconds(999))
            #expect(try await api.send(.get, "/api/v1/auth/me", headers: .bearer(token)).status == .tooManyRequests)
            clock.advance(by: .milliseconds(1))
            let refilled = try await api.send(.get, "/api/v1/auth/me", headers: .bearer(token))
            #expect(refilled.status == .ok)
            #expect(refilled.headers[Self.remaining] == "0")
            #expect(try await api.send(.get, "/api/v1/auth/me", headers: .bearer(token)).status == .tooManyRequests)

            clock.advance(by: .seconds(60))
            let full = try await api.send(.get, "/api/v1/auth/me", headers: .bearer(token))
            #expect(full.status == .ok)
            #expect(full.headers[Self.remaining] == "2")
        }
    }

    @Test func keysUsersAndAddressesHaveSeparateBuckets() async throws {
        let clock = ManualClock()
        try await OperationsTestServer.run(rateLimits: Self.settings(clock, requests: 4)) { api in
            let token = try await api.register()                       // registrations: a bucket of their own
            let project = try await api.createProject(token: token)   // user: 3 left
            for _ in 0..<3 {
                #expect(try await api.send(.get, "/api/v1/projects", headers: .bearer(token)).status == .ok)
            }
            #expect(try await api.send(.get, "/api/v1/projects", headers: .bearer(token)).status == .tooManyRequests)
            // The same user through the cookie shares the user's bucket.
            #expect(try await api.send(.get, "/api/v1/projects", headers: .cookie(token)).status == .tooManyRequests)

            let documents = "/api/v1/projects/\(project.id)/documents"
            let byKey = try await api.send(.get, documents, headers: .apiKey(project.key))
            #expect(byKey.status == .ok)
            #expect(byKey.headers[Self.remaining] == "3")

            let otherUser = try await api.register(email: "other@example.com")   // address: still 4
            let other = try await api.send(.get, "/api/v1/projects", headers: .bearer(otherUser))
            #expect(other.status == .ok && other.headers[Self.remaining] == "3")

            // Without valid credentials, requests count against the address.
            let anonymous = try await api.send(.get, "/api/v1/projects")
            #expect(anonymous.status == .unauthorized && anonymous.headers[Self.remaining] == "3")
            #expect(try await api.send(.get, "/api/v1/projects").headers[Self.remaining] == "2")
            #expect(try await api.send(.get, "/api/v1/projects").headers[Self.remaining] == "1")
            let badKey = try await api.send(.get, documents, headers: .apiKey("lore_not-a-real-key"))
            #expect(badKey.status == .unauthorized && badKey.headers[Self.remaining] == "0")
            let refused = try await api.send(.get, "/api/v1/projects", headers: .bearer("not-a-jwt"))
            #expect(refused.status == .tooManyRequests && refused.headers[.retryAfter] == "1")
            #expect(try await api.send(.get, documents, headers: .apiKey(project.key)).status == .ok)
        }
    }

    @Test func forwardedAddressesCountOnlyWhenTrusted() async throws {
        for trusted in [true, false] {
            let clock = ManualClock()
            try await OperationsTestServer.run(rateLimits: Self.settings(clock, requests: 1, trustForwardedFor: trusted)) { api in
                let first = try await api.send(.get, "/api/v1/auth/me", headers: [Self.forwardedFor: "10.0.0.1"])
                #expect(first.status == .unauthorized)
                let sameAddress = try await api.send(.get, "/api/v1/auth/me", headers: [Self.forwardedFor: "192.168.1.9, 10.0.0.1"])
                #expect(sameAddress.status == .tooManyRequests)
                let otherAddress = try await api.send(.get, "/api/v1/auth/me", headers: [Self.forwardedFor: "10.0.0.2"])
                #expect(otherAddress.status == (trusted ? .unauthorized : .tooManyRequests))
            }
        }
    }

    @Test func loginIsLimitedPerEmailWhateverThePassword() async throws {
        let clock = ManualClock()
        try await OperationsTestServer.run(rateLimits: Self.settings(clock)) { api in
            _ = try await api.register(email: "ann@example.com")
            _ = try await api.register(email: "bob@example.com")
            let wrong = #"{"email": "ann@example.com", "password": "wrong password"}"#
            let right = #"{"email": "ANN@example.com", "password": "correct horse"}"#
            let first = try await api.send(.post, "/api/v1/auth/login", json: wrong)
            #expect(first.status == .unauthorized)
            #expect(first.headers[Self.limit] == "2" && first.headers[Self.remaining] == "1")
            #expect(try await api.send(.post, "/api/v1/auth/login", json: wrong).status == .unauthorized)
            let refused = try await api.send(.post, "/api/v1/auth/login", json: right)
            #expect(refused.status == .tooManyRequests && refused.errorCode == "rate_limited")
            #expect(refused.headers[.retryAfter] == "30")
            #expect(try await api.send(.post, "/api/v1/auth/login",
                                      json: #"{"email": "bob@example.com", "password": "correct horse"}"#).status == .ok)
            clock.advance(by: .seconds(30))
            let again = try await api.send(.post, "/api/v1/auth/login", json: right)
            #expect(again.status == .ok && again.sessionCookieValue != nil)
        }
    }

    @Test func loginIsLimitedPerAddressAcrossEmails() async throws {
        let clock = ManualClock()
        var settings = Self.settings(clock)
        settings.loginPerAddress = RateLimitPolicy(requests: 2, per: .seconds(10))
        try await OperationsTestServer.run(rateLimits: settings) { api in
            for email in ["a@example.com", "b@example.com"] {
                let response = try await api.send(.post, "/api/v1/auth/login", json: #"{"email": "\#(email)", "password": "x-password"}"#)
                #expect(response.status == .unauthorized)
            }
            let refused = try await api.send(.post, "/api/v1/auth/login", json: #"{"email": "c@example.com", "password": "x-password"}"#)
            #expect(refused.status == .tooManyRequests && refused.headers[.retryAfter] == "5")
            // Other routes keep their own bucket.
            #expect(try await api.send(.get, "/api/v1/auth/me").status == .unauthorized)
        }
    }

    @Test func healthMetricsAndTheDocumentAreNeverLimited() async throws {
        let clock = ManualClock()
        try await OperationsTestServer.run(rateLimits: Self.settings(clock, requests: 1)) { api in
            for path in ["/health", "/health/ready", "/api/v1/health", "/openapi.json", "/health", "/openapi.json",
                         "/", "/console/app.js", "/", "/console/app.js"] {
                let response = try await api.send(.get, path)
                #expect(response.status == .ok, "\(path)")
                #expect(response.headers[Self.limit] == nil, "\(path)")
            }
            // The console's `/` is exempt alone: a path that merely starts with it is limited.
            let first = try await api.send(.get, "//nowhere")
            let second = try await api.send(.get, "//nowhere")
            #expect(first.headers[Self.limit] != nil && second.status == .tooManyRequests)
        }
    }

    @Test func disabledLimitsSendNoHeaders() async throws {
        var settings = Self.settings(ManualClock(), requests: 1)
        settings.enabled = false
        try await OperationsTestServer.run(rateLimits: settings) { api in
            for _ in 0..<3 {
                let response = try await api.send(.get, "/api/v1/auth/me")
                #expect(response.status == .unauthorized && response.headers[Self.limit] == nil)
            }
        }
    }

    @Test func memoryIsBoundedAndIdleBucketsGoFirst() {
        let clock = ManualClock()
        let limiter = RateLimiter(clock: clock, maximumBuckets: 10)
        let policy = RateLimitPolicy(requests: 2, per: .seconds(60))
        for index in 0..<500 {
            _ = limiter.take("address:\(index)", policy: policy)
            #expect(limiter.bucketCount <= 10)
        }

        let small = RateLimiter(clock: clock, maximumBuckets: 2)
        _ = small.take("busy", policy: policy)
        _ = small.take("busy", policy: policy)          // exhausted
        _ = small.take("idle", policy: policy)          // one left
        clock.advance(by: .seconds(30))                 // idle is full again; busy has earned one
        _ = small.take("new", policy: policy)           // evicts the idle bucket, not the busy one
        let busy = small.take("busy", policy: policy)
        #expect(busy.allowed && busy.remaining == 0)
    }

    @Test func settingsComeFromTheEnvironment() throws {
        let settings = try RateLimitSettings(environment: [
            "LORE_RATE_LIMIT_REQUESTS": "100", "LORE_RATE_LIMIT_WINDOW": "10",
            "LORE_RATE_LIMIT_LOGIN_REQUESTS": "7", "LORE_RATE_LIMIT_LOGIN_EMAIL_REQUESTS": "3",
            "LORE_RATE_LIMIT_LOGIN_WINDOW": "300", "LORE_RATE_LIMIT_MAX_BUCKETS": "50",
            "LORE_RATE_LIMIT_TRUST_FORWARDED_FOR": "true", "LORE_RATE_LIMIT_ENABLED": "false",
        ])
        #expect(settings.requests == RateLimitPolicy(requests: 100, per: .seconds(10)))
        #expect(settings.loginPerAddress == RateLimitPolicy(requests: 7, per: .seconds(300)))
        #expect(settings.loginPerEmail == RateLimitPolicy(requests: 3, per: .seconds(300)))
        #expect(settings.maximumBuckets == 50 && settings.trustForwardedFor && !settings.enabled)
        let defaults = try RateLimitSettings(environment: [:])
        #expect(defaults.enabled && defaults.requests == RateLimitPolicy(requests: 600, per: .seconds(60)))
        #expect(throws: RateLimitSettings.InvalidSetting.self) { try RateLimitSettings(environment: ["LORE_RATE_LIMIT_REQUESTS": "0"]) }
        #expect(throws: RateLimitSettings.InvalidSetting.self) { try RateLimitSettings(environment: ["LORE_RATE_LIMIT_ENABLED": "maybe"]) }
    }
}
