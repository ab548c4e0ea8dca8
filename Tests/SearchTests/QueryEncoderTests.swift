import Foundation
import Synchronization
@testable import Search
import Testing
import Vectors

/// Query embeddings: concurrent queries share forward passes, repeated ones come from the cache,
/// a refused input fails alone, and the cache can be turned off.
@Suite("Query encoder")
struct QueryEncoderTests {
    /// Counts calls and texts, and holds each call for a moment so that queries pile up.
    final class CountingEmbedder: Embedder, Sendable {
        let calls = Mutex(0)
        let texts = Mutex(0)
        let largestBatch = Mutex(0)
        var modelID: String { "counting" }
        var dimension: Int { 64 }
        var maximumTokens: Int { 512 }
        func tokenCount(_ text: String) -> Int? { nil }

        func embed(_ texts: [String]) async throws -> [[Float]] {
            calls.withLock { $0 += 1 }
            self.texts.withLock { $0 += texts.count }
            largestBatch.withLock { $0 = max($0, texts.count) }
            try await Task.sleep(for: .milliseconds(20))
            if texts.contains("poison") && texts.count == 1 {
                throw VectorError.embedderFailed(reason: "input rejected", retryable: false)
            }
            if texts.contains("poison") { throw VectorError.embedderFailed(reason: "batch rejected", retryable: false) }
            return texts.map(WordHashEmbedder.vector(for:))
        }
    }

    @Test func concurrentQueriesShareBatchesAndRepeatsAreCached() async throws {
        let embedder = CountingEmbedder()
        let hits = Mutex(0)
        let encoder = QueryEncoder(embedder: embedder, cacheEntries: 100, lanes: 1, onLookup: { hit in if hit { hits.withLock { $0 += 1 } } })
        let queries = (0..<40).map { "query number \($0 % 20)" }
        let vectors = try await withThrowingTaskGroup(of: (String, [Float]).self) { group in
            for query in queries { group.addTask { (query, try await encoder.embed(query)) } }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        for (query, vector) in vectors { #expect(vector == WordHashEmbedder.vector(for: query)) }
        // 40 queries, 20 distinct: far fewer forward passes than queries, each text at most once.
        #expect(embedder.calls.withLock { $0 } < 10 && embedder.largestBatch.withLock { $0 } > 1)
        #expect(embedder.texts.withLock { $0 } <= 20)
        // Again: all from the cache, white space differences included.
        let before = embedder.calls.withLock { $0 }
        _ = try await encoder.embed("  query   number 3 ")
        #expect(embedder.calls.withLock { $0 } == before && hits.withLock { $0 } >= 1)
    }

    @Test func aRefusedQueryFailsAloneAndTheCacheCanBeOff() async throws {
        let embedder = CountingEmbedder()
        let encoder = QueryEncoder(embedder: embedder, cacheEntries: 0, lanes: 1)
        #expect(!encoder.caches)
        let results = await withTaskGroup(of: (String, Bool).self) { group in
            for query in ["alpha", "poison", "beta", "gamma"] {
                group.addTask { (query, (try? await encoder.embed(query)) != nil) }
            }
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(results == ["alpha": true, "poison": false, "beta": true, "gamma": true])
        let calls = embedder.calls.withLock { $0 }
        _ = try await encoder.embed("alpha")
        #expect(embedder.calls.withLock { $0 } == calls + 1, "with the cache off every query is embedded")
    }

    @Test func theCacheEvictsTheLeastRecentlyUsed() {
        let cache = QueryEmbeddingCache(capacity: 3)
        func key(_ text: String) -> QueryEmbeddingCache.Key { .init(model: "m", text: text) }
        for text in ["a", "b", "c"] { cache.store([1], for: key(text)) }
        _ = cache.vector(for: key("a"))
        cache.store([2], for: key("d"))
        #expect(cache.vector(for: key("b")) == nil && cache.vector(for: key("a")) == [1] && cache.vector(for: key("d")) == [2])
        #expect(cache.count == 3 && cache.vector(for: QueryEmbeddingCache.Key(model: "other", text: "a")) == nil)
        for index in 0..<1_000 { cache.store([Float(index)], for: key("k\(index)")) }
        #expect(cache.count == 3 && cache.vector(for: key("k999")) == [999] && cache.vector(for: key("k996")) == nil)
    }
}
