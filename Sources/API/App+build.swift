import Foundation
import Hummingbird
import Index
import Logging
import Search
import ServiceLifecycle
import Vectors

/// Builds the Lore application on the store named by `arguments.databaseURL`.
public func buildApplication(_ arguments: some AppArguments, logger: Logger = Logger(label: "lore")) async throws -> some ApplicationProtocol {
    try ProductionSafety.check(arguments)
    let location = try DatabaseLocation.parse(arguments.databaseURL)
    switch location {
    case .sqlite(let path):
        let store = try SQLiteStore(path: path, embeddingsEnabled: arguments.embedderSettings.kind != .none, logger: logger)
        let dataDirectory = URL(fileURLWithPath: path).deletingLastPathComponent()
        return try await buildApplication(arguments, store: store, dataDirectory: dataDirectory, logger: logger)
    case .postgres:
        throw AppSecrets.UnsafeSetting(description: "PostgreSQL is not supported by this build yet: use a sqlite:// URL")
    }
}

/// Builds the application over an opened store; schema migrations have run before it listens.
public func buildApplication<AppStore: Store>(
    _ arguments: some AppArguments, store: AppStore, dataDirectory: URL, logger: Logger
) async throws -> some ApplicationProtocol {
    try ProductionSafety.check(arguments)
    let secret = try AppSecrets.jwtSecret(for: arguments, dataDirectory: dataDirectory)
    let tokens = await SessionTokens(secret: secret, lifetime: arguments.sessionLifetime)
    let embedder = try await arguments.embedderSettings.makeEmbedder()
    let semantic = embedder.map { SemanticSearcher.make(embedder: $0, store: store) }
    let router = buildRouter(arguments, store: store, tokens: tokens, semantic: semantic)
    var services: [any Service] = []
    if let semantic {
        services.append(EmbeddingWorkerService(worker: EmbeddingWorker(
            store: store, embedder: semantic.embedder, cache: semantic.cache, logger: logger)))
    }
    return Application(
        router: router,
        configuration: ApplicationConfiguration(address: .hostname(arguments.hostname, port: arguments.port), serverName: "Lore"),
        services: services,
        logger: logger)
}

/// The router: middleware chain, then every route of SPEC §3.
public func buildRouter<AppStore: Store>(
    _ arguments: some AppArguments, store uncachedStore: AppStore, tokens: SessionTokens, semantic: SemanticSearcher? = nil,
    metrics: LoreMetrics = LoreMetrics()
) -> Router<AppRequestContext> {
    let store = CachedStore(base: uncachedStore, onLookup: { metrics.recordCacheLookup(hit: $0) })
    let router = Router(context: AppRequestContext.self)
    let authenticator = Authenticator(store: store, tokens: tokens)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: MetricsMiddleware(metrics: metrics))
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: CompressionMiddleware())
    router.add(middleware: RateLimitMiddleware(
        settings: arguments.rateLimits, identify: { await authenticator.rateLimitBucket(of: $0) },
        onLimited: { _ in metrics.recordRateLimited() }))
    router.add(middleware: ErrorMiddleware(environment: arguments.environment))
    router.add(middleware: JSONBodyMiddleware(maximumBytes: AppRequestContext.maximumBodyBytes))

    let embedderState = semantic == nil ? "disabled" : "ok"
    let health = HealthController(store: store, embedderState: { embedderState })
    health.addRoutes(to: router.group("health"))
    OpenAPIController().addRoutes(to: router)
    MetricsController(store: store, metrics: metrics).addRoutes(to: router)

    let api = router.group("api/v1")
    health.addRoutes(to: api.group("health"))
    AuthController(store: store, authenticator: authenticator, environment: arguments.environment,
                   registrationEnabled: arguments.registrationEnabled).addRoutes(to: api.group("auth"))
    ProjectsController(store: store, authenticator: authenticator, embeddingModel: semantic?.embedder.modelID).addRoutes(to: api.group("projects"))
    DocumentsController(store: store, authenticator: authenticator).addRoutes(to: api.group("projects/:projectId/documents"))
    let search = SearchController(store: store, search: SearchService(store: store, semantic: semantic), authenticator: authenticator,
                                  metrics: metrics)
    search.addProjectRoutes(to: api.group("projects/:projectId/search"))
    search.addGlobalRoutes(to: api.group("search"))
    MCPController(store: store, search: search.search, authenticator: authenticator, hostname: arguments.hostname,
                  logger: Logger(label: "lore.mcp")).addRoutes(to: router)
    return router
}
