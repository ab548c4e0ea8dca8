import Foundation
import Hummingbird
import Index

/// `GET /metrics`: the Prometheus text exposition of ``LoreMetrics``, with the store gauges
/// (documents, vectors, embedding queue depth).
///
/// The gauges count whole tables, so they are read at most once per ``gaugeInterval`` however
/// often, and by however many clients, the endpoint is scraped (it needs no credentials).
struct MetricsController<AppStore: Store>: Sendable {
    static var gaugeInterval: Duration { .seconds(10) }

    let store: AppStore
    let metrics: LoreMetrics
    let gauges = StoreGaugeSchedule(interval: Self.gaugeInterval)

    init(store: AppStore, metrics: LoreMetrics) {
        self.store = store
        self.metrics = metrics
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("metrics", use: scrape)
    }

    @Sendable func scrape(_ request: Request, context: AppRequestContext) async throws -> Response {
        await gauges.refreshIfDue { [store, metrics, logger = context.logger] in
            do {
                let totals = try await store.totals()
                let queueDepth = try await store.embeddingQueueDepth()
                metrics.updateStore(
                    documents: totals.documents, vectors: totals.embeddedChunks, embeddingQueueDepth: queueDepth)
            } catch {
                // A scrape still answers with the request metrics when the database is down; the
                // store gauges keep their last values and readiness reports the outage.
                logger.warning("metrics: store gauges not refreshed", metadata: ["error.type": .string(String(describing: type(of: error)))])
            }
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: metrics.emit())))
    }
}

/// Runs a refresh at most once per interval; callers arriving while one runs wait for it.
actor StoreGaugeSchedule {
    let interval: Duration
    private var lastStart: ContinuousClock.Instant?
    private var running: Task<Void, Never>?

    init(interval: Duration) {
        self.interval = interval
    }

    func refreshIfDue(_ refresh: @escaping @Sendable () async -> Void) async {
        if let running { return await running.value }
        if let lastStart, lastStart.duration(to: .now) < interval { return }
        lastStart = .now
        let task = Task { await refresh() }
        running = task
        await task.value
        running = nil
    }
}
