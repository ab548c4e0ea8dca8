import Foundation
import Hummingbird
import Logging
import Runtime

/// Turns every error a route throws into the error envelope with the right status; nothing
/// reaches the client as a bare 500. Internal errors are logged with the request id.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let environment: AppEnvironment

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = ErrorMapping.apiError(for: error, environment: environment)
            if case .internal = apiError {
                context.logger.error("request failed", metadata: [
                    "request.id": .string(context.requestID), "error.type": .string(String(describing: type(of: error))),
                    "error": .string(environment == .development ? "\(error)" : "redacted"),
                ])
            }
            return ErrorEnvelope.response(for: apiError, requestID: context.requestID)
        }
    }
}
