import API
import Foundation
import HTTPTypes
import JWTKit
import Testing

@Suite("Auth: sessions, cookies and tokens")
struct AuthTests {
    @Test func registerSetsASessionCookieWithSafeAttributes() async throws {
        try await TestServer.run { api in
            let response = try await api.send(.post, "/api/v1/auth/register",
                                              json: #"{"email": "Ann@Example.com", "password": "correct horse", "name": "Ann"}"#)
            #expect(response.status == .created)
            #expect(response.data["email"] as? String == "ann@example.com")
            #expect(response.data["passwordHash"] == nil)
            let cookie = try #require(response.sessionCookie)
            let attributes = Set(cookie.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
            #expect(attributes.contains("httponly"))
            #expect(attributes.contains("samesite=lax"))
            #expect(attributes.contains("path=/"))
            #expect(attributes.contains("max-age=3600"))
            #expect(!attributes.contains("secure"), "no Secure in development")
        }
    }

    @Test func productionCookiesAreSecure() async throws {
        try await TestServer.run(environment: .production) { api in
            let response = try await api.send(.post, "/api/v1/auth/register",
                                              json: #"{"email": "a@example.com", "password": "correct horse", "name": "A"}"#)
            #expect(response.sessionCookie?.lowercased().contains("secure") == true)
        }
    }

    @Test func registrationErrors() async throws {
        try await TestServer.run { api in
            _ = try await api.register(email: "dup@example.com")
            let duplicate = try await api.send(.post, "/api/v1/auth/register",
                                               json: #"{"email": "DUP@example.com", "password": "correct horse", "name": "B"}"#)
            #expect(duplicate.status == .conflict && duplicate.errorCode == "conflict")
            let short = try await api.send(.post, "/api/v1/auth/register", json: #"{"email": "s@example.com", "password": "short", "name": "S"}"#)
            #expect(short.status == .unprocessableContent && short.errorFields == ["password"])
            let missing = try await api.send(.post, "/api/v1/auth/register", json: #"{"email": "m@example.com", "name": "M"}"#)
            #expect(missing.status == .unprocessableContent && missing.errorFields == ["password"])
            let badEmail = try await api.send(.post, "/api/v1/auth/register", json: #"{"email": "nope", "password": "correct horse", "name": "N"}"#)
            #expect(badEmail.status == .unprocessableContent && badEmail.errorFields == ["email"])
            let malformed = try await api.send(.post, "/api/v1/auth/register", json: #"{"email": "#)
            #expect(malformed.status == .unprocessableContent && malformed.errorCode == "validation_error")
        }
    }

    @Test func registrationCanBeTurnedOff() async throws {
        try await TestServer.run(registrationEnabled: false) { api in
            let response = try await api.send(.post, "/api/v1/auth/register",
                                              json: #"{"email": "a@example.com", "password": "correct horse", "name": "A"}"#)
            #expect(response.status == .forbidden)
        }
    }

    @Test func loginFailuresLookTheSame() async throws {
        try await TestServer.run { api in
            _ = try await api.register(email: "ann@example.com", password: "correct horse")
            let good = try await api.send(.post, "/api/v1/auth/login", json: #"{"email": "ANN@example.com", "password": "correct horse"}"#)
            #expect(good.status == .ok && good.sessionCookieValue != nil)
            let wrongPassword = try await api.send(.post, "/api/v1/auth/login", json: #"{"email": "ann@example.com", "password": "wrong horse"}"#)
            let unknownEmail = try await api.send(.post, "/api/v1/auth/login", json: #"{"email": "bob@example.com", "password": "wrong horse"}"#)
            #expect(wrongPassword.status == .unauthorized && unknownEmail.status == .unauthorized)
            #expect(wrongPassword.object["error"] as? NSDictionary == unknownEmail.object["error"] as? NSDictionary)
            #expect(wrongPassword.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
        }
    }

    @Test func meAcceptsTheCookieAndTheBearerToken() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            #expect(try await api.send(.get, "/api/v1/auth/me", headers: .cookie(token)).status == .ok)
            let bearer = try await api.send(.get, "/api/v1/auth/me", headers: .bearer(token))
            #expect(bearer.status == .ok && bearer.data["email"] as? String == "dev@example.com")
            let anonymous = try await api.send(.get, "/api/v1/auth/me")
            #expect(anonymous.status == .unauthorized && anonymous.headers[.wwwAuthenticate] != nil)
        }
    }

    @Test func forgedTokensAreRejected() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let parts = token.split(separator: ".").map(String.init)
            let payload = try #require(Data(base64URL: parts[1]))
            var claims = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])

            claims["sub"] = UUID().uuidString.lowercased()
            let tampered = [parts[0], try base64URL(claims), parts[2]].joined(separator: ".")
            let none = [try base64URL(["alg": "none", "typ": "JWT"]), parts[1], ""].joined(separator: ".")

            let wrongKeys = JWTKeyCollection()
            await wrongKeys.add(hmac: HMACKey(from: "another-secret-that-is-also-long-enough-0123456789"), digestAlgorithm: .sha256)
            let userID = try #require(UUID(uuidString: claims["sub"] as? String ?? ""))
            let wrongKey = try await wrongKeys.sign(sampleClaims(userID: userID, expiresIn: 3600))

            let hs512Keys = JWTKeyCollection()
            await hs512Keys.add(hmac: HMACKey(from: TestServer.secret), digestAlgorithm: .sha512)
            let hs512 = try await hs512Keys.sign(sampleClaims(userID: userID, expiresIn: 3600))

            let rightKeys = JWTKeyCollection()
            await rightKeys.add(hmac: HMACKey(from: TestServer.secret), digestAlgorithm: .sha256)
            let me = try await api.send(.get, "/api/v1/auth/me", headers: .bearer(token))
            let realID = try #require(UUID(uuidString: me.data["id"] as? String ?? ""))
            let expired = try await rightKeys.sign(sampleClaims(userID: realID, expiresIn: -60))
            let valid = try await rightKeys.sign(sampleClaims(userID: realID, expiresIn: 3600))

            for forged in [tampered, none, wrongKey, hs512, expired, "garbage", ""] {
                let response = try await api.send(.get, "/api/v1/auth/me", headers: .bearer(forged))
                #expect(response.status == .unauthorized, "\(forged.prefix(20))")
            }
            #expect(try await api.send(.get, "/api/v1/auth/me", headers: .bearer(valid)).status == .ok)
        }
    }

    @Test func logoutRevokesTheToken() async throws {
        try await TestServer.run { api in
            let token = try await api.register()
            let logout = try await api.send(.post, "/api/v1/auth/logout", headers: .cookie(token))
            #expect(logout.status == .noContent)
            #expect(logout.sessionCookie?.contains("Max-Age=0") == true)
            #expect(try await api.send(.get, "/api/v1/auth/me", headers: .cookie(token)).status == .unauthorized)
            #expect(try await api.send(.get, "/api/v1/auth/me", headers: .bearer(token)).status == .unauthorized)
            let again = try await api.send(.post, "/api/v1/auth/login", json: #"{"email": "dev@example.com", "password": "correct horse"}"#)
            #expect(try await api.send(.get, "/api/v1/auth/me", headers: .cookie(again.sessionCookieValue ?? "")).status == .ok)
        }
    }

    private func sampleClaims(userID: UUID, expiresIn seconds: Double) -> SessionClaims {
        let now = Date()
        return SessionClaims(
            sub: SubjectClaim(value: userID.uuidString.lowercased()), iat: IssuedAtClaim(value: now),
            exp: ExpirationClaim(value: now.addingTimeInterval(seconds)), jti: IDClaim(value: UUID().uuidString))
    }

    private func base64URL(_ object: [String: Any]) throws -> String {
        try JSONSerialization.data(withJSONObject: object).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

extension Data {
    init?(base64URL text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        self.init(base64Encoded: base64)
    }
}
