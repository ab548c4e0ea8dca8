import Foundation
import Index
import LoreTestSupport
@testable import Search
import Testing
import Vectors

/// A deterministic embedder: each word adds a fixed pseudo-random direction, so texts that
/// share words are close. Fast enough for thousands of steps, and never the same vector for
/// texts of different words (no accidental ties that would hide a leak).
struct WordHashEmbedder: Embedder {
    var modelID: String { "word-hash-64" }
    var dimension: Int { 64 }
    var maximumTokens: Int { 512 }
    /// Texts containing this word make the embedder refuse its whole batch, as a server does
    /// for an input it cannot read.
    var poison: String?

    func embed(_ texts: [String]) async throws -> [[Float]] {
        if let poison, texts.contains(where: { $0.contains(poison) }) {
            throw VectorError.embedderFailed(reason: "input rejected", retryable: false)
        }
        return texts.map(Self.vector(for:))
    }

    func tokenCount(_ text: String) -> Int? { nil }

    static func vector(for text: String) -> [Float] {
        var vector = [Float](repeating: 0, count: 64)
        for word in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
            var generator = SeededGenerator(seed: word.utf8.reduce(1469598103934665603) { ($0 ^ UInt64($1)) &* 1099511628211 })
            for index in vector.indices { vector[index] += Float(Int64(bitPattern: generator.next() % 2001) - 1000) / 1000 }
        }
        let norm = sqrt(vector.reduce(0) { $0 + $1 * $1 })
        return norm > 0 ? vector.map { $0 / norm } : [1] + [Float](repeating: 0, count: 63)
    }
}

/// Invariant under test (enforced in `SearchService.search` and `SemanticSearcher.rank`): every
/// hit belongs to a searched project and names a document that is live there.
@Suite("Tenant isolation", .serialized)
struct TenantIsolationTests {
    struct Tenant {
        var project: Project
        var live: [String: UUID] = [:]
    }

    /// The reported leak: Alice's vectors stay loaded after she deletes her document; Bob's new
    /// chunk takes the freed id; Alice's semantic search must still never show it.
    @Test(arguments: TestBackend.contract) func aDeletedDocumentsVectorNeverShowsAnotherTenantsChunk(backend: TestBackend) async throws {
        let database = try await TestDatabase.create(backend)
        try await Self.deletedVectorScenario(try await database.openStore(embeddingsEnabled: true))
    }

    static func deletedVectorScenario(_ store: some LoreStore) async throws {
        let alice = try await Self.project(in: store, owner: "alice@example.com")
        let bob = try await Self.project(in: store, owner: "bob@example.com")
        let embedder = WordHashEmbedder()
        let semantic = SemanticSearcher.make(embedder: embedder, store: store)
        let worker = EmbeddingWorker(store: store, embedder: embedder, cache: semantic.cache)
        let service = SearchService(store: store, semantic: semantic)

        let secret = try await store.createDocument(NewDocument(path: "plan.md", content: "launch plan rocket fuel"), in: alice.id)
        try await worker.drain()
        let first = try await service.search(SearchRequest(text: "rocket fuel", projectIDs: [alice.id], mode: .semantic))
        #expect(first.hits.map(\.path) == ["plan.md"])
        try await store.deleteDocument(id: secret.id, in: alice.id)
        _ = try await store.createDocument(NewDocument(path: "bob.md", content: "rocket fuel budget of bob"), in: bob.id)
        try await worker.drain()
        for mode in [SearchMode.semantic, .hybrid] {
            let response = try await service.search(SearchRequest(text: "rocket fuel", projectIDs: [alice.id], mode: mode))
            #expect(response.hits.isEmpty, "\(mode): \(response.hits.map(\.path))")
        }
    }

    /// Thousands of random writes, renames, deletes, embedding batches and searches by three
    /// users with two projects each; after every search, every hit is checked against a model
    /// of what is live where.
    @Test(arguments: TestBackend.contract) func randomOperationsNeverCrossTenants(backend: TestBackend) async throws {
        let steps = 2_000
        let seed = UInt64(ProcessInfo.processInfo.environment["LORE_PROPERTY_SEED"] ?? "") ?? 0x1050_2026
        let database = try await TestDatabase.create(backend)
        try await Self.randomOperations(try await database.openStore(embeddingsEnabled: true), steps: steps, seed: seed)
    }

    static func randomOperations(_ store: some LoreStore, steps: Int, seed: UInt64) async throws {
        var random = SeededGenerator(seed: seed)
        var tenants: [Tenant] = []
        for owner in ["alice", "bob", "carol"] {
            for name in ["Docs", "Notes"] {
                tenants.append(Tenant(project: try await Self.project(in: store, owner: "\(owner)@example.com", name: name)))
            }
        }
        let embedder = WordHashEmbedder()
        let semantic = SemanticSearcher.make(embedder: embedder, store: store)
        var worker = EmbeddingWorker(store: store, embedder: embedder, cache: semantic.cache)
        worker.batchSize = 8
        let service = SearchService(store: store, semantic: semantic)
        // A small shared vocabulary and shared paths, so that a leak would be found.
        let words = ["rocket", "fuel", "budget", "deploy", "kafka", "lag", "tls", "certificate", "rotate", "cache", "alpha", "omega"]
        let paths = ["a.md", "b.md", "notes/c.md", "notes/d.txt", "e.md"]
        func text() -> String {
            (0..<Int.random(in: 3...12, using: &random)).map { _ in words.randomElement(using: &random)! }.joined(separator: " ")
        }
        var searches = 0
        for step in 0..<steps {
            let index = Int.random(in: 0..<tenants.count, using: &random)
            let project = tenants[index].project.id
            switch Int.random(in: 0..<10, using: &random) {
            case 0, 1, 2:
                let path = paths.randomElement(using: &random)!
                let (document, _) = try await store.upsertDocument(NewDocument(path: path, content: "# \(text())\n\n\(text())\n\n## \(text())\n\(text())"), in: project)
                tenants[index].live[path] = document.id
            case 3:
                guard let (path, id) = tenants[index].live.randomElement(using: &random) else { continue }
                let target = paths.randomElement(using: &random)!
                guard tenants[index].live[target] == nil else { continue }
                _ = try await store.updateDocument(id: id, in: project, with: DocumentUpdate(content: text(), path: target))
                tenants[index].live[path] = nil
                tenants[index].live[target] = id
            case 4:
                guard let (path, id) = tenants[index].live.randomElement(using: &random) else { continue }
                try await store.deleteDocument(id: id, in: project)
                tenants[index].live[path] = nil
            case 5:
                _ = try await worker.processBatch()
            default:
                var searched = [index]
                if Bool.random(using: &random) {
                    // A user's cross-project search: both projects of the same owner.
                    searched = [index - index % 2, index - index % 2 + 1]
                }
                let ids = searched.map { tenants[$0].project.id }
                let mode = SearchMode.allCases.randomElement(using: &random)!
                let query = (0..<Int.random(in: 1...3, using: &random)).map { _ in words.randomElement(using: &random)! }.joined(separator: " ")
                let response = try await service.search(SearchRequest(text: query, projectIDs: ids, mode: mode, limit: 50))
                searches += 1
                for hit in response.hits {
                    guard let owner = searched.first(where: { tenants[$0].project.id == hit.projectId }) else {
                        Issue.record("seed \(seed) step \(step): \(mode) hit \(hit.path) of project \(hit.projectId) outside \(ids)")
                        return
                    }
                    #expect(tenants[owner].live[hit.path] == hit.documentId,
                            "seed \(seed) step \(step): \(mode) hit \(hit.path) (\(hit.documentId)) is not live in its project")
                }
            }
        }
        #expect(searches > steps / 3)
    }

    /// One input the embedder refuses fails only its own chunk, not the batch it shared with
    /// other tenants' chunks.
    @Test(arguments: TestBackend.contract) func aRefusedInputFailsOnlyItsOwnChunk(backend: TestBackend) async throws {
        let database = try await TestDatabase.create(backend)
        try await Self.refusedInputScenario(try await database.openStore(embeddingsEnabled: true))
    }

    static func refusedInputScenario(_ store: some LoreStore) async throws {
        let alice = try await Self.project(in: store, owner: "alice@example.com")
        let bob = try await Self.project(in: store, owner: "bob@example.com")
        for index in 0..<6 {
            _ = try await store.createDocument(NewDocument(path: "ok-\(index).md", content: "healthy text \(index)"), in: index % 2 == 0 ? alice.id : bob.id)
        }
        let bad = try await store.createDocument(NewDocument(path: "bad.md", content: "this holds poison"), in: bob.id)
        let worker = EmbeddingWorker(store: store, embedder: WordHashEmbedder(poison: "poison"), cache: nil)
        #expect(try await worker.processBatch() == 6)
        for project in [alice.id, bob.id] {
            let documents = try await store.documents(in: project, filter: DocumentFilter(), sort: .path, page: PageRequest())
            for document in documents.items where document.id != bad.id {
                #expect(document.embeddingStatus == .ready, "\(document.path)")
            }
        }
        #expect(try await store.document(id: bad.id, in: bob.id).embeddingStatus == .pending)
        #expect(try await store.embeddingQueueDepth() == 1)
    }

    /// A vector is stored only onto the chunk, and content, it was computed from.
    @Test(arguments: TestBackend.contract) func aVectorForOldContentIsNotStored(backend: TestBackend) async throws {
        let database = try await TestDatabase.create(backend)
        try await Self.staleVectorScenario(try await database.openStore(embeddingsEnabled: true))
    }

    static func staleVectorScenario(_ store: some LoreStore) async throws {
        let project = try await Self.project(in: store, owner: "alice@example.com")
        _ = try await store.createDocument(NewDocument(path: "a.md", content: "first words"), in: project.id)
        let pending = try #require(try await store.pendingChunks(limit: 10, now: Date()).first)
        var stale = ChunkEmbedding(pending, vector: WordHashEmbedder.vector(for: pending.text))
        stale.contentHash = String(repeating: "0", count: 64)
        #expect(try await store.saveEmbeddings([stale], model: "word-hash-64").isEmpty)
        #expect(try await store.vectors(in: project.id, model: "word-hash-64").isEmpty)
        #expect(try await store.saveEmbeddings([ChunkEmbedding(pending, vector: stale.vector)], model: "word-hash-64").count == 1)
        // Excerpts are only given for chunks of the projects asked about.
        let other = try await Self.project(in: store, owner: "bob@example.com")
        #expect(try await store.chunkExcerpts([pending.chunkID], in: [other.id]).isEmpty)
        #expect(try await store.chunkExcerpts([pending.chunkID], in: [project.id]).count == 1)
    }

    static func project(in store: some Store, owner email: String, name: String = "Docs") async throws -> Project {
        let user: User
        if let existing = try? await store.user(email: email) {
            user = existing
        } else {
            user = try await store.createUser(NewUser(email: email, name: "Owner", passwordHash: "h"))
        }
        return try await store.createProject(NewProject(ownerId: user.id, name: name)).project
    }
}
