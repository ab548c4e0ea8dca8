import ArgumentParser
import Foundation
import Index
import API
import Logging
import Vectors

/// The flags every command that opens the store shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "Database URL (overrides LORE_DATABASE_URL; default sqlite://./data/lore.db).")
    var database: String?

    /// Opens and migrates the configured store.
    func openStore() throws -> SQLiteStore {
        let settings = Settings()
        LoggingSetup.bootstrap(level: settings.logLevel, fallback: .warning)
        switch try DatabaseLocation.parse(database ?? settings.databaseURL) {
        case .sqlite(let path):
            let embeddings = (try? EmbedderSettings(environment: settings.variables))?.kind != EmbedderSettings.Kind.none
            return try SQLiteStore(path: path, embeddingsEnabled: embeddings, logger: Logger(label: "lore.index"))
        case .postgres:
            throw CLIError.unsupported("PostgreSQL is not supported by this build yet: use a sqlite:// URL")
        }
    }

    /// The project named by an id or a slug.
    func resolveProject(_ reference: String, in store: SQLiteStore) async throws -> Project {
        if let id = UUID(uuidString: reference) {
            return try await store.project(id: id)
        }
        let matches = try await store.projects(slug: reference)
        switch matches.count {
        case 0: throw IndexError.notFound(entity: "project '\(reference)'")
        case 1: return matches[0]
        default: throw CLIError.ambiguousProject(reference)
        }
    }
}

/// Logging for the command line: standard error, never standard output; readable lines, or JSON
/// lines with `LORE_LOG_FORMAT=json` or in production; always through the secret redactor.
enum LoggingSetup {
    nonisolated(unsafe) private static var done = false

    static func bootstrap(level: String?, fallback: Logger.Level, format: LogFormat = Settings().logFormat) {
        guard !done else { return }
        done = true
        let logLevel = level.flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? fallback
        LoggingSystem.bootstrap { label in
            LogOutput.makeHandler(label: label, level: logLevel, format: format)
        }
    }
}
