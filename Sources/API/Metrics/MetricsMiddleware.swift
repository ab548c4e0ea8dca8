import Foundation
import Hummingbird

/// Counts every request by method, route template and status, and times it by route. It sits
/// outside the error middleware, so errors and refusals are counted with their real status.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let metrics: LoreMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context: context, status: response.status.code, since: started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            record(request, context: context, status: status, since: started)
            throw error
        }
    }

    private func record(_ request: Request, context: Context, status: Int, since started: ContinuousClock.Instant) {
        metrics.recordRequest(
            method: Self.methodLabel(request.method), route: Self.routeLabel(context.endpointPath),
            status: status, duration: started.duration(to: .now))
    }

    /// The route template; `unmatched` when no route matched (Hummingbird then says `NotFound`).
    static func routeLabel(_ endpointPath: String?) -> String {
        guard let endpointPath, endpointPath.hasPrefix("/") else { return "unmatched" }
        return endpointPath
    }

    /// The standard methods by name; anything else as `other`, so clients cannot grow the label set.
    static func methodLabel(_ method: HTTPRequest.Method) -> String {
        let known: Set<HTTPRequest.Method> = [.get, .head, .post, .put, .patch, .delete, .options]
        return known.contains(method) ? method.rawValue : "other"
    }
}
