import Foundation
import Hummingbird
import Index

extension Authenticator {
    /// The rate-limit bucket of the request's credentials when they are valid: `key:<project id>`
    /// for any API key of a project (so rotating a key or making more does not refill it), `user:<user id>` for a
    /// session. `nil` without credentials, with invalid ones, or when the store cannot answer:
    /// such requests count against their client address.
    func rateLimitBucket(of request: Request) async -> String? {
        switch try? await identity(of: request) {
        case .user(let user, _): "user:" + user.id.uuidString
        case .key(let grant): "key:" + grant.project.id.uuidString
        case nil: nil
        }
    }
}
