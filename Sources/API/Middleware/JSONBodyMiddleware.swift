import Foundation
import Hummingbird

/// Rejects request bodies that are not JSON (415) or that announce more than the limit (413)
/// before any handler reads them. Bodies without a length are bounded when they are collected.
struct JSONBodyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let maximumBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maximumBytes {
            throw APIError.payloadTooLarge("the request body is larger than \(maximumBytes) bytes")
        }
        if [.post, .put, .patch].contains(request.method) && Self.hasBody(request) && !Self.isJSON(request.headers[.contentType]) {
            throw APIError.unsupportedMediaType("the request body must be application/json")
        }
        return try await next(request, context)
    }

    static func hasBody(_ request: Request) -> Bool {
        if let length = request.headers[.contentLength].flatMap(Int.init) { return length > 0 }
        return request.headers[.transferEncoding] != nil
    }

    static func isJSON(_ contentType: String?) -> Bool {
        guard let mediaType = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() else {
            return false
        }
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }
}
