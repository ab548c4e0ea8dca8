import Foundation
import Hummingbird

/// The errors of the HTTP layer, one per status of the error table in SPEC §3.
///
/// Domain errors of lower layers are mapped to it once, in ``ErrorMapping``; it renders itself
/// as the error envelope in ``ErrorMiddleware``.
public enum APIError: Error, Sendable, Equatable {
    /// One invalid input field, for ``APIError/validation(_:)``.
    public struct FieldProblem: Sendable, Equatable, Codable {
        public var field: String
        public var message: String
    }

    /// A request the HTTP parser could not read (a header or URL past its limits, NUL in a header).
    case badRequest(String)
    case unauthorized(String)
    case forbidden(String)
    case notFound(String)
    case conflict(String, details: [FieldProblem] = [])
    /// A write to a document a Git source holds (SPEC §11): 409 `source_owned`.
    case sourceOwned(String)
    case payloadTooLarge(String)
    case unsupportedMediaType(String)
    case validation(String, details: [FieldProblem])
    case rateLimited(retryAfterSeconds: Int)
    case methodNotAllowed(String)
    case `internal`(String)
    case unavailable(String)

    /// Shorthand for a validation error about one field.
    static func invalid(_ field: String, _ message: String) -> APIError {
        .validation("\(field): \(message)", details: [FieldProblem(field: field, message: message)])
    }

    var status: HTTPResponse.Status {
        switch self {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict, .sourceOwned: .conflict
        case .payloadTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .validation: .unprocessableContent
        case .rateLimited: .tooManyRequests
        case .methodNotAllowed: .methodNotAllowed
        case .internal: .internalServerError
        case .unavailable: .serviceUnavailable
        }
    }

    var code: String {
        switch self {
        case .badRequest: "bad_request"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .notFound: "not_found"
        case .conflict: "conflict"
        case .sourceOwned: "source_owned"
        case .payloadTooLarge: "payload_too_large"
        case .unsupportedMediaType: "unsupported_media_type"
        case .validation: "validation_error"
        case .rateLimited: "rate_limited"
        case .methodNotAllowed: "method_not_allowed"
        case .internal: "internal_error"
        case .unavailable: "unavailable"
        }
    }

    var message: String {
        switch self {
        case .badRequest(let message), .unauthorized(let message), .forbidden(let message), .notFound(let message),
             .conflict(let message, _), .sourceOwned(let message), .payloadTooLarge(let message), .unsupportedMediaType(let message),
             .validation(let message, _), .methodNotAllowed(let message), .internal(let message),
             .unavailable(let message):
            message
        case .rateLimited(let seconds): "too many requests: retry after \(seconds) seconds"
        }
    }

    var details: [FieldProblem] {
        switch self {
        case .validation(_, let details), .conflict(_, let details): details
        default: []
        }
    }
}
