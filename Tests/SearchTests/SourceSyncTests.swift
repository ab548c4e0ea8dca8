import Foundation
import Index
import LoreTestSupport
import Search
import Synchronization
import Testing
import Vectors

/// Git sources (SPEC §11) against real repositories and real stores: after every sync the
/// source's documents are exactly the selected, readable files of the head commit, with their
/// provenance, found by full text and by meaning; only changed chunks are embedded again.
@Suite("Source sync", .serialized)
struct SourceSyncTests {
    static let prefix = "handbook/"

    /// What the project must hold after a sync of `repository`: the selected, readable files.
    static func expectedDocuments(_ repository: GitRepositoryFixture) throws -> [String: String] {
        var expected: [String: String] = [:]
        let include = Source.defaultInclude.map(PathPattern.init)
        for (path, data) in try repository.files() where PathPattern.selects(path, include: include, exclude: []) {
            guard !data.contains(0), let text = String(data: data, encoding: .utf8) else { continue }
            expected[prefix + path] = text
        }
        return expected
    }

    /// Checks the invariant of a finished sync; returns the documents by path.
    @discardableResult
    static func checkMirrors(_ repository: GitRepositoryFixture, engine: Engine<some Store>, project: UUID, source: UUID,
                             sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Document] {
        let head = try repository.head()
        let listed = try await engine.store.documents(in: project, filter: DocumentFilter(pathPrefix: prefix), sort: .path,
                                                      page: try PageRequest(offset: 0, limit: 100))
        var documents: [String: Document] = [:]
        for summary in listed.items { documents[summary.path] = try await engine.store.document(id: summary.id, in: project) }
        let expected = try expectedDocuments(repository)
        #expect(documents.mapValues(\.content) == expected, sourceLocation: sourceLocation)
        for (path, document) in documents {
            #expect(document.source == DocumentSource(id: source, commit: head, path: String(path.dropFirst(prefix.count))),
                    "provenance of \(path)", sourceLocation: sourceLocation)
        }
        let stored = try await engine.store.source(id: source, in: project)
        #expect(stored.lastCommit == head && stored.lastError == nil && stored.status == .idle && stored.documents == expected.count,
                sourceLocation: sourceLocation)
        return documents
    }

    static func search(_ engine: Engine<some Store>, _ text: String, _ mode: SearchMode, in project: UUID) async throws -> [SearchHit] {
        try await engine.search.search(try SearchRequest(text: text, projectIDs: [project], mode: mode)).hits
    }

    @Test(arguments: TestBackend.contract)
    func aScriptedHistoryIsMirroredExactly(_ backend: TestBackend) async throws {
        let scratch = try await ScratchStore.make(backend)
        try await Self.scriptedHistory(store: scratch.store, project: scratch.project.id, folder: scratch.folder)
    }

    private static func scriptedHistory(store: some Store, project: UUID, folder: URL) async throws {
        let repository = try GitRepositoryFixture()
        let embedder = CountingEmbedder()
        let engine = Engine(store: store, embedder: embedder,
                            sourceSettings: SourceSettings(directory: folder.appendingPathComponent("sources")))
        func embeddedTexts() -> Int { embedder.counts.withLock { $0.values.reduce(0, +) } }
        func drain() async throws { _ = try await engine.embedPending() }

        try repository.write("docs/alpha.md", "# Alpha\n\nTurbines spin in the alpha wind tunnel.\n")
        try repository.write("docs/beta.md", "# Beta\n\nBeta notes about boundary layers.\n")
        try repository.write("guide/gamma.md", "# Gamma\n\nGamma guide to compressors.\n\n## Details\n\nGamma rotor details.\n")
        try repository.write("readme.txt", "Readme with the word zeppelin.\n")
        try repository.write("src/main.swift", "print(\"outside the globs\")\n")
        try repository.write("docs/blob.md", Data([0x23, 0x20, 0x00, 0x01, 0x02]))
        try repository.write("docs/latin1.md", Data([0x23, 0x20, 0x63, 0x61, 0x66, 0xE9, 0x0A]))
        let first = try repository.commit("first")
        let source = try await engine.sources.addSource(NewSource(url: repository.path, pathPrefix: prefix), to: project)

        // 1. First sync: the whole tree; binary and non-UTF-8 files are skipped with a reason.
        var report = try await engine.sources.sync(source.id, in: project)
        #expect(report.commit == first && report.fullComparison)
        #expect(report.outcome.created == 4)
        #expect(Set(report.skipped.map(\.path)) == ["docs/blob.md", "docs/latin1.md"])
        #expect(report.skipped.first { $0.path == "docs/blob.md" }?.reason == "a binary file")
        #expect(report.skipped.first { $0.path == "docs/latin1.md" }?.reason == "not valid UTF-8 text")
        var documents = try await checkMirrors(repository, engine: engine, project: project, source: source.id)
        try await drain()
        #expect(embeddedTexts() > 0)
        #expect(try await search(engine, "zeppelin", .fulltext, in: project).first?.path == prefix + "readme.txt")
        let semanticHit = try await search(engine, "turbines alpha wind", .semantic, in: project).first
        #expect(semanticHit?.path == prefix + "docs/alpha.md")
        #expect(semanticHit?.source == DocumentSource(id: source.id, commit: first, path: "docs/alpha.md"))
        // Counted after the searches: their queries are embedded too.
        let chunksAtFirst = embeddedTexts()

        // 2. A modified file: one update, only its chunks embedded again.
        try repository.write("docs/alpha.md", "# Alpha\n\nTurbines spin in the alpha wind tunnel, now at night.\n")
        try repository.commit("modify alpha")
        report = try await engine.sources.sync(source.id, in: project)
        #expect(!report.fullComparison && report.outcome.updated == 1 && report.outcome.changed == 1)
        let alphaID = documents[prefix + "docs/alpha.md"]?.id
        documents = try await checkMirrors(repository, engine: engine, project: project, source: source.id)
        #expect(documents[prefix + "docs/alpha.md"]?.id == alphaID)
        try await drain()
        #expect(embeddedTexts() - chunksAtFirst == 1)

        // 3. A rename keeps the document, its chunks and their embeddings.
        let betaID = documents[prefix + "docs/beta.md"]?.id
        try repository.move("docs/beta.md", to: "docs/renamed-beta.md")
        try repository.commit("rename beta")
        var before = embeddedTexts()
        report = try await engine.sources.sync(source.id, in: project)
        #expect(report.outcome.moved == 1 && report.outcome.changed == 1)
        documents = try await checkMirrors(repository, engine: engine, project: project, source: source.id)
        #expect(documents[prefix + "docs/renamed-beta.md"]?.id == betaID)
        try await drain()
        #expect(embeddedTexts() == before)
        #expect(try await search(engine, "boundary layers", .semantic, in: project).first?.path == prefix + "docs/renamed-beta.md")

        // 4. A move to another folder with an edit: the same document, only the edited chunk re-embedded.
        let gammaID = documents[prefix + "guide/gamma.md"]?.id
        try repository.move("guide/gamma.md", to: "archive/gamma.md")
        try repository.write("archive/gamma.md", "# Gamma\n\nGamma guide to compressors.\n\n## Details\n\nGamma rotor details, revised.\n")
        let afterMove = try repository.commit("move gamma")
        before = embeddedTexts()
        report = try await engine.sources.sync(source.id, in: project)
        #expect(report.outcome.moved == 1)
        documents = try await checkMirrors(repository, engine: engine, project: project, source: source.id)
        #expect(documents[prefix + "archive/gamma.md"]?.id == gammaID)
        try await drain()
        #expect(embeddedTexts() - before == 1)

        // 5. A delete: the document leaves both indexes.
        try repository.remove("readme.txt")
        try repository.commit("delete readme")
        report = try await engine.sources.sync(source.id, in: project)
        #expect(report.outcome.deleted == 1 && report.outcome.deletedDocumentIDs.count == 1)
        try await checkMirrors(repository, engine: engine, project: project, source: source.id)
        #expect(try await search(engine, "zeppelin", .fulltext, in: project).isEmpty)

        // 6. Nothing new: nothing written, nothing embedded.
        before = embeddedTexts()
        report = try await engine.sources.sync(source.id, in: project)
        #expect(report.outcome.changed == 0)
        try await drain()
        #expect(embeddedTexts() == before)

        // 7. A force-push (history rewritten to before the delete, then a new commit): the
        //    whole tree is compared by content and the project follows it exactly.
        try repository.reset(to: afterMove)
        try repository.write("docs/delta.md", "# Delta\n\nDelta wing at supersonic speed.\n")
        let rewritten = try repository.commit("rewritten history")
        report = try await engine.sources.sync(source.id, in: project)
        #expect(report.fullComparison && report.commit == rewritten)
        #expect(report.outcome.created == 2 && report.outcome.updated == 0 && report.outcome.deleted == 0)
        try await checkMirrors(repository, engine: engine, project: project, source: source.id)
        #expect(try await search(engine, "zeppelin", .fulltext, in: project).first?.source?.commit == rewritten)

        // 8. The repository is the truth: writes through the engine are refused.
        let owned = try #require(documents[prefix + "docs/alpha.md"])
        await #expect(throws: IndexError.sourceOwned(path: owned.path)) {
            _ = try await engine.indexer.updateDocument(id: owned.id, in: project, with: DocumentUpdate(content: "# Mine"))
        }
        await #expect(throws: IndexError.sourceOwned(path: owned.path)) {
            try await engine.indexer.deleteDocument(id: owned.id, in: project)
        }
        await #expect(throws: IndexError.sourceOwned(path: owned.path)) {
            _ = try await engine.indexer.upsertDocument(NewDocument(path: owned.path, content: "# Mine"), in: project)
        }
        let bulk = try await engine.indexer.writeDocuments([NewDocument(path: owned.path, content: "# Mine")], mode: .upsert, in: project)
        if case .failure(let error)? = bulk.first?.result {
            #expect(error == .sourceOwned(path: owned.path))
        } else {
            Issue.record("a bulk upsert over a source's document was not refused: \(String(describing: bulk.first))")
        }
        try await checkMirrors(repository, engine: engine, project: project, source: source.id)

        // 9. A failed sync changes nothing and says why; the next one recovers.
        _ = try await store.updateSource(id: source.id, in: project, with: SourceUpdate(ref: "no-such-branch"))
        try repository.write("docs/epsilon.md", "# Epsilon\n")
        try repository.commit("not fetched")
        await #expect(throws: SourceSyncError.self) { _ = try await engine.sources.sync(source.id, in: project) }
        let failed = try await store.source(id: source.id, in: project)
        #expect(failed.status == .error && failed.lastError?.contains("no-such-branch") == true && failed.lastCommit == rewritten)
        #expect(try await store.documents(in: project, filter: DocumentFilter(pathPrefix: prefix), sort: .path,
                                          page: try PageRequest(offset: 0, limit: 100)).total == 5)
        _ = try await store.updateSource(id: source.id, in: project, with: SourceUpdate(ref: "main"))
        _ = try await engine.sources.sync(source.id, in: project)
        try await checkMirrors(repository, engine: engine, project: project, source: source.id)

        // 10. New filters compare the whole tree: excluded files leave, included ones arrive.
        _ = try await store.updateSource(id: source.id, in: project, with: SourceUpdate(exclude: ["archive/**"]))
        report = try await engine.sources.sync(source.id, in: project)
        #expect(report.fullComparison && report.outcome.deleted == 1)
        let remaining = try await store.documents(in: project, filter: DocumentFilter(pathPrefix: prefix + "archive/"), sort: .path,
                                                  page: try PageRequest(offset: 0, limit: 10))
        #expect(remaining.total == 0)

        // 11. Removing the source removes its documents.
        try await engine.sources.removeSource(source.id, from: project)
        #expect(try await store.documents(in: project, filter: DocumentFilter(pathPrefix: prefix), sort: .path,
                                          page: try PageRequest(offset: 0, limit: 10)).total == 0)
    }

    /// Invariant (`SourceStore.claimSync`): two engines on one database racing to sync one source
    /// never both sync it at once — the loser is told `busy` — and the project ends exactly at the
    /// head, each document once.
    @Test(arguments: TestBackend.contract)
    func twoInstancesRacingSyncOneSourceOnceAtATime(_ backend: TestBackend) async throws {
        let database = try await TestDatabase.create(backend)
        let first = try await database.openStore()
        let second = try await database.openStore()
        try await Self.race(first, second, folder: database.folder)
        await first.close()
        await second.close()
        _ = database
    }

    private static func race(_ firstStore: some Store, _ secondStore: some Store, folder: URL) async throws {
        let user = try await firstStore.createUser(NewUser(email: "r@example.com", name: "R", passwordHash: "h"))
        let project = try await firstStore.createProject(NewProject(ownerId: user.id, name: "Race")).project.id
        let repository = try GitRepositoryFixture()
        for index in 0..<40 { try repository.write("docs/\(index).md", "# Note \(index)\n\nword\(index) text.\n") }
        try repository.commit("forty notes")
        let firstEngine = Engine(store: firstStore, embedder: nil, sourceSettings: SourceSettings(directory: folder.appendingPathComponent("one")))
        let secondEngine = Engine(store: secondStore, embedder: nil, sourceSettings: SourceSettings(directory: folder.appendingPathComponent("two")))
        let source = try await firstEngine.sources.addSource(NewSource(url: "file://" + repository.path, pathPrefix: prefix), to: project)
        for round in 0..<6 {
            try repository.write("docs/\(round).md", "# Note \(round)\n\nround \(round) changed it.\n")
            if round % 2 == 1 { try repository.move("docs/\(round + 20).md", to: "moved/\(round + 20).md") }
            try repository.commit("round \(round)")
            async let one = Self.outcome { () async throws(SourceSyncError) in try await firstEngine.sources.sync(source.id, in: project) }
            async let two = Self.outcome { () async throws(SourceSyncError) in try await secondEngine.sources.sync(source.id, in: project) }
            let outcomes = await [one, two]
            #expect(outcomes.contains("synced"), "round \(round): \(outcomes)")
            #expect(outcomes.allSatisfy { $0 == "synced" || $0 == "busy" }, "round \(round): \(outcomes)")
            // Whoever lost syncs now, and finds nothing left to do.
            let settled = try await secondEngine.sources.sync(source.id, in: project)
            #expect(settled.outcome.changed == 0)
            try await checkMirrors(repository, engine: firstEngine, project: project, source: source.id)
        }
    }

    private static func outcome(_ sync: () async throws(SourceSyncError) -> SourceSyncReport) async -> String {
        do {
            _ = try await sync()
            return "synced"
        } catch {
            return error == .busy ? "busy" : "\(error)"
        }
    }
}
