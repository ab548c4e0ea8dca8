import Foundation
import LoreTestSupport
import Testing
@testable import Index

/// Several processes on one database (a server and an agent's `lore mcp` on one SQLite file,
/// instances on one PostgreSQL): each claims its own share of the embedding queue and hears the
/// changes the others commit.
@Suite("Stores shared by several processes")
struct SharedDatabaseTests {
    /// Two stores (two processes) on one new database, with embeddings enabled.
    func twoInstances(_ backend: TestBackend) async throws -> (TestDatabase, any LoreStore, any LoreStore) {
        let database = try await TestDatabase.create(backend)
        let first = try await database.openStore(embeddingsEnabled: true)
        let second = try await database.openStore(embeddingsEnabled: true)
        return (database, first, second)
    }

    func makeProject(in store: some Store) async throws -> ProjectWithKey {
        let user = try await store.createUser(NewUser(email: "o@example.com", name: "O", passwordHash: "h"))
        return try await store.createProject(NewProject(ownerId: user.id, name: "Docs"))
    }

    @Test(arguments: TestBackend.contract)
    func twoWorkersNeverClaimTheSameChunk(_ backend: TestBackend) async throws {
        let (database, first, second) = try await twoInstances(backend)
        let project = try await makeProject(in: first).project
        let documents = (0..<60).map { NewDocument(path: "d\($0).md", content: "# D\($0)\nparagraph \($0)\n\nmore text \($0)") }
        _ = try await first.writeDocuments(documents, mode: .create, in: project.id)
        let total = try await first.embeddingQueueDepth()
        #expect(total >= 60)

        async let fromFirst = Self.claimAll(first)
        async let fromSecond = Self.claimAll(second)
        let (a, b) = try await (fromFirst, fromSecond)
        #expect(Set(a).isDisjoint(with: Set(b)), "no chunk was handed to both workers")
        #expect(a.count + b.count == total && Set(a + b).count == total, "every chunk was handed out once")
        // A claim is a lease: the chunks stay queued and come back once it lapses.
        #expect(try await first.embeddingQueueDepth() == total)
        #expect(try await second.pendingChunks(limit: 1_000, now: Date()).isEmpty, "claimed chunks are not handed out again")
        let later = Date().addingTimeInterval(EmbeddingClaim.lease + 1)
        #expect(try await second.pendingChunks(limit: 1_000, now: later).count == total)
        await first.close()
        await second.close()
        _ = database
    }

    /// Claims batches of 7 until nothing is left.
    static func claimAll(_ store: some Store) async throws -> [Int64] {
        var claimed: [Int64] = []
        while true {
            let batch = try await store.pendingChunks(limit: 7, now: Date())
            if batch.isEmpty { return claimed }
            claimed += batch.map(\.chunkID)
            await Task.yield()
        }
    }

    @Test(arguments: TestBackend.contract)
    func changesReachTheOtherInstanceButNotTheSender(_ backend: TestBackend) async throws {
        let (database, first, second) = try await twoInstances(backend)
        var received = second.changes().makeAsyncIterator()
        var echoed = first.changes().makeAsyncIterator()
        let created = try await makeProject(in: first)
        let project = created.project

        _ = try await first.rotateAPIKey(projectID: project.id)
        #expect(await received.next() == .project(project.id))
        try await first.revokeSession(id: "jti-1", expiresAt: Date().addingTimeInterval(60))
        #expect(await received.next() == .sessionRevoked("jti-1"))
        let document = try await first.createDocument(NewDocument(path: "a.md", content: "# A\nalpha"), in: project.id)
        let chunk = try #require(try await first.pendingChunks(limit: 10, now: Date()).first)
        _ = try await first.saveEmbeddings([ChunkEmbedding(chunk, vector: Array(repeating: 0.5, count: 4))], model: "test-model")
        #expect(await received.next() == .vectors(project: project.id, chunkIDs: [chunk.chunkID]))
        let vectors = try await second.vectors(chunkIDs: [chunk.chunkID], model: "test-model")
        #expect(vectors[project.id]?.first?.documentID == document.id)
        _ = try await first.updateProject(id: project.id, name: "Renamed", description: nil)
        #expect(await received.next() == .project(project.id))

        // The sender's own changes are not handed back to it: the next thing its stream sees is
        // a change the other instance made.
        try await second.revokeSession(id: "jti-2", expiresAt: Date().addingTimeInterval(60))
        #expect(await echoed.next() == .sessionRevoked("jti-2"))
        await first.close()
        await second.close()
        _ = database
    }

    /// A subscriber that fell behind the change log's retention starts afresh (`.resynchronize`)
    /// rather than missing changes silently.
    @Test func aSQLiteSubscriberThatMissedPrunedChangesResynchronizes() async throws {
        let (database, first, second) = try await twoInstances(.sqlite)
        let sqlite = try #require(first as? SQLiteStore)
        var received = second.changes().makeAsyncIterator()
        _ = try await makeProject(in: first)
        try await sqlite.write { db in
            // Two changes, then the first pruned before the other process read it.
            try sqlite.announce(.sessionRevoked("a"), in: db)
            try sqlite.announce(.sessionRevoked("b"), in: db)
            try db.execute(sql: "DELETE FROM change_log WHERE id = (SELECT MIN(id) FROM change_log)")
        }
        #expect(await received.next() == .resynchronize)
        #expect(await received.next() == .sessionRevoked("b"))
        await first.close()
        await second.close()
        _ = database
    }
}
