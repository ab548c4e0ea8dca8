import Foundation
import Hummingbird
import Index
import Search

/// `/projects/{projectId}/sources`: the project's Git sources (SPEC §11).
///
/// Any caller that reaches the project may read its sources; adding, changing and deleting one
/// takes the owner's session or a write key that reaches the whole project. `POST …/sync` is
/// also the push webhook: a write key whose folder holds the source's, or the source's secret as
/// a forge sends it (``WebhookSignature``).
struct SourcesController<Base: Store>: Sendable {
    let engine: Engine<CachedStore<Base>>
    let authenticator: Authenticator<CachedStore<Base>>
    let scheduler: SourceScheduler<CachedStore<Base>>

    var store: CachedStore<Base> { engine.store }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.get(":sourceId", use: show)
        group.patch(":sourceId", use: update)
        group.delete(":sourceId", use: remove)
        group.post(":sourceId/sync", use: sync)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let project = try await managedProject(request, context: context)
        let input = try await request.decodeJSON(as: SourceInput.self, context: context)
        let source = try await engine.sources.addSource(input.newSource, to: project.id)
        scheduler.requestSync(of: source.id, in: project.id)
        return try context.respond(SourceResponse(source: source, includesSecret: true), status: .created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (project, _) = try await authenticator.requireProjectAccess(try projectID(context), request: request)
        let page = try QueryParameters(request).page()
        let sources = try await store.sources(in: project.id, page: page)
        return try context.respond(page: sources.items.map(response), offset: page.offset, limit: page.limit, total: sources.total)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (project, _) = try await authenticator.requireProjectAccess(try projectID(context), request: request)
        return try context.respond(response(try await store.source(id: try sourceID(context), in: project.id)))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let project = try await managedProject(request, context: context)
        let id = try sourceID(context)
        let input = try await request.decodeJSON(as: SourceUpdateInput.self, context: context)
        let source = try await store.updateSource(id: id, in: project.id, with: try input.update())
        return try context.respond(response(source))
    }

    @Sendable func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        let project = try await managedProject(request, context: context)
        try await engine.sources.removeSource(try sourceID(context), from: project.id)
        return Response(status: .noContent)
    }

    @Sendable func sync(_ request: Request, context: AppRequestContext) async throws -> Response {
        let projectID = try projectID(context)
        let id = try sourceID(context)
        let source: Source
        if WebhookSignature.isPresent(in: request.headers) && !hasCredentials(request) {
            source = try await verifiedWebhook(request, context: context, source: id, project: projectID)
        } else {
            let (project, scope) = try await authenticator.requireProjectAccess(projectID, request: request)
            source = try await store.source(id: id, in: project.id)
            guard scope.canWrite, scope.reaches(path: source.pathPrefix) else {
                throw APIError.forbidden("syncing a source needs a write key that reaches its folder '\(source.pathPrefix)'")
            }
        }
        scheduler.requestSync(of: source.id, in: source.projectId)
        return try context.respond(response(source), status: .accepted)
    }

    // MARK: Access

    /// The project when the caller may manage its sources: its owner, or a write key not confined
    /// to a folder (a source fills a folder of its own choosing).
    private func managedProject(_ request: Request, context: AppRequestContext) async throws -> Project {
        let (project, scope) = try await authenticator.requireProjectAccess(try projectID(context), request: request)
        guard scope.canWrite, scope.confinement == nil else {
            throw APIError.forbidden("managing sources needs the owner's session or a write key that reaches the whole project")
        }
        return project
    }

    /// The source a webhook names, when its signature is right; 401 otherwise, whether or not
    /// the source exists (a webhook learns nothing without its secret).
    private func verifiedWebhook(_ request: Request, context: AppRequestContext, source id: UUID, project projectID: UUID) async throws -> Source {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let source: Source? = try await {
            do { return try await store.source(id: id, in: projectID) } catch IndexError.notFound { return nil }
        }()
        guard let source, WebhookSignature.verify(headers: request.headers, body: Array(buffer: body), secret: source.webhookSecret) else {
            throw APIError.unauthorized("the webhook's signature does not match this source's secret")
        }
        return source
    }

    private func hasCredentials(_ request: Request) -> Bool {
        request.headers[.apiKey] != nil || request.headers[.authorization] != nil
            || request.cookies[Authenticator<CachedStore<Base>>.cookieName] != nil
    }

    private func response(_ source: Source) -> SourceResponse {
        SourceResponse(source: source, progress: engine.sources.board.progress(of: source.id))
    }

    private func projectID(_ context: AppRequestContext) throws -> UUID {
        try context.parameters.uuid("projectId", entity: "project")
    }

    private func sourceID(_ context: AppRequestContext) throws -> UUID {
        try context.parameters.uuid("sourceId", entity: "source")
    }
}
