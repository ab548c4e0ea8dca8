import Foundation
import Hummingbird
import Index

/// `GET /metrics`: the Prometheus text exposition of ``LoreMetrics``, with the store gauges
/// (documents, vectors, embedding queue depth) read fresh on every scrape.
struct MetricsController<AppStore: Store>: Sendable {
    let store: AppStore
    let metrics: LoreMetrics

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("metrics", use: scrape)
    }

    @Sendable func scrape(_ request: Request, context: AppRequestContext) async throws -> Response {
        do {
            let totals = try await (store as? any StoreTotalsReporting)?.totals()
            let queueDepth = try await store.embeddingQueueDepth()
            metrics.updateStore(
                documents: totals?.documents ?? 0, vectors: totals?.embeddedChunks ?? 0, embeddingQueueDepth: queueDepth)
        } catch {
            // A scrape still answers with the request metrics when the database is down; the
            // store gauges keep their last values and readiness reports the outage.
            context.logger.warning("metrics: store gauges not refreshed", metadata: ["error.type": .string(String(describing: type(of: error)))])
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: metrics.emit())))
    }
}
