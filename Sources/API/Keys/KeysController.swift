import Foundation
import Hummingbird
import Index

/// `/projects/{projectId}/keys`: a project's scoped API keys (SPEC §10), managed by the
/// project's owner with a session; API keys cannot manage keys (403).
struct KeysController<AppStore: Store>: Sendable {
    let store: AppStore
    let authenticator: Authenticator<AppStore>

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.delete(":keyId", use: revoke)
    }

    struct CreateInput: Decodable {
        var name: String
        var access: KeyAccess
        var pathPrefix: String?
        /// ISO-8601, with or without fractional seconds.
        var expiresAt: String?
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let project = try await ownedProject(request, context: context)
        let input = try await request.decodeJSON(as: CreateInput.self, context: context)
        let expiresAt = try input.expiresAt.map { text in
            guard let date = ISO8601Timestamp.parse(text) else {
                throw APIError.invalid("expiresAt", "must be an ISO-8601 date and time, like 2027-01-31T00:00:00Z")
            }
            return date
        }
        let (key, secret) = try await store.createKey(
            NewProjectKey(name: input.name, access: input.access, pathPrefix: input.pathPrefix, expiresAt: expiresAt),
            in: project.id)
        return try context.respond(ObjectWithField(object: key, key: "key", value: secret), status: .created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let project = try await ownedProject(request, context: context)
        let page = try QueryParameters(request).page()
        let keys = try await store.keys(in: project.id, page: page)
        return try context.respond(page: keys.items, offset: page.offset, limit: page.limit, total: keys.total)
    }

    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> Response {
        let project = try await ownedProject(request, context: context)
        let id = try context.parameters.uuid("keyId", entity: "key")
        try await store.revokeKey(id: id, in: project.id)
        return Response(status: .noContent)
    }

    private func ownedProject(_ request: Request, context: AppRequestContext) async throws -> Project {
        let (user, _) = try await authenticator.requireUser(request)
        let id = try context.parameters.uuid("projectId", entity: "project")
        return try await authenticator.ownedProject(id, by: user)
    }
}

/// ISO-8601 timestamps as clients write them: with or without fractional seconds, `Z` or an offset.
enum ISO8601Timestamp {
    static func parse(_ text: String) -> Date? {
        guard text.utf8.count <= 64 else { return nil }
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions.insert(.withFractionalSeconds)
        return plain.date(from: text) ?? fractional.date(from: text)
    }
}
