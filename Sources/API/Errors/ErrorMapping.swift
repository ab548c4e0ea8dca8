import Foundation
import Hummingbird
import Index
import NIOCore
import Search
import Runtime

/// The one place where errors of every layer become ``APIError``s.
enum ErrorMapping {
    /// Maps any error to the API error a client sees; unknown errors are internal errors whose
    /// detail is shown only in development.
    static func apiError(for error: any Error, environment: AppEnvironment) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as IndexError:
            return apiError(for: error)
        case let error as SearchError:
            return apiError(for: error)
        case let error as DecodingError:
            return apiError(for: error)
        case is NIOTooManyBytesError:
            return .payloadTooLarge("the request body is larger than \(AppRequestContext.maximumBodyBytes) bytes")
        case let error as HTTPError:
            return apiError(for: error)
        case let error as any HTTPResponseError where error.status == .contentTooLarge:
            return .payloadTooLarge("the request body is too large")
        default:
            return .internal(environment == .development ? "\(error)" : "internal error")
        }
    }

    static func apiError(for error: IndexError) -> APIError {
        switch error {
        case .invalid(let field, let reason):
            return .invalid(field, reason)
        case .tooLarge(let field, let limit):
            return .payloadTooLarge("\(field) must be at most \(limit) bytes")
        case .notFound(let entity):
            return .notFound("\(entity) not found")
        case .conflict(let field, let reason):
            return .conflict("\(field) \(reason)", details: [.init(field: field, message: reason)])
        case .staleVersion(let expected, let actual):
            return .conflict("version \(expected) is stale: the document is at version \(actual)",
                             details: [.init(field: "version", message: "the current version is \(actual)")])
        case .sourceOwned:
            return .sourceOwned(error.description)
        case .storage:
            return .unavailable("the database is unavailable; try again shortly")
        }
    }

    static func apiError(for error: SearchError) -> APIError {
        switch error {
        case .invalid(let field, let reason): .invalid(field, reason)
        case .forbidden(let reason): .forbidden(reason)
        }
    }

    static func apiError(for error: DecodingError) -> APIError {
        func path(_ codingPath: [any CodingKey], _ key: (any CodingKey)? = nil) -> String {
            let keys = codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue } + (key.map { [$0.stringValue] } ?? [])
            return keys.isEmpty ? "body" : keys.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .invalid(path(context.codingPath, key), "is required")
        case .typeMismatch(let type, let context):
            return .invalid(path(context.codingPath), "must be of type \(typeName(type))")
        case .valueNotFound(let type, let context):
            return .invalid(path(context.codingPath), "must be a \(typeName(type)), not null")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return .invalid("body", "is not valid JSON") }
            return .invalid(path(context.codingPath), context.debugDescription)
        @unknown default:
            return .invalid("body", "is not valid")
        }
    }

    static func apiError(for error: HTTPError) -> APIError {
        let message = error.body ?? error.status.reasonPhrase
        switch error.status {
        case .notFound: return .notFound(message)
        case .unauthorized: return .unauthorized(message)
        case .forbidden: return .forbidden(message)
        case .contentTooLarge: return .payloadTooLarge(message)
        case .unsupportedMediaType: return .unsupportedMediaType(message)
        case .methodNotAllowed: return .methodNotAllowed(message)
        case .badRequest, .unprocessableContent: return .validation(message, details: [])
        case .conflict: return .conflict(message)
        case .serviceUnavailable: return .unavailable(message)
        default: return .internal(message)
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "string"
        case is Int.Type, is Double.Type: "number"
        case is Bool.Type: "boolean"
        case is [String].Type: "array of strings"
        default: "\(type)".contains("Dictionary") ? "object" : "\(type)"
        }
    }
}
