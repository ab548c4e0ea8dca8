import Foundation
import Index
import LoreTestSupport
import Search
import Synchronization
import Testing
import Vectors

/// An embedder that counts how often it embedded each text (shared by several engines, as one
/// embeddings server is shared by several processes).
final class CountingEmbedder: Embedder, Sendable {
    let base = WordHashEmbedder()
    let counts = Mutex<[String: Int]>([:])
    var modelID: String { base.modelID }
    var dimension: Int { base.dimension }
    var maximumTokens: Int { base.maximumTokens }

    func embed(_ texts: [String]) async throws -> [[Float]] {
        counts.withLock { counts in
            for text in texts { counts[text, default: 0] += 1 }
        }
        return try await base.embed(texts)
    }

    func tokenCount(_ text: String) -> Int? { nil }
}

/// The one assembly (``Engine``): writes through it are embedded by its worker, one failure
/// policy when the embedder cannot load, and engines of several processes on one database share
/// the queue without embedding a chunk twice.
@Suite("Engine", .serialized)
struct EngineTests {
    /// Runs `body` with the engine's background work running, then stops it.
    static func running<T: Sendable>(_ engine: Engine<some Store>, _ body: () async throws -> T) async throws -> T {
        let background = Task { await engine.run() }
        defer { background.cancel() }
        return try await body()
    }

    /// Polls `condition` until it holds or `seconds` pass.
    static func eventually(within seconds: Double = 20, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    @Test(arguments: TestBackend.contract)
    func aWriteThroughTheEngineIsEmbeddedAndFoundByMeaning(_ backend: TestBackend) async throws {
        let scratch = try await ScratchStore.make(backend)
        try await Self.check(store: scratch.store, project: scratch.project.id)
    }

    private static func check(store: some Store, project: UUID) async throws {
        let engine = Engine(store: store, embedder: WordHashEmbedder())
        #expect(engine.embedder == .ready(model: "word-hash-64", dimension: 64))
        try await running(engine) {
            let document = try await engine.indexer.createDocument(
                NewDocument(path: "notes/tides.md", content: "# Tides\nThe moon pulls the oceans twice a day."), in: project)
            #expect(try await eventually { try await store.document(id: document.id, in: project).embeddingStatus == .ready })
            let response = try await engine.search.search(
                try SearchRequest(text: "moon oceans", projectIDs: [project], mode: .semantic))
            #expect(response.fallbackReason == nil)
            #expect(response.mode == .semantic)
            #expect(response.hits.first?.documentId == document.id)

            // A delete leaves the loaded vector index at once: the next semantic search, with
            // vectors still loaded for the project, no longer finds it.
            _ = try await engine.indexer.createDocument(NewDocument(path: "other.md", content: "# Other\nmoon"), in: project)
            try await engine.indexer.deleteDocument(id: document.id, in: project)
            let after = try await engine.search.search(try SearchRequest(text: "moon oceans", projectIDs: [project], mode: .semantic))
            #expect(!after.hits.contains { $0.documentId == document.id })
        }
    }

    @Test func anEmbedderThatCannotLoadLeavesFullTextAndSaysWhy() async throws {
        let scratch = try await ScratchStore.make(.sqlite)
        try await Self.checkUnavailable(store: scratch.store, project: scratch.project.id, folder: scratch.folder)
    }

    private static func checkUnavailable(store: some Store, project: UUID, folder: URL) async throws {
        var settings = EmbedderSettings(kind: .builtin, modelDirectory: folder.appendingPathComponent("no-model").path)
        settings.kind = .builtin
        let engine = await Engine.start(store: store, options: EngineOptions(embedder: settings), logger: .init(label: "test"))
        guard case .unavailable(let reason) = engine.embedder else {
            Issue.record("expected the embedder to be unavailable, got \(engine.embedder)")
            return
        }
        #expect(!reason.isEmpty)
        #expect(engine.embedder.summary == "unavailable")
        _ = try await engine.indexer.createDocument(NewDocument(path: "a.md", content: "# A\nanchors and chains"), in: project)
        let response = try await engine.search.search(try SearchRequest(text: "anchors", projectIDs: [project], mode: .hybrid))
        #expect(response.mode == .fulltext)
        #expect(response.fallbackReason == "the embedder could not be loaded")
        #expect(response.hits.count == 1)
        #expect(try await engine.embedPending() == 0)

        let none = await Engine.start(store: store, options: EngineOptions(embedder: EmbedderSettings(kind: .none)), logger: .init(label: "test"))
        #expect(none.embedder == .disabled)
        let plain = try await none.search.search(try SearchRequest(text: "anchors", projectIDs: [project], mode: .semantic))
        #expect(plain.fallbackReason == "no embedder is configured")
    }

    /// Invariant (claims with a lease, `EmbeddingStore.pendingChunks`): engines of several
    /// processes on one database embed every chunk exactly once, and each finds by meaning what
    /// the others wrote (their vectors reach its loaded index through the change feed).
    @Test(arguments: TestBackend.contract)
    func twoEnginesOnOneDatabaseEmbedEveryChunkOnce(_ backend: TestBackend) async throws {
        let database = try await TestDatabase.create(backend)
        let first = try await database.openStore(embeddingsEnabled: true)
        let second = try await database.openStore(embeddingsEnabled: true)
        try await Self.checkTwoEngines(first, second)
        await first.close()
        await second.close()
        _ = database
    }

    private static func checkTwoEngines(_ firstStore: some Store, _ secondStore: some Store) async throws {
        let user = try await firstStore.createUser(NewUser(email: "o@example.com", name: "O", passwordHash: "h"))
        let project = try await firstStore.createProject(NewProject(ownerId: user.id, name: "Docs")).project.id
        let embedder = CountingEmbedder()
        let first = Engine(store: firstStore, embedder: embedder)
        let second = Engine(store: secondStore, embedder: embedder)
        // Both engines load the project's (empty) vector index before any write, so what they
        // find later comes from their own worker or from the other's announced vectors.
        _ = try? await first.search.search(try SearchRequest(text: "warmup", projectIDs: [project], mode: .semantic))
        _ = try? await second.search.search(try SearchRequest(text: "warmup", projectIDs: [project], mode: .semantic))
        let count = 200
        try await running(first) {
            try await running(second) {
                // Both now follow each other's changes (the subscriptions start with `run`).
                try await Task.sleep(for: .milliseconds(300))
                async let evens: Void = writeNotes(through: first, from: 0, to: count, in: project)
                async let odds: Void = writeNotes(through: second, from: 1, to: count, in: project)
                _ = try await (evens, odds)
                #expect(try await eventually(within: 60) { try await firstStore.embeddingQueueDepth() == 0 })
                // Each engine finds, by meaning, a document the other one wrote and embedded.
                #expect(try await eventually {
                    let hit = try await first.search.search(try SearchRequest(text: "word1", projectIDs: [project], mode: .semantic))
                    return hit.fallbackReason == nil && hit.hits.first?.path == "d/1.md"
                })
                #expect(try await eventually {
                    let hit = try await second.search.search(try SearchRequest(text: "word0", projectIDs: [project], mode: .semantic))
                    return hit.fallbackReason == nil && hit.hits.first?.path == "d/0.md"
                })
            }
        }
        let stats = try await firstStore.stats(projectID: project)
        #expect(stats.chunks == count && stats.embeddedChunks == count)
        // Chunk texts only: the searches above embedded their queries too.
        let counts = embedder.counts.withLock { $0 }.filter { $0.key.contains("appears here only") }
        #expect(counts.count == count, "every chunk's text was embedded")
        #expect(counts.values.allSatisfy { $0 == 1 }, "no chunk was embedded twice: \(counts.filter { $0.value > 1 }.keys.sorted())")
    }

    /// Writes every other note from `start`, each with a word of its own.
    private static func writeNotes(through engine: Engine<some Store>, from start: Int, to end: Int, in project: UUID) async throws {
        for index in stride(from: start, to: end, by: 2) {
            _ = try await engine.indexer.createDocument(NewDocument(
                path: "d/\(index).md", content: "# Note \(index)\nword\(index) appears here only."), in: project)
        }
    }
}
