import Foundation
import Index
import Vectors

/// Runs a BEIR dataset through Lore's ``Engine``: writes it into an empty store, embeds it, asks
/// every query in each mode, and scores the rankings with ``RetrievalMetrics``.
public struct Evaluator: Sendable {
    /// The quality of one mode, and what ran for it.
    public struct ModeReport: Sendable, Codable {
        public var metrics: RetrievalMetrics
        /// Each judged query's measures, by query id.
        public var perQuery: [String: RetrievalMetrics.Query]
        /// The mode that actually ran (a fallback shows here).
        public var ranAs: SearchMode
        public var fallbackReason: String?
        /// Median time of one search, in milliseconds.
        public var medianLatencyMs: Double
    }

    /// The report of one evaluation.
    public struct Report: Sendable {
        public var dataset: String
        public var documents: Int
        public var queries: Int
        public var modes: [(mode: SearchMode, report: ModeReport)]
    }

    /// How many results each query is scored on (MAP@100, Recall@100).
    public static let depth = 100

    public var chunker: Chunker
    /// The embedder of ``evaluate(_:modes:progress:)`` for the semantic and hybrid modes; without
    /// one they fall back to full text.
    public var embedder: (any Embedder)?
    /// How hybrid mode fuses its two rankings.
    public var fusion: FusionMethod = .rrf
    public var semanticRatio = 0.5

    public init(chunker: Chunker = Chunker(), embedder: (any Embedder)? = nil) {
        self.chunker = chunker
        self.embedder = embedder
    }

    /// Whether `modes` need vectors (and so a store that queues embeddings).
    public func needsVectors(_ modes: [SearchMode]) -> Bool {
        embedder != nil && modes.contains { $0 != .fulltext }
    }

    /// Evaluates `dataset` in `modes` on a new SQLite file in a temporary folder, with an engine
    /// over ``embedder``; `progress` gets a phase name and (done, total).
    public func evaluate(
        _ dataset: BEIRDataset, modes: [SearchMode], progress: @Sendable (String, Int, Int) -> Void = { _, _, _ in }
    ) async throws -> Report {
        try await withTemporaryStore(embeddingsEnabled: needsVectors(modes)) { store in
            let engine = Engine(store: store, embedder: needsVectors(modes) ? embedder : nil)
            return try await evaluate(dataset, modes: modes, engine: engine, progress: progress)
        }
    }

    /// Runs `body` with a new SQLite store in a temporary folder, opened with this evaluator's
    /// chunker; the store is closed and the folder removed afterwards.
    public func withTemporaryStore<Result>(
        embeddingsEnabled: Bool, _ body: (SQLiteStore) async throws -> Result
    ) async throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lore-eval-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("eval.db").path,
                                    preparer: DocumentPreparer(chunker: chunker), embeddingsEnabled: embeddingsEnabled)
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }

    /// Evaluates `dataset` in `modes` with `engine`, whose store is empty (either backend,
    /// opened with this evaluator's chunker and embeddings enabled when the modes need vectors).
    public func evaluate(
        _ dataset: BEIRDataset, modes: [SearchMode], engine: Engine<some Store>,
        progress: @Sendable (String, Int, Int) -> Void = { _, _, _ in }
    ) async throws -> Report {
        let store = engine.store
        let user = try await store.createUser(NewUser(email: "eval@lore.invalid", name: "Evaluation", passwordHash: "-"))
        let project = try await store.createProject(NewProject(ownerId: user.id, name: dataset.name)).project

        var idsByPath: [String: String] = [:]
        let batchSize = 500
        for start in stride(from: 0, to: dataset.documents.count, by: batchSize) {
            let batch = dataset.documents[start..<min(start + batchSize, dataset.documents.count)].map { document in
                let path = "corpus/\(Self.safePathSegment(document.id)).txt"
                idsByPath[path] = document.id
                return NewDocument(path: path, content: document.text, title: document.title.isEmpty ? nil : document.title)
            }
            _ = try await engine.indexer.writeDocuments(batch, mode: .upsert, in: project.id)
            progress("indexing", min(start + batchSize, dataset.documents.count), dataset.documents.count)
        }

        if modes.contains(where: { $0 != .fulltext }) {
            let total = try await store.embeddingQueueDepth()
            try await engine.embedPending { done, _ in progress("embedding", done, total) }
        }
        var reports: [(mode: SearchMode, report: ModeReport)] = []
        for mode in modes {
            var rankings: [String: [String]] = [:]
            var latencies: [Double] = []
            var ranAs = mode
            var fallbackReason: String?
            for (index, query) in dataset.queries.enumerated() {
                // Collections hold questions, not search syntax: their quotes are not phrases.
                let request = try SearchRequest(text: query.text, projectIDs: [project.id], mode: mode, limit: Self.depth,
                                                fusion: fusion, semanticRatio: semanticRatio, syntax: .plain)
                do {
                    let response = try await engine.search.search(request)
                    rankings[query.id] = response.hits.compactMap { idsByPath[$0.path] }
                    latencies.append(response.tookMs)
                    ranAs = response.mode
                    fallbackReason = response.fallbackReason
                } catch SearchError.invalid {
                    rankings[query.id] = []
                }
                progress(mode.rawValue, index + 1, dataset.queries.count)
            }
            let metrics = RetrievalMetrics(rankings: rankings, judgments: dataset.judgments)
            reports.append((mode, ModeReport(metrics: metrics,
                                             perQuery: RetrievalMetrics.perQuery(rankings: rankings, judgments: dataset.judgments),
                                             ranAs: ranAs, fallbackReason: fallbackReason,
                                             medianLatencyMs: Self.median(latencies))))
        }
        return Report(dataset: dataset.name, documents: dataset.documents.count, queries: dataset.queries.count, modes: reports)
    }

    /// An id made safe as one path segment.
    static func safePathSegment(_ id: String) -> String {
        let allowed = id.unicodeScalars.map { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_")
                ? Character(scalar) : "_"
        }
        return allowed.isEmpty ? "_" : String(allowed)
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
