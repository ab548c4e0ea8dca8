import Foundation
import Synchronization
import Vectors

/// Embeds search queries at the speed of the hardware: from a bounded LRU cache when the same
/// query came before, else packed with the other queries waiting at that moment into one call of
/// the embedder (one forward pass for the built-in model).
///
/// Micro-batching: a query that finds an encoder lane free starts a batch at once (no added
/// latency when idle); while every lane is busy, queries wait together and the next free lane
/// takes them all, up to ``maximumBatch`` — so a query waits at most for the batches running when
/// it arrived, and under load each forward pass serves many queries. Identical queries waiting
/// together are embedded once. There are as many lanes as cores unless told otherwise.
public final class QueryEncoder: Sendable {
    /// The most queries in one batch.
    public static let maximumBatch = 64
    /// Cached query embeddings by default (384 floats each: about 15 MiB).
    public static let defaultCacheEntries = 10_000

    public let embedder: any Embedder
    public let lanes: Int
    private let cache: QueryEmbeddingCache?
    private let onLookup: @Sendable (_ hit: Bool) -> Void

    private typealias Continuation = CheckedContinuation<[Float], any Error>

    private struct State {
        /// Queries waiting for a lane, by normalized text, in arrival order.
        var waiting: [String: [Continuation]] = [:]
        var order: [String] = []
        /// Queries being embedded; one asked again meanwhile joins it rather than run twice.
        var inFlight: [String: [Continuation]] = [:]
        var busyLanes = 0
    }

    private let state = Mutex(State())

    /// - Parameters:
    ///   - cacheEntries: how many query embeddings to keep; 0 turns the cache off.
    ///   - lanes: how many batches may run at once (default: the active cores).
    ///   - onLookup: told of every cache hit (`true`) and miss, for the metrics.
    public init(embedder: any Embedder, cacheEntries: Int = defaultCacheEntries, lanes: Int? = nil,
                onLookup: @escaping @Sendable (_ hit: Bool) -> Void = { _ in }) {
        self.embedder = embedder
        self.cache = cacheEntries > 0 ? QueryEmbeddingCache(capacity: cacheEntries) : nil
        self.lanes = max(1, lanes ?? ProcessInfo.processInfo.activeProcessorCount)
        self.onLookup = onLookup
    }

    /// Whether embeddings are cached.
    public var caches: Bool { cache != nil }

    /// The text as the cache keys it: white space runs folded to one space, trimmed, NFC.
    static func normalized(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ").precomposedStringWithCanonicalMapping
    }

    /// The embedding of one query.
    public func embed(_ text: String) async throws -> [Float] {
        let key = Self.normalized(text)
        let cacheKey = QueryEmbeddingCache.Key(model: embedder.modelID, text: key)
        if let cache {
            if let vector = cache.vector(for: cacheKey) {
                onLookup(true)
                return vector
            }
            onLookup(false)
        }
        return try await withCheckedThrowingContinuation { continuation in
            let batch: [String]? = state.withLock { state in
                if state.inFlight[key] != nil {
                    state.inFlight[key]!.append(continuation)
                    return nil
                }
                if state.waiting[key] != nil {
                    state.waiting[key]!.append(continuation)
                } else {
                    state.waiting[key] = [continuation]
                    state.order.append(key)
                }
                return Self.takeBatch(&state, lanes: lanes)
            }
            if let batch { run(batch) }
        }
    }

    /// The waiting queries, up to ``maximumBatch``, when a lane is free (and marks it busy).
    private static func takeBatch(_ state: inout State, lanes: Int) -> [String]? {
        guard state.busyLanes < lanes, !state.order.isEmpty else { return nil }
        state.busyLanes += 1
        let keys = Array(state.order.prefix(maximumBatch))
        state.order.removeFirst(keys.count)
        for key in keys { state.inFlight[key] = state.waiting.removeValue(forKey: key) ?? [] }
        return keys
    }

    private func run(_ batch: [String]) {
        Task {
            var outcomes: [String: Result<[Float], any Error>] = [:]
            do {
                let vectors = try await embedder.embed(batch)
                guard vectors.count == batch.count else {
                    throw VectorError.embedderFailed(reason: "\(vectors.count) vectors for \(batch.count) queries", retryable: true)
                }
                for (text, vector) in zip(batch, vectors) { outcomes[text] = .success(vector) }
            } catch where batch.count > 1 {
                // One input the embedder refuses must not fail the queries it shared a batch with.
                for text in batch {
                    do {
                        guard let vector = try await embedder.embed([text]).first else {
                            throw VectorError.embedderFailed(reason: "no vector returned", retryable: true)
                        }
                        outcomes[text] = .success(vector)
                    } catch {
                        outcomes[text] = .failure(error)
                    }
                }
            } catch {
                for text in batch { outcomes[text] = .failure(error) }
            }
            for (text, outcome) in outcomes {
                if case .success(let vector) = outcome {
                    cache?.store(vector, for: QueryEmbeddingCache.Key(model: embedder.modelID, text: text))
                }
            }
            let (waiters, next): ([(String, [Continuation])], [String]?) = state.withLock { state in
                let waiters = batch.map { ($0, state.inFlight.removeValue(forKey: $0) ?? []) }
                state.busyLanes -= 1
                return (waiters, Self.takeBatch(&state, lanes: lanes))
            }
            for (text, continuations) in waiters {
                for continuation in continuations { continuation.resume(with: outcomes[text]!) }
            }
            if let next { run(next) }
        }
    }
}
