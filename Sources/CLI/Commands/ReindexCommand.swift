import ArgumentParser
import Foundation
import Index
import Search
import Vectors

struct ReindexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reindex",
        abstract: "Re-chunk documents and rebuild the full-text index (resumable: run it again to finish).")

    @OptionGroup var store: StoreOptions
    @Option(help: "Only this project (id or slug).") var project: String?
    @Flag(help: "Rebuild the full-text index.") var fulltext = false
    @Flag(help: "Re-embed chunks whose vectors are missing or stale.") var embeddings = false

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
            guard let embedder = try await EmbedderSettings(environment: Settings().variables).makeEmbedder() else {
                if embeddings { throw CLIError.message("LORE_EMBEDDER is none: there is no embedder to re-embed with") }
                return
            }
            let queued = try await opened.requeueEmbeddings(model: embedder.modelID, projectID: projectID)
            let progress = ProgressReporter(label: "embedding")
            let total = try await opened.embeddingQueueDepth()
            let embedded = try await EmbeddingWorker(store: opened, embedder: embedder, cache: nil).drain { done, left in
                progress.update(done: done, total: done + left)
            }
            if total == 0 { progress.update(done: 0, total: 0) }
            Terminal.writeError("embeddings: \(queued) chunks queued, \(embedded) embedded with \(embedder.modelID)")
        }
    }
}
