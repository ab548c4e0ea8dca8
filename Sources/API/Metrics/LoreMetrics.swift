import Foundation
import Prometheus

/// The Prometheus metrics of one application (SPEC §3 `GET /metrics`), in a registry of its own
/// so that several applications in one process (tests) never share or clash.
///
/// Route labels are route templates (`/api/v1/projects/{projectId}`), never raw paths, and
/// `unmatched` for requests no route matched, so the label sets stay bounded.
public final class LoreMetrics: Sendable {
    /// The registry the metrics live in; `emit()` renders it.
    public let registry: PrometheusCollectorRegistry

    static let durationBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
        .seconds(5), .seconds(10),
    ]

    private let documents: Gauge
    private let vectors: Gauge
    private let embeddingQueueDepth: Gauge

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        documents = registry.makeGauge(descriptor: Self.descriptor("lore_documents", "Documents stored, over all projects."))
        vectors = registry.makeGauge(descriptor: Self.descriptor("lore_vectors", "Chunks with an embedding vector, over all projects."))
        embeddingQueueDepth = registry.makeGauge(descriptor: Self.descriptor(
            "lore_embedding_queue_depth", "Chunks waiting for an embedding."))
        // Present (at zero) from the start, so alerts need no `absent()`.
        _ = registry.makeCounter(descriptor: Self.rateLimitedDescriptor)
        _ = registry.makeCounter(descriptor: Self.cacheHitsDescriptor)
        _ = registry.makeCounter(descriptor: Self.cacheMissesDescriptor)
        _ = registry.makeCounter(descriptor: Self.queryCacheHitsDescriptor)
        _ = registry.makeCounter(descriptor: Self.queryCacheMissesDescriptor)
        _ = registry.makeCounter(descriptor: Self.syncChangesDescriptor)
        _ = registry.makeDurationHistogram(descriptor: Self.syncDurationDescriptor, buckets: Self.syncBuckets)
        _ = registry.makeDurationHistogram(descriptor: Self.syncLagDescriptor, buckets: Self.syncBuckets)
    }

    static let syncBuckets: [Duration] = [
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
        .seconds(10), .seconds(30), .seconds(60), .seconds(300), .seconds(900), .seconds(3600),
    ]

    /// Records a finished sync: how long it took, how long after its head commit the commit became
    /// searchable, and how many documents it changed.
    func recordSync(duration: Duration, lag: TimeInterval?, documentsChanged: Int) {
        registry.makeDurationHistogram(descriptor: Self.syncDurationDescriptor, buckets: Self.syncBuckets).record(duration)
        if let lag { registry.makeDurationHistogram(descriptor: Self.syncLagDescriptor, buckets: Self.syncBuckets).record(.seconds(max(0, lag))) }
        registry.makeCounter(descriptor: Self.syncChangesDescriptor).increment(by: Int64(documentsChanged))
    }

    private static var syncDurationDescriptor: MetricNameDescriptor {
        descriptor("lore_sync_duration_seconds", "How long a source's sync took, from fetch to commit.")
    }

    private static var syncLagDescriptor: MetricNameDescriptor {
        descriptor("lore_sync_lag_seconds", "How long after its head commit was made a sync made it searchable.")
    }

    private static var syncChangesDescriptor: MetricNameDescriptor {
        descriptor("lore_sync_documents_changed_total", "Documents created, updated, moved or deleted by source syncs.")
    }

    /// Counts a query embedding answered from the query cache (`hit`) or by the embedder.
    func recordQueryCacheLookup(hit: Bool) {
        registry.makeCounter(descriptor: hit ? Self.queryCacheHitsDescriptor : Self.queryCacheMissesDescriptor).increment()
    }

    private static var queryCacheHitsDescriptor: MetricNameDescriptor {
        descriptor("lore_query_embedding_cache_hits_total", "Query embeddings answered from the query cache.")
    }

    private static var queryCacheMissesDescriptor: MetricNameDescriptor {
        descriptor("lore_query_embedding_cache_misses_total", "Query embeddings the embedder had to compute.")
    }

    /// Counts a lookup answered from the cache (`hit`) or from the store.
    func recordCacheLookup(hit: Bool) {
        registry.makeCounter(descriptor: hit ? Self.cacheHitsDescriptor : Self.cacheMissesDescriptor).increment()
    }

    private static var cacheHitsDescriptor: MetricNameDescriptor {
        descriptor("lore_cache_hits_total", "User, API-key and project lookups answered from the cache.")
    }

    private static var cacheMissesDescriptor: MetricNameDescriptor {
        descriptor("lore_cache_misses_total", "User, API-key and project lookups that went to the store.")
    }

    /// Counts a finished request and its latency.
    func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        registry.makeCounter(
            descriptor: Self.descriptor("lore_http_requests_total", "HTTP requests by method, route template and status."),
            labels: [("method", method), ("route", route), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.descriptor("lore_http_request_duration_seconds", "HTTP request latency by route template."),
            labels: [("route", route)], buckets: Self.durationBuckets
        ).record(duration)
    }

    /// Records the latency of one search in the mode that actually ran.
    func recordSearch(mode: String, duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: Self.descriptor("lore_search_duration_seconds", "Search latency by the mode that ran."),
            labels: [("mode", mode)], buckets: Self.durationBuckets
        ).record(duration)
    }

    /// Counts a request refused by a rate limit.
    func recordRateLimited() {
        registry.makeCounter(descriptor: Self.rateLimitedDescriptor).increment()
    }

    /// Sets the gauges that describe the store.
    func updateStore(documents: Int, vectors: Int, embeddingQueueDepth: Int) {
        self.documents.set(Double(documents))
        self.vectors.set(Double(vectors))
        self.embeddingQueueDepth.set(Double(embeddingQueueDepth))
    }

    /// Every metric in the Prometheus text exposition format (version 0.0.4).
    func emit() -> [UInt8] {
        registry.emitToBuffer()
    }

    private static var rateLimitedDescriptor: MetricNameDescriptor {
        descriptor("lore_rate_limited_total", "Requests refused by a rate limit (429).")
    }

    /// A metric named in full by `name` (unit suffix included): the empty unit adds nothing to it.
    private static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
