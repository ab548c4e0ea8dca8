import Foundation
import Hummingbird
import Index
import Runtime

/// `/auth`: register, login, logout, me.
struct AuthController<AppStore: Store>: Sendable {
    let store: AppStore
    let authenticator: Authenticator<AppStore>
    let environment: AppEnvironment
    let registrationEnabled: Bool

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("register", use: register)
        group.post("login", use: login)
        group.post("logout", use: logout)
        group.get("me", use: me)
    }

    struct RegisterInput: Decodable {
        var email: String
        var password: String
        var name: String
    }

    struct LoginInput: Decodable {
        var email: String
        var password: String
    }

    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard registrationEnabled else { throw APIError.forbidden("registration is turned off on this server") }
        let input = try await request.decodeJSON(as: RegisterInput.self, context: context)
        guard Passwords.isAcceptable(input.password) else {
            throw APIError.invalid("password", "must be \(Passwords.allowedBytes.lowerBound)–\(Passwords.allowedBytes.upperBound) bytes")
        }
        let hash = await Passwords.hash(input.password)
        let user = try await store.createUser(NewUser(email: input.email, name: input.name, passwordHash: hash))
        return try await signIn(user, context: context, status: .created)
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(as: LoginInput.self, context: context)
        let user = try? await store.user(email: input.email)
        // The same work and the same answer whether the e-mail is unknown or the password wrong.
        let hash = user?.passwordHash ?? Passwords.unknownUserHash
        let matches = await Passwords.verify(input.password, hash: hash)
        guard let user, matches else { throw APIError.unauthorized("invalid e-mail or password") }
        return try await signIn(user, context: context, status: .ok)
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, session) = try await authenticator.requireUser(request)
        try await store.revokeSession(id: session.jti.value, expiresAt: session.exp.value)
        var response = Response(status: .noContent)
        response.setCookie(sessionCookie(value: "", maxAge: 0))
        return response
    }

    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (user, _) = try await authenticator.requireUser(request)
        return try context.respond(UserResponse(user))
    }

    private func signIn(_ user: User, context: AppRequestContext, status: HTTPResponse.Status) async throws -> Response {
        let (token, _) = try await authenticator.tokens.issue(for: user.id)
        var response = try context.respond(UserResponse(user), status: status)
        response.setCookie(sessionCookie(value: token, maxAge: Int(authenticator.tokens.lifetime.components.seconds)))
        return response
    }

    private func sessionCookie(value: String, maxAge: Int) -> Cookie {
        Cookie(name: Authenticator<AppStore>.cookieName, value: value, maxAge: maxAge, path: "/",
               secure: environment == .production, httpOnly: true, sameSite: .lax)
    }
}

/// A user as the API shows it (never the password hash).
struct UserResponse: Encodable {
    var id: String
    var email: String
    var name: String
    var createdAt: Date

    init(_ user: User) {
        id = user.id.apiString
        email = user.email
        name = user.name
        createdAt = user.createdAt
    }
}
