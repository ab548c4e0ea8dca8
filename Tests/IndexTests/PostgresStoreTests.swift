import Foundation
import LoreTestSupport
import PostgresNIO
import Testing
@testable import Index

/// What only the PostgreSQL store does: instances sharing one database, TLS modes, timeouts.
@Suite("PostgreSQL: several instances, TLS, timeouts", .enabled(if: TestBackend.contract.contains(.postgres)))
struct PostgresStoreTests {
    /// Two stores (two instances) on one new database, with embeddings enabled.
    func twoInstances() async throws -> (TestDatabase, PostgresStore, PostgresStore) {
        let database = try await TestDatabase.create(.postgres)
        let first = try await database.openStore(embeddingsEnabled: true)
        let second = try await database.openStore(embeddingsEnabled: true)
        return (database, try #require(first as? PostgresStore), try #require(second as? PostgresStore))
    }

    func makeProject(in store: PostgresStore) async throws -> ProjectWithKey {
        let user = try await store.createUser(NewUser(email: "o@example.com", name: "O", passwordHash: "h"))
        return try await store.createProject(NewProject(ownerId: user.id, name: "Docs"))
    }

    @Test func twoWorkersNeverClaimTheSameChunk() async throws {
        let (database, first, second) = try await twoInstances()
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
        #expect(!a.isEmpty && !b.isEmpty, "both workers got work")
        // A claim is a lease: the chunks stay queued and come back once it lapses.
        #expect(try await first.embeddingQueueDepth() == total)
        let later = Date().addingTimeInterval(PostgresStore.claimLease + 1)
        #expect(try await second.pendingChunks(limit: 1_000, now: later).count == total)
        _ = database
    }

    /// Claims batches of 7 until nothing is left.
    static func claimAll(_ store: PostgresStore) async throws -> [Int64] {
        var claimed: [Int64] = []
        while true {
            let batch = try await store.pendingChunks(limit: 7, now: Date())
            if batch.isEmpty { return claimed }
            claimed += batch.map(\.chunkID)
            await Task.yield()
        }
    }

    @Test func changesReachTheOtherInstanceButNotTheSender() async throws {
        let (database, first, second) = try await twoInstances()
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

        // The sender's own notifications are not handed back to it: the next thing its stream
        // sees is a change the other instance made.
        try await second.revokeSession(id: "jti-2", expiresAt: Date().addingTimeInterval(60))
        #expect(await echoed.next() == .sessionRevoked("jti-2"))
        _ = database
    }

    @Test func tlsModesConnectAsConfigured() async throws {
        let base = try #require(TestBackend.postgresURL)
        let authority = try #require(ProcessInfo.processInfo.environment["LORE_TEST_POSTGRES_CA"])
        let stranger = try #require(ProcessInfo.processInfo.environment["LORE_TEST_POSTGRES_OTHER_CA"])
        func usesTLS(_ parameters: String) async throws -> Bool {
            let store = try await PostgresStore(url: base + "?" + parameters)
            defer { Task { await store.close() } }
            return try await store.rows("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")[0].value("ssl", as: Bool.self)
        }
        #expect(try await usesTLS("sslmode=verify-full&sslrootcert=\(authority)"))
        #expect(try await usesTLS("sslmode=require"))
        #expect(try await usesTLS("sslmode=prefer"))
        #expect(try await !usesTLS("sslmode=disable"))
        await #expect {
            _ = try await PostgresStore(url: base + "?sslmode=verify-full&sslrootcert=\(stranger)")
        } throws: { error in
            guard case .storage(let reason) = error as? IndexError else { return false }
            return reason.contains("CERTIFICATE_VERIFY_FAILED")
        }
    }

    @Test func wrongCredentialsAndStatementTimeoutsAreClearErrors() async throws {
        let base = try #require(TestBackend.postgresURL)
        var wrong = try #require(URLComponents(string: base))
        wrong.password = "not-the-password"
        let started = ContinuousClock.now
        await #expect {
            _ = try await PostgresStore(url: wrong.string!)
        } throws: { error in
            guard case .storage(let reason) = error as? IndexError else { return false }
            return reason.contains("password authentication failed")
        }
        #expect(ContinuousClock.now - started < .seconds(5), "a bad password fails at once, not after the pool's retries")

        // Migrated first under the default timeout: opening runs the migration check under an
        // advisory lock, which tests running alongside may hold for longer than the 300 ms.
        await (try await PostgresStore(url: base)).close()
        let store = try await PostgresStore(url: base + "?statement_timeout=300")
        await #expect {
            _ = try await store.rows("SELECT pg_sleep(2)")
        } throws: { error in
            guard case .storage(let reason) = error as? IndexError else { return false }
            return reason.contains("statement timeout")
        }
        try await store.ping()
        await store.close()
    }

    /// With every connection busy (or the server gone), a query gives up after the connect
    /// timeout with a storage error (a 503), instead of queueing in the pool for a minute.
    @Test func waitingForAConnectionIsBoundedByTheConnectTimeout() async throws {
        let base = try #require(TestBackend.postgresURL)
        let store = try await PostgresStore(url: base + "?pool_size=1&connect_timeout=1")
        let holder = Task { try await store.rows("SELECT pg_sleep(4)") }
        try await Task.sleep(for: .milliseconds(300))
        await #expect {
            _ = try await store.rows("SELECT 1")
        } throws: { error in
            guard case .storage(let reason) = error as? IndexError else { return false }
            return reason.contains("no database connection within")
        }
        _ = try await holder.value
        #expect(try await store.rows("SELECT 1 AS one")[0].value("one", as: Int.self) == 1)
        await store.close()
    }
}
