import Foundation
import Index
import Runtime

/// The checks that keep a production server from starting on unsafe settings (SPEC §6), each
/// with a message that names the setting and the fix. Development is never refused.
///
/// Refused in production:
/// - no `LORE_JWT_SECRET`, or one shorter than 32 bytes, a known default, or with fewer than 8
///   distinct characters (`aaaa…`, `0101…`);
/// - rate limits turned off (`LORE_RATE_LIMIT_ENABLED=false`): raise them instead;
/// - an OpenAI-compatible embedder with an API key over plain `http://` to another host (the key
///   would cross the network in clear);
/// - a PostgreSQL database on another host without TLS (`sslmode=disable` or `prefer`).
///
/// Allowed: `LORE_HOST=0.0.0.0` without TLS (Lore is meant to sit behind a TLS-terminating proxy),
/// and `LORE_RATE_LIMIT_TRUST_FORWARDED_FOR=true` (only correct behind such a proxy).
enum ProductionSafety {
    static let minimumDistinctCharacters = 8

    static func check(_ arguments: some AppArguments) throws {
        guard arguments.environment == .production else { return }
        try checkSecret(arguments.jwtSecret)
        if !arguments.rateLimits.enabled {
            throw AppSecrets.UnsafeSetting(description: """
                LORE_RATE_LIMIT_ENABLED=false is refused in production: raise LORE_RATE_LIMIT_REQUESTS (and the login limits) instead
                """)
        }
        let embedder = arguments.embedderSettings
        if embedder.kind == .openai, let key = embedder.openAIAPIKey, !key.isEmpty,
           let base = embedder.openAIBaseURL.flatMap(URL.init(string:)), base.scheme?.lowercased() == "http",
           !["localhost", "127.0.0.1", "::1"].contains(base.host?.lowercased() ?? "") {
            throw AppSecrets.UnsafeSetting(description: """
                LORE_OPENAI_BASE_URL must use https:// in production when LORE_OPENAI_API_KEY is set (the key would travel in clear to \(base.host ?? "the server"))
                """)
        }
    }

    /// Refuses, in production, a PostgreSQL connection that would send the password in clear
    /// (`sslmode=disable` or `prefer`) to a server on another machine.
    static func check(_ settings: PostgresSettings, environment: AppEnvironment) throws {
        guard environment == .production, !settings.isLoopback,
              settings.sslMode == .disable || settings.sslMode == .prefer else { return }
        throw AppSecrets.UnsafeSetting(description: """
            sslmode=\(settings.sslMode.rawValue) is refused in production for a database on another host (\(settings.host)): use sslmode=verify-full with sslrootcert=CA.pem (or require)
            """)
    }

    static func checkSecret(_ secret: String?) throws {
        guard let secret, !secret.isEmpty else {
            throw AppSecrets.UnsafeSetting(description: "LORE_JWT_SECRET is required in production (try: openssl rand -base64 48)")
        }
        let weak = secret.utf8.count < AppSecrets.minimumBytes
            || AppSecrets.knownWeakSecrets.contains(secret.lowercased())
            || Set(secret).count < minimumDistinctCharacters
        if weak {
            throw AppSecrets.UnsafeSetting(description: """
                LORE_JWT_SECRET is too weak for production: use at least \(AppSecrets.minimumBytes) random bytes (try: openssl rand -base64 48)
                """)
        }
    }
}
