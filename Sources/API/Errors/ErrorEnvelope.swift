import Foundation
import Hummingbird

/// The error envelope: `{"error": {"code", "message", "details"}, "meta": {"requestId"}}`.
struct ErrorEnvelope: Encodable {
    struct Body: Encodable {
        var code: String
        var message: String
        var details: [APIError.FieldProblem]
    }

    var error: Body
    var meta: [String: String]

    /// The envelope of `error` as JSON bytes.
    static func body(for error: APIError, requestID: String) -> ByteBuffer {
        let envelope = ErrorEnvelope(
            error: Body(code: error.code, message: error.message, details: error.details),
            meta: ["requestId": requestID])
        return ByteBuffer(bytes: (try? APIJSON.encoder.encode(envelope)) ?? Data("{}".utf8))
    }

    /// The response for `error`, with `WWW-Authenticate` on 401 and `Retry-After` on 429.
    static func response(for error: APIError, requestID: String) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        switch error {
        case .unauthorized:
            headers[.wwwAuthenticate] = "Bearer realm=\"lore\""
        case .rateLimited(let seconds):
            headers[.retryAfter] = String(seconds)
        default:
            break
        }
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: body(for: error, requestID: requestID)))
    }
}
