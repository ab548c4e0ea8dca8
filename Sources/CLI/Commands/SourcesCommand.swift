import API
import ArgumentParser
import Foundation
import Index
import Logging
import Search

struct SourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "Manage the Git repositories a project follows.",
        discussion: """
            A source keeps a folder of the project equal to a repository's files at a ref: `lore serve` syncs it \
            on its interval and on push webhooks, `lore sync` syncs it now. Its documents are read-only through \
            the API and MCP; change them in the repository.
              lore sources add --project docs --git https://github.com/acme/handbook.git --path-prefix handbook/
            """,
        subcommands: [AddSourceCommand.self, ListSourcesCommand.self, RemoveSourceCommand.self])
}

struct AddSourceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a Git source to a project (sync it with `lore sync`, or let `lore serve` do it).")

    @OptionGroup var store: StoreOptions
    @Option(help: "The project's id or slug.") var project: String
    @Option(help: "The repository: an absolute path, file://, https:// or ssh:// (credentials come from git's own setup).")
    var git: String
    @Option(help: "The branch or tag to follow (default main).") var ref: String?
    @Option(help: "Only files matching this glob (repeatable; default **/*.md, **/*.markdown, **/*.txt).") var include: [String] = []
    @Option(help: "Leave out files matching this glob (repeatable).") var exclude: [String] = []
    @Option(help: "The project folder the files land in (default: the whole project).") var pathPrefix: String?
    @Option(help: "Seconds between syncs by `lore serve` (10–604800, default 300).") var interval: Int?
    @Flag(help: "Print the source as JSON, with its webhook secret.") var json = false

    func run() async throws {
        let opened = try await store.openStore()
        let target = try await store.resolveProject(project, in: opened)
        let settings = Settings().sourceSettings(databaseURL: store.databaseURL)
        let source = try await opened.createSource(try NewSource(
            url: git, ref: ref, include: include.isEmpty ? nil : include, exclude: exclude.isEmpty ? nil : exclude,
            pathPrefix: pathPrefix, intervalSeconds: interval
        ).validated(projectID: target.id, allowsLocalPaths: settings.allowsLocalPaths))
        await opened.close()
        if json {
            try JSONOutput.print(SourceResponse(source: source, includesSecret: true))
        } else {
            SourceTable.describe(source)
            print("webhook secret: \(source.webhookSecret)")
            Terminal.writeError("Run `lore sync --project \(project)` to sync it now. Keep the webhook secret for push webhooks: it is not listed again.")
        }
    }
}

struct ListSourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List a project's sources and how they stand.")

    @OptionGroup var store: StoreOptions
    @Option(help: "The project's id or slug.") var project: String
    @Flag(help: "Print the sources as a JSON array.") var json = false

    func run() async throws {
        let opened = try await store.openStore()
        let target = try await store.resolveProject(project, in: opened)
        let sources = try await opened.sources(in: target.id, page: try PageRequest(offset: 0, limit: Source.maximumPerProject))
        await opened.close()
        if json {
            try JSONOutput.print(sources.items.map { SourceResponse(source: $0) })
            return
        }
        if sources.items.isEmpty { Terminal.writeError("no sources: add one with `lore sources add`") }
        for (index, source) in sources.items.enumerated() {
            if index > 0 { print("") }
            SourceTable.describe(source)
        }
    }
}

struct RemoveSourceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a source and every document it holds.")

    @OptionGroup var store: StoreOptions
    @Option(help: "The project's id or slug.") var project: String
    @Argument(help: "The source's id.") var source: String

    func run() async throws {
        guard let id = UUID(uuidString: source) else { throw ValidationError("'\(source)' is not a source id") }
        try await remove(id, from: try await store.openStore())
    }

    private func remove(_ id: UUID, from opened: some LoreStore) async throws {
        let target = try await store.resolveProject(project, in: opened)
        let engine = Engine(store: opened, embedder: nil, sourceSettings: Settings().sourceSettings(databaseURL: store.databaseURL))
        try await engine.sources.removeSource(id, from: target.id)
        await opened.close()
        Terminal.writeError("removed source \(id.uuidString.lowercased()) and its documents")
    }
}

/// A source as `lore sources` prints it.
enum SourceTable {
    static func describe(_ source: Source) {
        print("id:         \(source.id.uuidString.lowercased())")
        print("url:        \(source.displayURL)")
        print("ref:        \(source.ref)")
        print("include:    \(source.include.joined(separator: " "))")
        if !source.exclude.isEmpty { print("exclude:    \(source.exclude.joined(separator: " "))") }
        print("folder:     \(source.pathPrefix.isEmpty ? "(the whole project)" : source.pathPrefix)")
        print("interval:   \(source.intervalSeconds) s")
        print("status:     \(source.status.rawValue)")
        print("documents:  \(source.documents)")
        print("commit:     \(source.lastCommit ?? "(never synced)")")
        if let synced = source.lastSyncedAt { print("synced at:  \(synced.formatted(.iso8601))") }
        if let error = source.lastError { print("last error: \(error)") }
    }
}
