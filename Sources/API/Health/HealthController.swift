import Foundation
import Hummingbird
import Index
import Search

/// `/health` (liveness) and `/health/ready` (the database, embedder and vector index).
struct HealthController<AppStore: Store>: Sendable {
    let store: AppStore
    let embedder: EmbedderState

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get(use: live)
        group.get("ready", use: ready)
    }

    @Sendable func live(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.respond(["status": "ok"])
    }

    @Sendable func ready(_ request: Request, context: AppRequestContext) async throws -> Response {
        let database = (try? await store.ping()) != nil ? "ok" : "unavailable"
        let embedder = embedder.summary
        let body: [String: String] = [
            "status": database == "ok" ? "ready" : "unavailable",
            "database": database,
            "embedder": embedder,
            "vectorIndex": embedder == "ok" ? "ok" : "disabled",
        ]
        return try context.respond(body, status: database == "ok" ? .ok : .serviceUnavailable)
    }
}
