import HTTPTypes
import Hummingbird

/// Refuses state-changing requests a browser sends on behalf of another site (cross-site request
/// forgery), on top of the session cookie's `SameSite=Lax`.
///
/// Invariant: a `POST`, `PUT`, `PATCH` or `DELETE` is served only if the browser says it comes
/// from this server's own pages — `Sec-Fetch-Site` is absent, `same-origin` or `none`, and an
/// `Origin`, when sent, names the authority the request was addressed to (`Host`).
/// Clients that are not browsers (curl, agents, Git hosts' webhooks) send neither header and pass;
/// an API key is never attached by a browser, so it cannot be ridden. `/mcp` has its own Origin
/// check (``MCPRequestValidation``) that answers in JSON-RPC.
struct CrossSiteRequestMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.changesState(request.method), context.endpointPath != "/mcp" else {
            return try await next(request, context)
        }
        if let site = request.headers[.secFetchSite], !["same-origin", "none"].contains(site.lowercased()) {
            throw APIError.forbidden("cross-site request refused: this change can only be made from Lore's own pages")
        }
        if let origin = request.headers[.origin], !Self.origin(origin, matchesHost: request.head.authority) {
            throw APIError.forbidden("cross-site request refused: the Origin does not match this server")
        }
        return try await next(request, context)
    }

    static func changesState(_ method: HTTPRequest.Method) -> Bool {
        method != .get && method != .head && method != .options
    }

    /// `http://lore.example:8080` matches the Host `lore.example:8080`; `null` matches nothing.
    static func origin(_ origin: String, matchesHost host: String?) -> Bool {
        guard let host, !host.isEmpty else { return false }
        let lowered = origin.lowercased()
        for scheme in ["http://", "https://"] where lowered.hasPrefix(scheme) {
            return lowered.dropFirst(scheme.count) == host.lowercased()
        }
        return false
    }
}
