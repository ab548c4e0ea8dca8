import ArgumentParser

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Bring the database schema up to date.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let opened = try await store.openStore()
        let migrated = try await opened.isMigrated()
        Terminal.writeError(migrated ? "schema is up to date" : "schema migration incomplete")
        if !migrated { throw ExitCode(ExitStatus.failure) }
    }
}
