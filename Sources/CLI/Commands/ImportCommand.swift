import ArgumentParser
import Foundation
import Index
import Search

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import the .md and .txt files of a folder; unchanged files are skipped.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "The folder to import.") var directory: String
    @Option(help: "Project id or slug.") var project: String
    @Option(help: "Only files matching this glob (repeatable; default *.md, *.markdown, *.txt).") var glob: [String] = []
    @Flag(help: "Print the report as JSON.") var json = false

    func validate() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("'\(directory)' is not a folder")
        }
    }

    func run() async throws {
        try await run(with: try await store.openStore())
    }

    private func run(with opened: some LoreStore) async throws {
        let target = try await store.resolveProject(project, in: opened)
        let progress = ProgressReporter(label: "importing")
        let report = try await DirectoryImporter(store: opened).importFiles(
            from: URL(fileURLWithPath: directory), into: target.id,
            patterns: glob.isEmpty ? DirectoryImporter<SQLiteStore>.defaultPatterns : glob,
            progress: { progress.update(done: $0, total: $1) })
        for failure in report.failed {
            Terminal.writeError("failed: \(failure.path): \(failure.reason)")
        }
        if json {
            try JSONOutput.print(report)
        } else {
            Terminal.writeError("\(report.created) created, \(report.updated) updated, \(report.unchanged) unchanged, \(report.failed.count) failed")
        }
        if !report.failed.isEmpty { throw ExitCode(ExitStatus.failure) }
    }
}
