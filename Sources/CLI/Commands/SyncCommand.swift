import ArgumentParser
import Foundation
import Index
import Logging
import Search

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Sync Git sources now: every source, a project's, or one.",
        discussion: """
            Each source moves from its last synced commit to its ref's head in one transaction (a sync that is \
            stopped leaves the project as it was). A source another process is syncing is waited for. The new \
            chunks are embedded before the command exits unless --no-embed. Exits 1 if any sync failed.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "Only this project's sources (id or slug).") var project: String?
    @Option(help: "Only this source (its id).") var source: String?
    @Flag(help: "Do not compute embeddings; a running server computes them.") var noEmbed = false

    /// How long to wait for a sync another process holds: a little more than a lapsed claim takes.
    static let patience = SyncLease.duration + 10

    func run() async throws {
        try await run(with: try await store.openStore())
    }

    private func run(with opened: some LoreStore) async throws {
        let settings = Settings()
        let engine = await Engine.start(store: opened, options: try settings.engineOptions(fullTextOnly: noEmbed, databaseURL: store.databaseURL),
                                        logger: Logger(label: "lore.sync"))
        let targets = try await sources(in: opened)
        if targets.isEmpty { Terminal.writeError("no sources to sync: add one with `lore sources add`") }
        var failed = 0
        for target in targets {
            do {
                let report = try await syncWaiting(target, engine: engine)
                describe(report, of: target)
            } catch {
                failed += 1
                Terminal.writeError("\(target.displayURL): sync failed: \(error)")
            }
        }
        _ = try await EmbeddingProgress.embed(with: engine, skipped: noEmbed)
        await opened.close()
        if failed > 0 { throw ExitCode(ExitStatus.failure) }
    }

    private func sources(in opened: some LoreStore) async throws -> [Source] {
        let all: [Source]
        if let project {
            let target = try await store.resolveProject(project, in: opened)
            all = try await opened.sources(in: target.id, page: try PageRequest(offset: 0, limit: Source.maximumPerProject)).items
        } else {
            // Every source of the installation (a claim in force does not hide one here).
            all = try await opened.dueSources(at: .distantFuture, limit: 100_000)
        }
        guard let source else { return all }
        guard let match = all.first(where: { $0.id.uuidString.lowercased() == source.lowercased() }) else {
            throw IndexError.notFound(entity: "source '\(source)'" + (project.map { " in project '\($0)'" } ?? ""))
        }
        return [match]
    }

    private func syncWaiting(_ target: Source, engine: Engine<some LoreStore>) async throws -> SourceSyncReport {
        let deadline = Date() + Self.patience
        let bar = PhaseProgress()
        while true {
            let result: Result<SourceSyncReport, SourceSyncError>
            do {
                result = .success(try await engine.sources.sync(target.id, in: target.projectId) {
                    bar.update(phase: $0.phase.rawValue, done: $0.done, total: $0.total)
                })
            } catch {
                result = .failure(error)
            }
            guard case .failure(.busy) = result, Date() < deadline else { return try result.get() }
            Terminal.writeError("\(target.displayURL): another process is syncing it; waiting")
            try await Task.sleep(for: .seconds(2))
        }
    }

    private func describe(_ report: SourceSyncReport, of source: Source) {
        for skipped in report.skipped { Terminal.writeError("skipped: \(skipped.path): \(skipped.reason)") }
        let outcome = report.outcome
        let how = report.fullComparison ? "whole tree compared" : "changes since \(report.previousCommit?.prefix(12) ?? "")"
        Terminal.writeError("\(source.displayURL) at \(report.commit.prefix(12)) (\(how)): \(outcome.created) created, "
            + "\(outcome.updated) updated, \(outcome.moved) moved, \(outcome.deleted) deleted, \(outcome.unchanged) unchanged, "
            + "\(report.skipped.count) skipped in \(report.duration.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow)))")
    }
}
