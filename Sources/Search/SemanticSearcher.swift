import Foundation
import Index
import Vectors

/// The semantic path: embeds the query and ranks documents by their best chunk's cosine.
public struct SemanticSearcher: Sendable {
    public let embedder: any Embedder
    public let cache: VectorIndexCache
    /// Embeds queries: cached, micro-batched (``QueryEncoder``).
    public let queries: QueryEncoder

    public init(embedder: any Embedder, cache: VectorIndexCache, queries: QueryEncoder? = nil) {
        self.embedder = embedder
        self.cache = cache
        self.queries = queries ?? QueryEncoder(embedder: embedder)
    }

    /// A searcher whose vector indexes load from `store` (vectors of the embedder's model only),
    /// together holding at most `memoryLimitBytes`; queries are embedded by `queries` (a cached,
    /// micro-batching encoder over `embedder` by default).
    public static func make(
        embedder: any Embedder, store: some EmbeddingStore, memoryLimitBytes: Int = 1 << 30, queries: QueryEncoder? = nil
    ) -> SemanticSearcher {
        let model = embedder.modelID
        let cache = VectorIndexCache(dimension: embedder.dimension, memoryLimitBytes: memoryLimitBytes) { project in
            try await store.vectors(in: project, model: model).map {
                VectorRecord(chunkID: $0.chunkID, documentID: $0.documentID, vector: $0.vector)
            }
        }
        return SemanticSearcher(embedder: embedder, cache: cache, queries: queries)
    }

    /// One document's best chunk by cosine.
    struct DocumentMatch: Sendable {
        var excerpt: ChunkExcerpt
        var score: Double
    }

    /// Why the semantic path could not answer.
    enum Unavailable: Error {
        case noVectors
        case embedderFailed(String)
    }

    /// A ranking of documents by meaning, with the query vector it was made from.
    struct Ranking: Sendable {
        var query: [Float]
        var matches: [DocumentMatch]
    }

    /// Up to `depth` documents of the projects, best first; documents must pass `allowed` when given.
    func rank(
        _ text: String, projectIDs: [UUID], allowed: Set<UUID>?, depth: Int, store: some EmbeddingStore
    ) async throws -> Ranking {
        let indexes = try await loadedIndexes(projectIDs)
        let query: [Float]
        do {
            query = try await queries.embed(text)
        } catch {
            throw Unavailable.embedderFailed("\(error)")
        }
        return Ranking(query: query, matches: try await rank(query, in: indexes, projectIDs: projectIDs, allowed: allowed, depth: depth, store: store))
    }

    /// Pseudo-relevance feedback (Rocchio, on embeddings): the query moved towards the best
    /// chunks of the documents a first ranking put on top, `query + weight · mean(chunks)`, and
    /// the projects ranked again by it. `feedback` are matches of `ranking` (their best chunks
    /// are the ones used); the caller picks them, e.g. from a fused ranking.
    func refine(
        _ ranking: Ranking, feedback: [DocumentMatch], weight: Float, projectIDs: [UUID], allowed: Set<UUID>?, depth: Int,
        store: some EmbeddingStore
    ) async throws -> Ranking {
        let indexes = try await loadedIndexes(projectIDs)
        let vectors = feedback.compactMap { match in indexes.lazy.compactMap { $0.vector(chunkID: match.excerpt.chunkID) }.first }
        guard !vectors.isEmpty else { return ranking }
        var query = ranking.query
        let norm = sqrt(query.reduce(0) { $0 + $1 * $1 })
        for index in query.indices {
            // The stored vectors are unit length: scale the query to match before adding.
            query[index] = query[index] / max(norm, .leastNormalMagnitude)
                + weight * vectors.reduce(0) { $0 + $1[index] } / Float(vectors.count)
        }
        return Ranking(query: query, matches: try await rank(query, in: indexes, projectIDs: projectIDs, allowed: allowed, depth: depth, store: store))
    }

    /// The projects' indexes that hold vectors; throws ``Unavailable/noVectors`` when none does.
    private func loadedIndexes(_ projectIDs: [UUID]) async throws -> [VectorIndex] {
        var indexes: [VectorIndex] = []
        for project in projectIDs {
            let index = try await cache.index(for: project)
            if index.count > 0 { indexes.append(index) }
        }
        guard !indexes.isEmpty else { throw Unavailable.noVectors }
        return indexes
    }

    private func rank(
        _ query: [Float], in indexes: [VectorIndex], projectIDs: [UUID], allowed: Set<UUID>?, depth: Int,
        store: some EmbeddingStore
    ) async throws -> [DocumentMatch] {
        // A stale row that was some document's best chunk hid that document's live chunks (and a
        // document rewritten several times leaves several): once they are gone, rank again,
        // until a pass meets none. Each pass removes at least one row, so this ends; the bound
        // only caps the work one search does.
        var passes = 0
        while true {
            let (matches, foundStale) = try await rankOnce(query, in: indexes, projectIDs: projectIDs, allowed: allowed, depth: depth, store: store)
            passes += 1
            if !foundStale || passes == Self.maximumRankingPasses { return matches }
        }
    }

    /// The most ranking passes one search makes while it clears stale rows.
    static let maximumRankingPasses = 16

    private func rankOnce(
        _ query: [Float], in indexes: [VectorIndex], projectIDs: [UUID], allowed: Set<UUID>?, depth: Int,
        store: some EmbeddingStore
    ) async throws -> (matches: [DocumentMatch], foundStale: Bool) {
        var best: [UUID: VectorHit] = [:]
        for index in indexes {
            for hit in try index.search(query, k: depth * 3, allowedDocuments: allowed)
            where best[hit.documentID].map({ $0.score < hit.score }) ?? true {
                best[hit.documentID] = hit
            }
        }
        let top = best.values.sorted { $0.score > $1.score || ($0.score == $1.score && $0.chunkID < $1.chunkID) }.prefix(depth)
        let excerpts = try await store.chunkExcerpts(top.map(\.chunkID), in: projectIDs)
        var matches: [DocumentMatch] = []
        var foundStale = false
        for hit in top {
            // Isolation: a vector's row counts only while its chunk still belongs, in the store,
            // to the same document, live in a searched project. A row whose chunk went away or
            // moved is forgotten, never shown.
            guard let excerpt = excerpts[hit.chunkID], excerpt.documentID == hit.documentID else {
                for index in indexes { _ = index.remove(chunkID: hit.chunkID) }
                foundStale = true
                continue
            }
            matches.append(DocumentMatch(excerpt: excerpt, score: Double(hit.score)))
        }
        return (matches, foundStale)
    }
}

extension SemanticSearcher {
    /// Brings loaded vector indexes up to date with a change another instance made: new vectors
    /// are read and added in place; a project whose changes were not listed, or that was
    /// deleted, is dropped from the cache (and reloaded on its next search).
    public func apply(_ change: StoreChange, store: some EmbeddingStore) async {
        switch change {
        case .vectors(let project, let chunkIDs?):
            guard let index = await cache.cachedIndex(for: project) else { return }
            do {
                let vectors = try await store.vectors(chunkIDs: chunkIDs, model: embedder.modelID)[project] ?? []
                try index.upsert(contentsOf: vectors.map { VectorRecord(chunkID: $0.chunkID, documentID: $0.documentID, vector: $0.vector) })
            } catch {
                await cache.invalidate(project: project)
            }
        case .vectors(let project, nil), .project(let project):
            await cache.invalidate(project: project)
        case .resynchronize:
            await cache.invalidateAll()
        case .sessionRevoked:
            break
        }
    }
}
