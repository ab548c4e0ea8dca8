import Foundation
import Hummingbird
import Index

extension Authenticator {
    /// The rate-limit bucket of the request's credentials when they are valid: `key:<project id>`
    /// for a project API key (so rotating the key does not refill it), `user:<user id>` for a
    /// session. `nil` without credentials, with invalid ones, or when the store cannot answer:
    /// such requests count against their client address.
    func rateLimitBucket(of request: Request) async -> String? {
        switch try? await identity(of: request) {
        case .user(let user, _): "user:" + user.id.uuidString
        case .project(let project): "key:" + project.id.uuidString
        case nil: nil
        }
    }
}
