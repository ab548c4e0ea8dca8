import ArgumentParser
import Foundation
import Index
import Logging
import Search

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import the .md and .txt files of a folder; unchanged files are skipped.",
        discussion: """
            The imported documents are searchable by full text at once; their embeddings are computed before the \
            command exits (with a progress bar), so semantic and hybrid search find them without a server. \
            --no-embed leaves that to a running `lore serve`.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "The folder to import.") var directory: String
    @Option(help: "Project id or slug.") var project: String
    @Option(help: "Only files matching this glob (repeatable; default *.md, *.markdown, *.txt).") var glob: [String] = []
    @Flag(help: "Do not compute embeddings; a running server computes them.") var noEmbed = false
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
        let engine = await Engine.start(store: opened, options: try Settings().engineOptions(fullTextOnly: noEmbed),
                                        logger: Logger(label: "lore.import"))
        let progress = ProgressReporter(label: "importing")
        var report = try await engine.indexer.importFiles(
            from: URL(fileURLWithPath: directory), into: target.id,
            patterns: glob.isEmpty ? DirectoryImporter<SQLiteStore>.defaultPatterns : glob,
            progress: { progress.update(done: $0, total: $1) })
        for failure in report.failed {
            Terminal.writeError("failed: \(failure.path): \(failure.reason)")
        }
        report.embedded = try await EmbeddingProgress.embed(with: engine, skipped: noEmbed)
        await opened.close()
        if json {
            try JSONOutput.print(report)
        } else {
            Terminal.writeError("\(report.created) created, \(report.updated) updated, \(report.unchanged) unchanged, "
                + "\(report.failed.count) failed, \(report.embedded ?? 0) chunks embedded")
        }
        if !report.failed.isEmpty { throw ExitCode(ExitStatus.failure) }
    }
}

/// Embeds what is queued before a command exits, with a progress bar, and says plainly when it
/// cannot (no embedder, or one that did not load).
enum EmbeddingProgress {
    /// The chunks embedded, or `nil` when embedding was skipped or impossible.
    static func embed(with engine: Engine<some Store>, skipped: Bool) async throws -> Int? {
        if skipped {
            Terminal.writeError("embeddings left to a running server (--no-embed)")
            return nil
        }
        switch engine.embedder {
        case .disabled:
            return nil
        case .unavailable(let reason):
            Terminal.writeError("warning: the embedder could not be loaded (\(reason)); documents wait for embeddings "
                + "until a process with a working embedder runs")
            return nil
        case .ready:
            let total = try await engine.store.embeddingQueueDepth()
            let progress = ProgressReporter(label: "embedding")
            let embedded = try await engine.embedPending { done, left in progress.update(done: done, total: done + left) }
            if total == 0 { progress.update(done: 0, total: 0) }
            return embedded
        }
    }
}
