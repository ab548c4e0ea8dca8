import Crypto
import Foundation

/// Project API keys: `lore_` and 40 random base-62 characters, stored only as a SHA-256 hash.
public enum APIKey {
    public static let scheme = "lore_"
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    /// A fresh key (about 238 bits of entropy).
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return scheme + String((0..<40).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// The stored form of a key: SHA-256, lower-case hex.
    public static func hash(_ key: String) -> String {
        sha256Hex(key)
    }

    /// The part of a key safe to display.
    static func displayPrefix(_ key: String) -> String {
        String(key.prefix(scheme.count + 6))
    }
}

/// SHA-256 of text, lower-case hex.
func sha256Hex(_ text: String) -> String {
    SHA256.hash(data: Data(text.utf8)).hexString
}

/// The content hash documents carry: SHA-256 of the UTF-8 text, lower-case hex.
public enum ContentHash {
    public static func of(_ text: String) -> String { sha256Hex(text) }
}

extension KeyStore {
    /// The one check of an API key in clear text, for every front door (HTTP, MCP over HTTP and
    /// stdio): what it opens, or why it opens nothing. Records the use of a scoped key. Any
    /// failure other than an unknown key (the database is down) propagates, so that it is not
    /// mistaken for a bad key.
    public func check(apiKey key: String, now: Date = Date()) async throws -> KeyCheck {
        guard key.hasPrefix(APIKey.scheme) else { return .invalid }
        let grant: KeyGrant
        do {
            grant = try await self.grant(apiKey: key)
        } catch IndexError.notFound {
            return .invalid
        }
        guard !grant.isExpired(at: now) else { return .expired }
        if let id = grant.keyID { try await recordKeyUse(id: id, at: now) }
        return .granted(grant)
    }
}
