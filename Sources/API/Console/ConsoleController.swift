import Console
import Foundation
import HTTPTypes
import Hummingbird

/// Serves the web console (SPEC §12): the page at `/` and its files under `/console/`, all
/// compiled into the binary (``ConsoleAssets``), with ``SecurityHeaders/consolePolicy``. The
/// console itself is a client of `/api/v1` with the session cookie.
struct ConsoleController: Sendable {
    /// The page with the settings the console needs before anyone signs in: whether registration
    /// is open, and whether the request carries a session cookie at all (without one the console
    /// shows the sign-in page at once instead of asking `/auth/me` for a certain 401).
    let pageWithoutSession: ConsoleAsset
    let pageWithSession: ConsoleAsset

    init(registrationEnabled: Bool) {
        pageWithoutSession = Self.page(registrationEnabled: registrationEnabled, hasSession: false)
        pageWithSession = Self.page(registrationEnabled: registrationEnabled, hasSession: true)
    }

    private static func page(registrationEnabled: Bool, hasSession: Bool) -> ConsoleAsset {
        let page = String(decoding: ConsoleAssets.index.bytes, as: UTF8.self)
            .replacingOccurrences(of: "__LORE_REGISTRATION__", with: registrationEnabled ? "open" : "closed")
            .replacingOccurrences(of: "__LORE_SESSION__", with: hasSession ? "present" : "absent")
        let variant = (registrationEnabled ? "o" : "c") + (hasSession ? "s" : "n")
        return ConsoleAsset(name: "index.html", contentType: ConsoleAssets.index.contentType, bytes: Array(page.utf8),
                            etag: ConsoleAssets.index.etag.dropLast() + variant + "\"")
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/", use: page)
        router.get("console/:file", use: file)
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let hasSession = request.cookies[SessionCookie.name] != nil
        var response = respond(with: hasSession ? pageWithSession : pageWithoutSession, to: request)
        response.headers[.vary] = "Cookie"
        return response
    }

    @Sendable func file(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let name = context.parameters.get("file"), let asset = ConsoleAssets.byName[name], name != "index.html" else {
            throw APIError.notFound("no such console file")
        }
        return respond(with: asset, to: request)
    }

    /// The file, or 304 when the browser's copy is current; browsers revalidate on every load, so
    /// a new binary's console is seen at once.
    private func respond(with asset: ConsoleAsset, to request: Request) -> Response {
        var headers: HTTPFields = [
            .contentType: asset.contentType, .eTag: asset.etag, .cacheControl: "no-cache",
            .contentSecurityPolicy: SecurityHeaders.consolePolicy,
        ]
        if request.headers[.ifNoneMatch] == asset.etag {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }
}
