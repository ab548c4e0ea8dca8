import Foundation
import Hummingbird
import Index

/// Finds out who is calling, from `X-API-Key`, `Authorization: Bearer …` (a `lore_` key or a
/// session JWT) or the `lore_session` cookie, and decides what they may reach.
struct Authenticator<AppStore: Store>: Sendable {
    static var cookieName: String { SessionCookie.name }

    let store: AppStore
    let tokens: SessionTokens

    /// The caller's identity; 401 when credentials are missing or invalid.
    func identity(of request: Request) async throws -> Identity {
        if let key = request.headers[.apiKey] {
            return try await project(forKey: key)
        }
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                throw APIError.unauthorized("use 'Authorization: Bearer <token or API key>'")
            }
            let credential = String(parts[1]).trimmingCharacters(in: .whitespaces)
            if credential.hasPrefix(APIKey.scheme) { return try await project(forKey: credential) }
            return try await user(forToken: credential)
        }
        if let token = request.cookies[Self.cookieName]?.value, !token.isEmpty {
            return try await user(forToken: token)
        }
        throw APIError.unauthorized("sign in, or pass a project API key")
    }

    /// The signed-in user; 403 for an API key (it reaches only its project's documents and search).
    func requireUser(_ request: Request) async throws -> (User, SessionClaims) {
        switch try await identity(of: request) {
        case .user(let user, let session): return (user, session)
        case .key: throw APIError.forbidden("a project API key reaches only that project's documents and search")
        }
    }

    /// The project when the caller may use its documents and search, with the caller's reach:
    /// its owner (everything), or one of its API keys (that key's scope). Another user's project
    /// is a 404 (its existence is not revealed); another project's key a 403.
    func requireProjectAccess(_ projectID: UUID, request: Request) async throws -> (project: Project, scope: KeyScope) {
        switch try await identity(of: request) {
        case .user(let user, _):
            return (try await ownedProject(projectID, by: user), .full)
        case .key(let grant):
            guard grant.project.id == projectID else { throw APIError.forbidden("this API key belongs to another project") }
            return (grant.project, grant.scope)
        }
    }

    /// The project when `user` owns it; 404 otherwise.
    func ownedProject(_ projectID: UUID, by user: User) async throws -> Project {
        guard let project = try await Self.absentIfNotFound({ try await store.project(id: projectID) }),
              project.ownerId == user.id else {
            throw APIError.notFound("project not found")
        }
        return project
    }

    private func project(forKey key: String) async throws -> Identity {
        switch try await store.check(apiKey: key) {
        case .granted(let grant): return .key(grant)
        case .expired: throw APIError.unauthorized("the API key has expired")
        case .invalid: throw APIError.unauthorized("the API key is invalid")
        }
    }

    private func user(forToken token: String) async throws -> Identity {
        guard let claims = try? await tokens.verify(token), let userID = claims.userID,
              try await !store.isSessionRevoked(id: claims.jti.value),
              let user = try await Self.absentIfNotFound({ try await store.user(id: userID) })
        else { throw APIError.unauthorized("the session is invalid or has expired") }
        return .user(user, session: claims)
    }

    /// The value, or `nil` when the store says it does not exist; any other failure (the
    /// database is down) propagates, so it is not mistaken for bad credentials.
    private static func absentIfNotFound<T>(_ lookup: () async throws -> T) async throws -> T? {
        do {
            return try await lookup()
        } catch IndexError.notFound {
            return nil
        }
    }
}

/// The session cookie's name (SPEC §3).
enum SessionCookie {
    static let name = "lore_session"
}
