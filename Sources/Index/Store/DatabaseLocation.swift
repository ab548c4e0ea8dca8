import Foundation
import Logging

/// Where the store lives, parsed from a database URL.
public enum DatabaseLocation: Equatable, Sendable {
    /// The URL could not be read as a database location.
    public struct Invalid: Error, CustomStringConvertible {
        public var url: String
        public var description: String { "invalid database URL '\(url)': use sqlite://PATH or postgres://…" }
    }

    case sqlite(path: String)
    case postgres(url: String)

    /// Parses `sqlite://RELATIVE`, `sqlite:///ABSOLUTE` and `postgres://…` URLs.
    public static func parse(_ url: String) throws -> DatabaseLocation {
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw DatabaseLocation.Invalid(url: url) }
            return .sqlite(path: path)
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            return .postgres(url: url)
        }
        throw DatabaseLocation.Invalid(url: url)
    }
}


extension DatabaseLocation {
    /// Opens (creating and migrating as needed) the store at this location.
    ///
    /// - Parameter embeddingsEnabled: whether an embedder is configured (new chunks then wait for
    ///   vectors; otherwise documents are `disabled`).
    public func openStore(embeddingsEnabled: Bool, logger: Logger) async throws -> any LoreStore {
        switch self {
        case .sqlite(let path):
            return try SQLiteStore(path: path, embeddingsEnabled: embeddingsEnabled, logger: logger)
        case .postgres(let url):
            return try await PostgresStore(settings: try PostgresSettings(url: url), embeddingsEnabled: embeddingsEnabled, logger: logger)
        }
    }

    /// Where development keeps generated secrets: beside the SQLite file, or `./data`.
    public var dataDirectory: URL {
        switch self {
        case .sqlite(let path): URL(fileURLWithPath: path).deletingLastPathComponent()
        case .postgres: URL(fileURLWithPath: "data")
        }
    }
}
