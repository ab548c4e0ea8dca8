import ArgumentParser
import Foundation
import Index
import Logging
import Runtime
import Vectors

/// The flags every command that opens the store shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "Database URL (overrides LORE_DATABASE_URL; default sqlite://./data/lore.db).")
    var database: String?

    /// The configured database URL: `--database`, else `LORE_DATABASE_URL`, else the default file.
    var databaseURL: String { database ?? Settings().databaseURL }

    /// Opens and migrates the configured store.
    func openStore() async throws -> any LoreStore {
        let settings = Settings()
        LoggingSetup.bootstrap(level: settings.logLevel, fallback: .warning)
        let embeddings = (try? EmbedderSettings(environment: settings.variables))?.kind != EmbedderSettings.Kind.none
        return try await DatabaseLocation.parse(databaseURL).openStore(embeddingsEnabled: embeddings, logger: Logger(label: "lore.index"))
    }

    /// The project named by an id or a slug.
    func resolveProject(_ reference: String, in store: some ProjectStore) async throws -> Project {
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
