import Foundation
import Index

/// The settings every command reads from the environment (SPEC §6).
struct Settings {
    static let defaultDatabaseURL = "sqlite://./data/lore.db"

    var environment: [String: String]

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// `LORE_DATABASE_URL`, or the default SQLite file.
    var databaseURL: String {
        environment["LORE_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultDatabaseURL
    }

    var logLevel: String { environment["LORE_LOG_LEVEL"] ?? "warning" }
}

/// Where the store lives, parsed from a database URL.
enum DatabaseLocation: Equatable {
    case sqlite(path: String)
    case postgres(url: String)

    /// Parses `sqlite://RELATIVE`, `sqlite:///ABSOLUTE` and `postgres://…` URLs.
    static func parse(_ url: String) throws -> DatabaseLocation {
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw CLIError.badSetting(name: "database URL", value: url) }
            return .sqlite(path: path)
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            return .postgres(url: url)
        }
        throw CLIError.badSetting(name: "database URL", value: url)
    }
}

/// Failures of the command line that are not errors of a lower layer.
enum CLIError: Error, CustomStringConvertible {
    case badSetting(name: String, value: String)
    case unsupported(String)
    case ambiguousProject(String)
    case message(String)

    var description: String {
        switch self {
        case .badSetting(let name, let value): "invalid \(name): \(value)"
        case .unsupported(let what): what
        case .ambiguousProject(let slug): "several projects have the slug '\(slug)': use the project id"
        case .message(let text): text
        }
    }
}
