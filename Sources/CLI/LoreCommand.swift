import ArgumentParser
import Foundation

/// The `lore` command line: one root command with a subcommand per task.
@main
struct LoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lore",
        abstract: "Lore: search for project documentation, by keyword and meaning.",
        discussion: "Settings come from LORE_* environment variables; --database overrides LORE_DATABASE_URL.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, UsersCommand.self, ProjectsCommand.self, ImportCommand.self,
            KeysCommand.self, SearchCommand.self, ReindexCommand.self, EvalCommand.self, MCPCommand.self, CopyCommand.self,
            SourcesCommand.self, SyncCommand.self,
        ]
    )

    /// Runs the command and exits 0 on success, 1 on failure and 2 on a usage error.
    static func main() async {
        do {
            var command = try await asyncParseAsRoot()
            try Settings().validate()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            } else if code == .validationFailure {
                Terminal.writeError(fullMessage(for: error))
                Foundation.exit(ExitStatus.usage)
            } else {
                Terminal.writeError("error: " + message(for: error))
                Foundation.exit(ExitStatus.failure)
            }
        }
    }
}

/// The process exit statuses of SPEC §7.
enum ExitStatus {
    static let failure: Int32 = 1
    static let usage: Int32 = 2
}
