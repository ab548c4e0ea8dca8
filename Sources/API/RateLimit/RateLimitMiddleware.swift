import Foundation
import HTTPTypes
import Hummingbird

/// Applies the token buckets of ``RateLimitSettings`` to every route but health, metrics, the
/// OpenAPI document and the console's page and files (served from memory): per API key or
/// signed-in user when the request carries valid credentials, else per client address; `POST /api/v1/auth/login` per address and per e-mail instead, and
/// `POST /api/v1/auth/register` per address with a stricter bucket.
///
/// Invariant: the bucket is chosen by the route the router matched (`context.endpointPath`),
/// never by the raw path, so `/api/v1/auth/login/` or `//api/v1/auth/login` is limited exactly as
/// the login it reaches. The login e-mail is read with the handler's own decoder from the body
/// ``RequestBodyMiddleware`` already checked for duplicate keys.
///
/// Every limited response carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`
/// (seconds until the bucket is full); a refused one is the `rate_limited` envelope (429) with
/// `Retry-After`. It sits outside ``ErrorMiddleware``, so errors get the headers too.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let loginRoute = "/api/v1/auth/login"
    static let registerRoute = "/api/v1/auth/register"
    static let limitHeader = HTTPField.Name("RateLimit-Limit")!
    static let remainingHeader = HTTPField.Name("RateLimit-Remaining")!
    static let resetHeader = HTTPField.Name("RateLimit-Reset")!
    static let forwardedForHeader = HTTPField.Name("X-Forwarded-For")!

    let settings: RateLimitSettings
    let limiter: RateLimiter
    /// The bucket of the caller's valid credentials (`key:…` or `user:…`), or `nil`.
    let identify: @Sendable (Request) async -> String?
    /// Called once per refused request (the `lore_rate_limited_total` counter).
    let onLimited: @Sendable (_ route: String) -> Void

    init(
        settings: RateLimitSettings,
        identify: @escaping @Sendable (Request) async -> String?,
        onLimited: @escaping @Sendable (_ route: String) -> Void = { _ in }
    ) {
        self.settings = settings
        self.limiter = RateLimiter(clock: settings.clock, maximumBuckets: settings.maximumBuckets)
        self.identify = identify
        self.onLimited = onLimited
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let route = context.endpointPath ?? request.uri.path
        guard settings.enabled, Self.isLimited(route: route) else {
            return try await next(request, context)
        }
        var request = request
        let address = "address:" + ClientAddress.bucket(clientAddress(of: request, context: context))
        let buckets: [(key: String, policy: RateLimitPolicy)]
        if request.method == .post && route == Self.loginRoute {
            var login: [(key: String, policy: RateLimitPolicy)] = [("login-" + address, settings.loginPerAddress)]
            if let email = await Self.loginEmail(of: &request, context: context) {
                login.append(("login-email:" + email, settings.loginPerEmail))
            }
            buckets = login
        } else if request.method == .post && route == Self.registerRoute {
            buckets = [("register-" + address, settings.registrationPerAddress)]
        } else if let identity = await identify(request) {
            buckets = [(identity, settings.requests)]
        } else {
            buckets = [(address, settings.requests)]
        }
        let decision = limiter.take(buckets)
        guard decision.allowed else {
            onLimited(context.endpointPath ?? "unmatched")
            var response = ErrorEnvelope.response(for: .rateLimited(retryAfterSeconds: decision.retryAfterSeconds), requestID: context.requestID)
            Self.addHeaders(decision, to: &response)
            return response
        }
        var response = try await next(request, context)
        Self.addHeaders(decision, to: &response)
        return response
    }

    /// Health probes, metrics scrapes, the OpenAPI document and the console are never limited;
    /// `route` is the matched route (or, for no route, the raw path, which is limited unless
    /// exempt). `/` is exempt alone, not as a prefix of every path.
    static func isLimited(route: String) -> Bool {
        let exempt = ["/health", "/api/v1/health", "/metrics", "/openapi.json", "/console"]
        return route != "/" && !exempt.contains { route == $0 || route.hasPrefix($0 + "/") }
    }

    static func addHeaders(_ decision: RateLimiter.Decision, to response: inout Response) {
        response.headers[limitHeader] = String(decision.limit)
        response.headers[remainingHeader] = String(decision.remaining)
        response.headers[resetHeader] = String(decision.resetSeconds)
    }

    /// The socket peer's IP address, or the last `X-Forwarded-For` entry when a proxy is trusted.
    func clientAddress(of request: Request, context: Context) -> String {
        if settings.trustForwardedFor,
           let forwarded = request.headers[values: Self.forwardedForHeader].last?
               .split(separator: ",").last?.trimmingCharacters(in: .whitespaces),
           !forwarded.isEmpty {
            return forwarded
        }
        return context.clientAddress ?? "unknown"
    }

    private struct LoginEmail: Decodable {
        var email: String
    }

    /// The trimmed, lower-cased `email` of a login body, decoded as the handler decodes it; the
    /// body is kept for the handler. `nil` when the body has no string `email` (the handler
    /// answers 422).
    static func loginEmail(of request: inout Request, context: Context) async -> String? {
        guard let buffer = try? await request.collectBody(upTo: context.maxUploadSize),
              let email = try? context.requestDecoder.decode(LoginEmail.self, from: Data(buffer: buffer)).email else {
            return nil
        }
        let normalised = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return normalised.isEmpty ? nil : normalised
    }
}
