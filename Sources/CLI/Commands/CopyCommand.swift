import ArgumentParser
import Foundation
import Index
import Logging

/// `lore copy`: moves a whole installation between stores (SQLite to PostgreSQL, or back).
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a whole installation (users, projects, keys, documents, vectors) into an empty store.",
        discussion: """
            Example: lore copy --from sqlite://./data/lore.db --to postgres://lore:secret@db.internal/lore?sslmode=verify-full
            The target must be empty; counts are compared at the end. Passwords and API keys keep working,
            because their hashes are copied as they are.
            """)

    @Option(help: "The database URL to copy from (sqlite://… or postgres://…).") var from: String
    @Option(help: "The empty database URL to copy into.") var to: String
    @Flag(help: "Print the copied counts as JSON.") var json = false

    func validate() throws {
        guard from != to else { throw ValidationError("--from and --to must be different databases") }
    }

    func run() async throws {
        let settings = Settings()
        LoggingSetup.bootstrap(level: settings.logLevel, fallback: .warning)
        let logger = Logger(label: "lore.copy")
        // The copy keeps every chunk's vector state as it is, so the target's own embedder
        // setting does not matter here.
        let source = try await DatabaseLocation.parse(from).openStore(embeddingsEnabled: false, logger: logger)
        let target = try await DatabaseLocation.parse(to).openStore(embeddingsEnabled: false, logger: logger)
        let progress = ProgressReporter(label: "copying")
        let counts = try await InstallationCopier.copy(from: source, to: target) { progress.update(done: $0, total: $1) }
        await source.close()
        await target.close()
        if json {
            try JSONOutput.print(counts)
        } else {
            Terminal.writeError("copied and verified: \(counts)")
        }
    }
}
