import ArgumentParser
import Foundation

struct ReindexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reindex",
        abstract: "Re-chunk documents and rebuild the full-text index (resumable: run it again to finish).")

    @OptionGroup var store: StoreOptions
    @Option(help: "Only this project (id or slug).") var project: String?
    @Flag(help: "Rebuild the full-text index.") var fulltext = false
    @Flag(help: "Re-embed chunks whose vectors are missing or stale.") var embeddings = false

    func run() async throws {
        let opened = try store.openStore()
        var projectID: UUID?
        if let project { projectID = try await store.resolveProject(project, in: opened).id }
        let all = !fulltext && !embeddings
        if fulltext || all {
            let progress = ProgressReporter(label: "reindexing")
            try await opened.rebuildFullText(projectID: projectID) { progress.update(done: $0, total: $1) }
            Terminal.writeError("full-text index rebuilt")
        }
        if embeddings || all {
            Terminal.writeError("embeddings: no embedder is configured in this build; nothing to re-embed")
        }
    }
}
