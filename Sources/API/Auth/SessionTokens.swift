import Foundation
import JWTKit

/// The claims of a session token: the user, when it was issued, when it expires, and its id.
public struct SessionClaims: JWTPayload, Equatable {
    public var sub: SubjectClaim
    public var iat: IssuedAtClaim
    public var exp: ExpirationClaim
    public var jti: IDClaim

    public init(sub: SubjectClaim, iat: IssuedAtClaim, exp: ExpirationClaim, jti: IDClaim) {
        self.sub = sub
        self.iat = iat
        self.exp = exp
        self.jti = jti
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }

    var userID: UUID? { UUID(uuidString: sub.value) }
}

/// Issues and verifies HS256 session tokens (RFC 7519; algorithm pinned per RFC 8725).
///
/// Tokens carry `sub`, `iat`, `exp` and `jti`, with whole-second times. Verification rejects
/// other algorithms (`none`, HS512), bad signatures and expired tokens; revocation is checked
/// by the caller against the store.
public struct SessionTokens: Sendable {
    let keys: JWTKeyCollection
    public let lifetime: Duration

    public init(secret: String, lifetime: Duration) async {
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.lifetime = lifetime
    }

    /// A signed token for `userID`, and its claims.
    public func issue(for userID: UUID, now: Date = Date()) async throws -> (token: String, claims: SessionClaims) {
        let issued = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let claims = SessionClaims(
            sub: SubjectClaim(value: userID.apiString), iat: IssuedAtClaim(value: issued),
            exp: ExpirationClaim(value: issued.addingTimeInterval(Double(lifetime.components.seconds))),
            jti: IDClaim(value: UUID().apiString))
        return (try await keys.sign(claims), claims)
    }

    /// The claims of a valid, unexpired token; throws otherwise.
    public func verify(_ token: String) async throws -> SessionClaims {
        try await keys.verify(token, as: SessionClaims.self)
    }
}
