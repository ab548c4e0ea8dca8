import ArgumentParser
import Foundation
import Index
import Logging
import Search

struct ReindexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reindex",
        abstract: "Re-chunk documents and rebuild the full-text index, and re-embed (resumable: run it again to finish).")

    @OptionGroup var store: StoreOptions
    @Option(help: "Only this project (id or slug).") var project: String?
    @Flag(help: "Rebuild the full-text index.") var fulltext = false
    @Flag(help: "Re-embed chunks whose vectors are missing, failed or made by another model.") var embeddings = false

    func run() async throws {
        try await run(with: try await store.openStore())
    }

    private func run(with opened: some LoreStore) async throws {
        var projectID: UUID?
        if let project { projectID = try await store.resolveProject(project, in: opened).id }
        let all = !fulltext && !embeddings
        if fulltext || all {
            let progress = ProgressReporter(label: "reindexing")
            try await opened.rebuildFullText(projectID: projectID) { progress.update(done: $0, total: $1) }
            Terminal.writeError("full-text index rebuilt")
        }
        if embeddings || all {
            let engine = await Engine.start(store: opened, options: try Settings().engineOptions(), logger: Logger(label: "lore.reindex"))
            guard case .ready(let model, _) = engine.embedder else {
                if case .unavailable(let reason) = engine.embedder {
                    throw CLIError.message("the embedder could not be loaded: \(reason)")
                }
                if embeddings { throw CLIError.message("LORE_EMBEDDER is none: there is no embedder to re-embed with") }
                return
            }
            let queued = try await opened.requeueEmbeddings(model: model, projectID: projectID)
            let embedded = try await EmbeddingProgress.embed(with: engine, skipped: false) ?? 0
            Terminal.writeError("embeddings: \(queued) chunks queued, \(embedded) embedded with \(model)")
        }
        await opened.close()
    }
}
