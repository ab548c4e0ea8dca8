import Foundation
import Index
import Logging
import Vectors

/// Lore's engine, assembled once per process: the store, search (full text, semantic, hybrid),
/// the write path and the embedding worker.
///
/// Every front door takes its engine from here — `lore serve` (HTTP and MCP), `lore mcp`,
/// `import`, `reindex`, `search`, `eval` — so all of them search, write and embed alike, and one
/// policy decides what happens when the embedder cannot be loaded (``start(store:options:logger:)``).
/// Every process that writes also embeds: servers run ``run(onChange:)``, commands that exit call
/// ``embedPending(progress:)``. Processes sharing a database claim queued chunks with a lease
/// (``EmbeddingStore/pendingChunks(limit:now:)``), so none embeds a chunk another took.
public struct Engine<EngineStore: Store>: Sendable {
    public let store: EngineStore
    /// Whether an embedder runs, and which.
    public let embedder: EmbedderState
    /// The semantic side of search; `nil` when no embedder runs.
    public let semantic: SemanticSearcher?
    public let search: SearchService<EngineStore>
    /// The write path: every document write goes through it, and wakes the worker.
    public let indexer: Indexer<EngineStore>
    /// Git sources: adding, removing and syncing them.
    public let sources: SourceSyncer<EngineStore>
    let worker: EmbeddingWorker<EngineStore>?

    /// An engine over `store` with `embedder` (`nil`: full text only, and `unavailableReason` says
    /// why when an embedder was configured but could not be loaded). Token budgets are counted
    /// with `answerTokens`, else the built-in model's tokenizer when it is the embedder, else an
    /// upper bound (``AnswerTokens``).
    public init(
        store: EngineStore, embedder: (any Embedder)?, unavailableReason: String? = nil,
        vectorMemoryBytes: Int = EngineOptions.defaultVectorMemoryBytes, answerTokens: AnswerTokens? = nil,
        queryCacheEntries: Int = QueryEncoder.defaultCacheEntries, queryEncoders: Int? = nil,
        onQueryCacheLookup: @escaping @Sendable (_ hit: Bool) -> Void = { _ in },
        sourceSettings: SourceSettings = SourceSettings(), onSourceSync: @escaping @Sendable (SourceSyncReport) -> Void = { _ in },
        logger: Logger = Logger(label: "lore.engine")
    ) {
        self.store = store
        let semantic = embedder.map { embedder in
            SemanticSearcher.make(
                embedder: embedder, store: store, memoryLimitBytes: vectorMemoryBytes,
                queries: QueryEncoder(embedder: embedder, cacheEntries: queryCacheEntries, lanes: queryEncoders, onLookup: onQueryCacheLookup))
        }
        self.semantic = semantic
        self.embedder = semantic.map { .ready(model: $0.embedder.modelID, dimension: $0.embedder.dimension) }
            ?? unavailableReason.map(EmbedderState.unavailable) ?? .disabled
        let answerTokens = answerTokens ?? (embedder as? MiniLMEmbedder).map { AnswerTokens.wordPiece($0.tokenizer) } ?? .upperBound
        search = SearchService(store: store, semantic: semantic, semanticMissingReason: self.embedder.fallbackReason,
                               answerTokens: answerTokens, logger: logger)
        let wake = WorkSignal()
        indexer = Indexer(store: store, semantic: semantic, wake: wake)
        sources = SourceSyncer(store: store, indexer: indexer, settings: sourceSettings, onSync: onSourceSync, logger: logger)
        worker = semantic.map { semantic in
            var worker = EmbeddingWorker(store: store, embedder: semantic.embedder, cache: semantic.cache, logger: logger)
            worker.wake = wake
            return worker
        }
    }

    /// The engine the settings describe. The one failure policy: an embedder that cannot be
    /// loaded (missing model files, an unreachable server) is logged once, `/health/ready` and
    /// every search's `fallbackReason` say so, and Lore serves full text rather than not at all.
    /// One line says what runs.
    public static func start(store: EngineStore, options: EngineOptions, logger: Logger) async -> Engine {
        let kind = options.embedder.kind.rawValue
        let budget = "\(options.vectorMemoryBytes >> 20) MiB"
        // The model's vocabulary counts token budgets whichever embedder runs, if it is there.
        let answerTokens = AnswerTokens.wordPiece(modelDirectory: options.embedder.modelDirectory)
        if answerTokens == nil {
            logger.info("engine: no vocab.txt in \(options.embedder.modelDirectory); maxTokens budgets are counted by an upper bound")
        }
        do {
            let engine = Engine(store: store, embedder: try await options.embedder.makeEmbedder(),
                                vectorMemoryBytes: options.vectorMemoryBytes, answerTokens: answerTokens,
                                queryCacheEntries: options.embedder.queryCacheEntries, queryEncoders: options.embedder.queryEncoders,
                                onQueryCacheLookup: options.onQueryCacheLookup, sourceSettings: options.sources,
                                onSourceSync: options.onSourceSync, logger: logger)
            switch engine.embedder {
            case .ready(let model, let dimension):
                let queries = engine.semantic.map { searcher in
                    "\(searcher.queries.lanes) query encoders, query cache " + (searcher.queries.caches ? "\(options.embedder.queryCacheEntries) entries" : "off")
                } ?? ""
                logger.info("engine: embedder \(kind), model \(model) (\(dimension) dimensions), vector memory budget \(budget), \(queries)")
            default:
                logger.info("engine: embedder none, full-text search only")
            }
            return engine
        } catch {
            logger.warning("engine: embedder \(kind) could not be loaded, search runs as full text until it can",
                           metadata: ["error": .string("\(error)")])
            return Engine(store: store, embedder: nil, unavailableReason: "\(error)",
                          vectorMemoryBytes: options.vectorMemoryBytes, answerTokens: answerTokens,
                          sourceSettings: options.sources, onSourceSync: options.onSourceSync, logger: logger)
        }
    }

    /// `project` as a caller with `scope` may reach it: every front door reads, writes and
    /// searches a project's documents through this.
    public func access(_ project: Project, scope: KeyScope) -> ProjectAccess<EngineStore> {
        ProjectAccess(engine: self, project: project, scope: scope)
    }

    /// Embeds queued chunks, and applies the changes other processes commit to what this one has
    /// loaded (`onChange` is told first, for caches of its own), until the task is cancelled.
    public func run(onChange: @escaping @Sendable (StoreChange) -> Void = { _ in }) async {
        let changes = store.changes()
        await withTaskGroup(of: Void.self) { group in
            if let worker { group.addTask { await worker.run() } }
            group.addTask { await follow(changes, onChange) }
            await group.waitForAll()
        }
    }

    /// Embeds every chunk that is due now (others may be claimed by another process); `progress`
    /// gets (embedded, still queued). Returns how many were embedded: 0 without an embedder.
    @discardableResult
    public func embedPending(progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Int {
        guard let worker else { return 0 }
        return try await worker.drain(progress: progress)
    }

    private func follow(_ changes: AsyncStream<StoreChange>, _ onChange: @Sendable (StoreChange) -> Void) async {
        for await change in changes {
            onChange(change)
            await semantic?.apply(change, store: store)
        }
    }
}

/// What the engine is built from.
public struct EngineOptions: Sendable {
    public static let defaultVectorMemoryBytes = 1 << 30

    /// Which embedder runs (`LORE_EMBEDDER` and its companions).
    public var embedder: EmbedderSettings
    /// The budget of the loaded vector indexes, all projects together.
    public var vectorMemoryBytes: Int
    /// Told of every query-embedding cache hit (`true`) and miss, for the metrics.
    public var onQueryCacheLookup: @Sendable (_ hit: Bool) -> Void
    /// Where sources keep their mirrors and which repositories they may name.
    public var sources: SourceSettings
    /// Told of every finished sync, for the metrics.
    public var onSourceSync: @Sendable (SourceSyncReport) -> Void

    public init(embedder: EmbedderSettings, vectorMemoryBytes: Int = defaultVectorMemoryBytes,
                onQueryCacheLookup: @escaping @Sendable (_ hit: Bool) -> Void = { _ in },
                sources: SourceSettings = SourceSettings(), onSourceSync: @escaping @Sendable (SourceSyncReport) -> Void = { _ in }) {
        self.embedder = embedder
        self.vectorMemoryBytes = vectorMemoryBytes
        self.onQueryCacheLookup = onQueryCacheLookup
        self.sources = sources
        self.onSourceSync = onSourceSync
    }
}

/// Whether an embedder runs.
public enum EmbedderState: Sendable, Equatable {
    /// `LORE_EMBEDDER=none`: full text only, by choice.
    case disabled
    case ready(model: String, dimension: Int)
    /// Configured, but it could not be loaded: full text only, and the reason.
    case unavailable(String)

    /// `disabled`, `ok` or `unavailable`, as `/health/ready` reports it.
    public var summary: String {
        switch self {
        case .disabled: "disabled"
        case .ready: "ok"
        case .unavailable: "unavailable"
        }
    }

    /// What a search that wanted meaning says when it ran as full text for want of an embedder.
    var fallbackReason: String {
        switch self {
        case .unavailable: "the embedder could not be loaded"
        default: "no embedder is configured"
        }
    }
}
