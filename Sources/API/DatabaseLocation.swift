import Foundation

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

