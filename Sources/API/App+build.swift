import Foundation
import Hummingbird
import Index
import Logging
import NIOCore
import Search
import ServiceLifecycle
import Vectors

/// Builds the Lore application on the store named by `arguments.databaseURL`.
public func buildApplication(_ arguments: some AppArguments, logger: Logger = Logger(label: "lore")) async throws -> any ApplicationProtocol {
    try ProductionSafety.check(arguments)
    let location = try DatabaseLocation.parse(arguments.databaseURL)
    if case .postgres(let url) = location {
        try ProductionSafety.check(try PostgresSettings(url: url), environment: arguments.environment)
    }
    let store = try await location.openStore(embeddingsEnabled: arguments.embedderSettings.kind != .none, logger: logger)
    return try await buildApplication(arguments, store: store, dataDirectory: location.dataDirectory, logger: logger)
}

/// Builds the application over an opened store; schema migrations have run before it listens.
/// The store is closed when the application stops. The engine (``Engine``) is assembled here
/// once, over the store with its lookups cached, and every route and the MCP endpoint use it.
public func buildApplication<AppStore: Store>(
    _ arguments: some AppArguments, store: AppStore, dataDirectory: URL, logger: Logger
) async throws -> some ApplicationProtocol {
    try ProductionSafety.check(arguments)
    let secret = try AppSecrets.jwtSecret(for: arguments, dataDirectory: dataDirectory)
    let tokens = await SessionTokens(secret: secret, lifetime: arguments.sessionLifetime)
    let metrics = LoreMetrics()
    let cached = CachedStore(base: store, onLookup: { metrics.recordCacheLookup(hit: $0) })
    let sources = SourceSettings(directory: arguments.sourcesDirectory ?? dataDirectory.appendingPathComponent("sources"),
                                 allowsLocalPaths: arguments.sourcesAllowLocalPaths)
    let options = EngineOptions(
        embedder: arguments.embedderSettings, onQueryCacheLookup: { metrics.recordQueryCacheLookup(hit: $0) }, sources: sources,
        onSourceSync: { metrics.recordSync(duration: $0.duration, lag: $0.lag, documentsChanged: $0.outcome.changed) })
    let engine = await Engine.start(store: cached, options: options, logger: logger)
    let scheduler = SourceScheduler(engine: engine, logger: Logger(label: "lore.sources"))
    let router = buildRouter(arguments, engine: engine, scheduler: scheduler, tokens: tokens, metrics: metrics)
    let services: [any Service] = [StoreClosingService(store: store), EngineService(engine: engine, scheduler: scheduler)]
    return Application(
        router: router,
        server: .http1(configuration: .init(
            additionalChannelHandlers: [ParseErrorEnvelopeHandler(), RequestReadTimeoutHandler(timeout: HTTPTimeouts.requestRead)],
            idleTimeout: HTTPTimeouts.idle)),
        configuration: ApplicationConfiguration(address: .hostname(arguments.hostname, port: arguments.port), serverName: "Lore"),
        services: services,
        logger: logger)
}

/// How long the server waits on a client.
enum HTTPTimeouts {
    /// A connection with no request in flight is closed after this long.
    static let idle = TimeAmount.seconds(75)
    /// A request whose body has not arrived whole this long after its head ends its connection
    /// (8 MiB at ~140 KB/s).
    static let requestRead = TimeAmount.seconds(60)
}

/// The router over `store` without an embedder (full text only), with the lookups of every
/// request cached (see ``CachedStore``).
public func buildRouter<AppStore: Store>(_ arguments: some AppArguments, store: AppStore, tokens: SessionTokens) -> Router<AppRequestContext> {
    let metrics = LoreMetrics()
    let cached = CachedStore(base: store, onLookup: { metrics.recordCacheLookup(hit: $0) })
    let engine = Engine(store: cached, embedder: nil, sourceSettings: SourceSettings(
        directory: arguments.sourcesDirectory ?? FileManager.default.temporaryDirectory.appendingPathComponent("lore-sources"),
        allowsLocalPaths: arguments.sourcesAllowLocalPaths))
    let scheduler = SourceScheduler(engine: engine, logger: Logger(label: "lore.sources"))
    return buildRouter(arguments, engine: engine, scheduler: scheduler, tokens: tokens, metrics: metrics)
}

/// The router: middleware chain, then every route of SPEC §3, all over `engine`.
func buildRouter<Base: Store>(
    _ arguments: some AppArguments, engine: Engine<CachedStore<Base>>, scheduler: SourceScheduler<CachedStore<Base>>,
    tokens: SessionTokens, metrics: LoreMetrics
) -> Router<AppRequestContext> {
    let store = engine.store
    let router = Router(context: AppRequestContext.self)
    let authenticator = Authenticator(store: store, tokens: tokens)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: MetricsMiddleware(metrics: metrics))
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: CompressionMiddleware())
    router.add(middleware: RequestBodyMiddleware(maximumBytes: AppRequestContext.maximumBodyBytes))
    router.add(middleware: RateLimitMiddleware(
        settings: arguments.rateLimits, identify: { await authenticator.rateLimitBucket(of: $0) },
        onLimited: { _ in metrics.recordRateLimited() }))
    router.add(middleware: ErrorMiddleware(environment: arguments.environment))
    router.add(middleware: CrossSiteRequestMiddleware())

    ConsoleController(registrationEnabled: arguments.registrationEnabled).addRoutes(to: router)
    let health = HealthController(store: store, embedder: engine.embedder)
    health.addRoutes(to: router.group("health"))
    OpenAPIController().addRoutes(to: router)
    MetricsController(store: store, metrics: metrics).addRoutes(to: router)

    let api = router.group("api/v1")
    health.addRoutes(to: api.group("health"))
    AuthController(store: store, authenticator: authenticator, environment: arguments.environment,
                   registrationEnabled: arguments.registrationEnabled).addRoutes(to: api.group("auth"))
    ProjectsController(store: store, authenticator: authenticator, embeddingModel: engine.semantic?.embedder.modelID)
        .addRoutes(to: api.group("projects"))
    KeysController(store: store, authenticator: authenticator).addRoutes(to: api.group("projects/:projectId/keys"))
    SourcesController(engine: engine, authenticator: authenticator, scheduler: scheduler)
        .addRoutes(to: api.group("projects/:projectId/sources"))
    DocumentsController(engine: engine, authenticator: authenticator)
        .addRoutes(to: api.group("projects/:projectId/documents"))
    let search = SearchController(engine: engine, authenticator: authenticator, metrics: metrics)
    search.addProjectRoutes(to: api.group("projects/:projectId/search"))
    search.addGlobalRoutes(to: api.group("search"))
    MCPController(engine: engine, authenticator: authenticator, hostname: arguments.hostname, logger: Logger(label: "lore.mcp"))
        .addRoutes(to: router)
    return router
}
