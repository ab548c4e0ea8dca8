import Foundation
import Hummingbird
import Index

/// `/projects`: the signed-in user's projects and their API keys.
struct ProjectsController<AppStore: Store>: Sendable {
    let store: AppStore
    let authenticator: Authenticator<AppStore>
    let embeddingModel: String?

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.get(":projectId", use: get)
        group.patch(":projectId", use: update)
        group.delete(":projectId", use: delete)
        group.post(":projectId/api-key", use: rotateKey)
    }

    struct CreateInput: Decodable {
        var name: String
        var description: String?
    }

    struct UpdateInput: Decodable {
        var name: String?
        var description: String?
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (user, _) = try await authenticator.requireUser(request)
        let page = try QueryParameters(request).page()
        let projects = try await store.projects(ownedBy: user.id, page: page)
        var items: [ProjectResponse] = []
        for project in projects.items {
            items.append(ProjectResponse(project, stats: try await stats(of: project)))
        }
        return try context.respond(page: items, offset: page.offset, limit: page.limit, total: projects.total)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (user, _) = try await authenticator.requireUser(request)
        let input = try await request.decodeJSON(as: CreateInput.self, context: context)
        let created = try await store.createProject(NewProject(ownerId: user.id, name: input.name, description: input.description ?? ""))
        var body = ProjectResponse(created.project, stats: try await stats(of: created.project))
        body.apiKey = created.apiKey
        return try context.respond(body, status: .created)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let project = try await ownedProject(request, context: context)
        return try context.respond(ProjectResponse(project, stats: try await stats(of: project)))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let project = try await ownedProject(request, context: context)
        let input = try await request.decodeJSON(as: UpdateInput.self, context: context)
        let updated = try await store.updateProject(id: project.id, name: input.name, description: input.description)
        return try context.respond(ProjectResponse(updated, stats: try await stats(of: updated)))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let project = try await ownedProject(request, context: context)
        try await store.deleteProject(id: project.id)
        return Response(status: .noContent)
    }

    @Sendable func rotateKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        let project = try await ownedProject(request, context: context)
        let rotated = try await store.rotateAPIKey(projectID: project.id)
        var body = ProjectResponse(rotated.project, stats: try await stats(of: rotated.project))
        body.apiKey = rotated.apiKey
        return try context.respond(body)
    }

    private func ownedProject(_ request: Request, context: AppRequestContext) async throws -> Project {
        let (user, _) = try await authenticator.requireUser(request)
        let id = try context.parameters.uuid("projectId", entity: "project")
        return try await authenticator.ownedProject(id, by: user)
    }

    private func stats(of project: Project) async throws -> ProjectResponse.Stats {
        let stats = try await store.stats(projectID: project.id)
        return .init(documents: stats.documents, chunks: stats.chunks, embeddedChunks: stats.embeddedChunks,
                     embeddingModel: embeddingModel)
    }
}

/// A project as the API shows it; `apiKey` only in the responses of creation and rotation.
struct ProjectResponse: Encodable {
    struct Stats: Encodable {
        var documents: Int
        var chunks: Int
        var embeddedChunks: Int
        var embeddingModel: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(documents, forKey: .documents)
            try container.encode(chunks, forKey: .chunks)
            try container.encode(embeddedChunks, forKey: .embeddedChunks)
            try container.encode(embeddingModel, forKey: .embeddingModel)
        }

        enum CodingKeys: String, CodingKey { case documents, chunks, embeddedChunks, embeddingModel }
    }

    var id: String
    var ownerId: String
    var name: String
    var slug: String
    var description: String
    var apiKeyPrefix: String
    var apiKey: String?
    var stats: Stats
    var createdAt: Date
    var updatedAt: Date

    init(_ project: Project, stats: Stats) {
        id = project.id.apiString
        ownerId = project.ownerId.apiString
        name = project.name
        slug = project.slug
        description = project.description
        apiKeyPrefix = project.apiKeyPrefix
        self.stats = stats
        createdAt = project.createdAt
        updatedAt = project.updatedAt
    }
}
