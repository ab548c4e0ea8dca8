import Foundation
import Index
import Logging
import Vectors

/// Embeds pending chunks in the background, off the request path, from the durable queue the
/// store keeps (chunks without a vector).
///
/// Batches of up to `batchSize` chunks are embedded and stored together, and loaded vector
/// indexes are updated in place. A failed batch is retried with exponential backoff (2, 4, 8 …
/// seconds, at most 5 minutes) and marked `failed` after `maximumAttempts`. Because the queue is
/// the database, a crash or restart loses nothing: ``run()`` resumes where it stopped.
public struct EmbeddingWorker<Store: EmbeddingStore>: Sendable {
    public let store: Store
    public let embedder: any Embedder
    public let cache: VectorIndexCache?
    public var batchSize = 32
    public var maximumAttempts = 5
    public var idleDelay: Duration = .milliseconds(500)
    /// Wakes the idle worker as soon as a write queues chunks, instead of at the next poll.
    public var wake: WorkSignal?
    let logger: Logger

    public init(store: Store, embedder: any Embedder, cache: VectorIndexCache?, logger: Logger = Logger(label: "lore.embedding")) {
        self.store = store
        self.embedder = embedder
        self.cache = cache
        self.logger = logger
    }

    /// Processes the queue until the task is cancelled, waiting briefly (or until ``wake`` is
    /// notified) whenever it is empty. The poll also picks up work other processes queued.
    ///
    /// A batch in flight when the task is cancelled is finished first (in a task of its own,
    /// which the cancellation does not reach): its vectors are already being computed — and, by
    /// a server embedder, paid for — so dropping them would have the chunks embedded twice once
    /// their claim lapses. Stopping therefore waits for at most one batch.
    public func run() async {
        while !Task.isCancelled {
            let batch = Task { try await processBatch() }
            let processed = (try? await batch.value) ?? 0
            if processed == 0 {
                if let wake {
                    await wake.wait(upTo: idleDelay)
                } else {
                    try? await Task.sleep(for: idleDelay)
                }
            }
        }
    }

    /// Processes the queue until nothing is due; `progress` gets (embedded so far, still queued).
    /// Returns how many chunks were embedded.
    @discardableResult
    public func drain(progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Int {
        var embedded = 0
        while true {
            let processed = try await processBatch()
            if processed == 0 { return embedded }
            embedded += max(processed, 0)
            progress(embedded, try await store.embeddingQueueDepth())
        }
    }

    /// Embeds one batch; returns how many chunks it embedded (0 when nothing was due, and a
    /// negative count when every chunk of the batch failed and was put back for later).
    public func processBatch() async throws -> Int {
        let pending = try await store.pendingChunks(limit: batchSize, now: Date())
        guard !pending.isEmpty else { return 0 }
        // The claim is a short lease: renewed while the batch is embedded, it lapses soon after
        // a process dies, so another takes the chunks over.
        let store = store
        let renewal = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: EmbeddingClaim.renewal)
                try? await store.renewClaims(chunkIDs: pending.map(\.chunkID), until: Date().addingTimeInterval(EmbeddingClaim.lease))
            }
        }
        defer { renewal.cancel() }
        let embedded = try await embed(pending)
        return embedded > 0 ? embedded : -pending.count
    }

    /// Embeds and stores `chunks`; returns how many were stored.
    ///
    /// A batch the embedder refuses is split in halves until the chunk it refuses is found, so
    /// one bad input (from any project) fails only itself, never the batch it shared with other
    /// tenants' chunks. An embedder that is unreachable fails the whole batch at once: splitting
    /// would only multiply requests that cannot succeed.
    private func embed(_ chunks: [PendingChunk]) async throws -> Int {
        do {
            let vectors = try await embedder.embed(chunks.map(\.text))
            guard vectors.count == chunks.count else {
                throw VectorError.embedderFailed(reason: "expected \(chunks.count) vectors, got \(vectors.count)", retryable: true)
            }
            let stored = try await store.saveEmbeddings(zip(chunks, vectors).map(ChunkEmbedding.init), model: embedder.modelID)
            if let cache {
                for (project, vectors) in stored {
                    guard let index = await cache.cachedIndex(for: project) else { continue }
                    try index.upsert(contentsOf: vectors.map { VectorRecord(chunkID: $0.chunkID, documentID: $0.documentID, vector: $0.vector) })
                }
            }
            return chunks.count
        } catch let error where chunks.count > 1 && Self.isInputError(error) {
            let middle = chunks.count / 2
            return try await embed(Array(chunks[..<middle])) + embed(Array(chunks[middle...]))
        } catch where Task.isCancelled {
            // Stopped mid-batch (shutdown): not the chunks' fault. Their claim lapses, and they
            // are embedded again then, by this process after a restart or by another.
            return 0
        } catch {
            let attempts = (chunks.map(\.attempts).max() ?? 0) + 1
            let delay = min(300.0, pow(2.0, Double(attempts)))
            logger.warning("embedding failed; will retry", metadata: [
                "embedding.chunks": .stringConvertible(chunks.count), "embedding.attempt": .stringConvertible(attempts),
                "embedding.retry_in_s": .stringConvertible(delay), "error": .string("\(error)"),
            ])
            try await store.recordEmbeddingFailure(
                chunkIDs: chunks.map(\.chunkID), retryAt: Date().addingTimeInterval(delay), maximumAttempts: maximumAttempts)
            return 0
        }
    }

    /// Whether the embedder failed because of what it was given (worth splitting the batch),
    /// rather than because it could not be reached.
    static func isInputError(_ error: any Error) -> Bool {
        switch error as? VectorError {
        case .embedderFailed(_, let retryable): !retryable
        case .dimensionMismatch, .nonFiniteComponent, .zeroVector: true
        default: false
        }
    }
}
