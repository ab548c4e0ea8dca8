import Foundation
import HTTPTypes
import Hummingbird

/// Keeps a well-formed incoming `X-Request-ID` (`[A-Za-z0-9._-]{1,128}`) or generates one, puts
/// it in the context for envelopes and logs, and returns it on every response.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.requestID = Self.acceptable(request.headers[.requestID]) ?? UUID().apiString
        var response = try await next(request, context)
        response.headers[.requestID] = context.requestID
        return response
    }

    static func acceptable(_ value: String?) -> String? {
        guard let value, (1...128).contains(value.utf8.count) else { return nil }
        let allowed = value.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2E || byte == 0x5F || byte == 0x2D
        }
        return allowed ? value : nil
    }
}

extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-ID")!
    static let apiKey = HTTPField.Name("X-API-Key")!
}
