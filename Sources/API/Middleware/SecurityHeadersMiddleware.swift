import HTTPTypes
import Hummingbird

/// The headers every response carries: no MIME sniffing, no referrer, never framed, and a
/// Content-Security-Policy. API answers get a policy that allows nothing; the console's pages set
/// ``SecurityHeaders/consolePolicy`` themselves.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        response.headers[.xFrameOptions] = "DENY"
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = SecurityHeaders.apiPolicy
        }
        return response
    }
}

enum SecurityHeaders {
    /// Only Lore's own files, no inline script or style, no plugins, never in a frame: whatever a
    /// document contains, the console can neither run it nor load anything from elsewhere.
    static let consolePolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
        "font-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")
    /// JSON and text answers are never rendered as pages.
    static let apiPolicy = "default-src 'none'; frame-ancestors 'none'"
}

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
}
