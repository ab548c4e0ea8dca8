import Foundation
import Hummingbird
import Logging

/// One log line per request: request id, method, route template (never the raw path), status
/// and duration. Headers, bodies and query strings are never logged.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = started.duration(to: .now)
        context.logger.info("request", metadata: [
            "request.id": .string(context.requestID),
            "http.method": .string(request.method.rawValue),
            "http.route": .string(context.endpointPath ?? "unmatched"),
            "http.status": .stringConvertible(response.status.code),
            "duration.ms": .string(String(format: "%.2f", Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)),
        ])
        return response
    }
}
