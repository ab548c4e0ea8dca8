import Foundation
import Runtime
import Vectors

/// The settings the application is built from; `lore serve` fills it from flags and `LORE_*`
/// variables, tests fill a struct with `port: 0` and a temporary database.
public protocol AppArguments: Sendable {
    var hostname: String { get }
    var port: Int { get }
    /// `sqlite://…` or `postgres://…` (see `DatabaseLocation`).
    var databaseURL: String { get }
    var environment: AppEnvironment { get }
    /// The HS256 secret for session tokens; required in production. In development, `nil` means
    /// one is generated once and kept in the data folder.
    var jwtSecret: String? { get }
    /// Whether `POST /auth/register` is open.
    var registrationEnabled: Bool { get }
    /// How long a session token (and its cookie) lives.
    var sessionLifetime: Duration { get }
    /// Which embedder runs (`LORE_EMBEDDER`); `none` serves full text only.
    var embedderSettings: EmbedderSettings { get }
    /// The token buckets of SPEC §5 (`LORE_RATE_LIMIT_*`).
    var rateLimits: RateLimitSettings { get }
    /// Where sources keep their mirrors (`LORE_SOURCES_DIR`); `nil`: `sources/` in the data folder.
    var sourcesDirectory: URL? { get }
    /// Whether a source may name a repository on the server's disk (`LORE_SOURCES_LOCAL`).
    var sourcesAllowLocalPaths: Bool { get }
}

extension AppArguments {
    public var registrationEnabled: Bool { true }
    public var sessionLifetime: Duration { .seconds(7 * 24 * 3600) }
    public var embedderSettings: EmbedderSettings { EmbedderSettings(kind: .none) }
    public var rateLimits: RateLimitSettings { .standard }
    public var sourcesDirectory: URL? { nil }
    public var sourcesAllowLocalPaths: Bool { true }
}
