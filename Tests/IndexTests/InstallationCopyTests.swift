import Foundation
import LoreTestSupport
import Testing
@testable import Index

/// `lore copy`: a whole installation moves between backends and comes back the same.
@Suite("Copying an installation")
struct InstallationCopyTests {
    /// Every backend pair: SQLite to SQLite always; to and from PostgreSQL when it is configured.
    static var pairs: [(TestBackend, TestBackend)] {
        TestBackend.contract.flatMap { source in TestBackend.contract.map { (source, $0) } }
    }

    @Test(arguments: pairs)
    func copiesEverythingAndVerifiesCounts(from source: TestBackend, to target: TestBackend) async throws {
        let original = try await TemporaryStore.make(source, embeddingsEnabled: true)
        let store = original.store
        let owner = try await store.createUser(NewUser(email: "o@example.com", name: "Owner", passwordHash: "$2b$12$hash"))
        let created = try await store.createProject(NewProject(ownerId: owner.id, name: "Harbor Docs", description: "d"))
        let project = created.project
        for index in 0..<7 {
            _ = try await store.createDocument(NewDocument(
                path: "dir/doc-\(index).md", content: "# Doc \(index)\nalpha beta \(index)\n\n## Part\nrollback-deploy.md gamma",
                tags: ["t\(index % 2)"], metadata: ["n": .number(Double(index)), "ok": .bool(true)]), in: project.id)
        }
        let pending = try await store.pendingChunks(limit: 5, now: Date())
        _ = try await store.saveEmbeddings(pending.map { ChunkEmbedding($0, vector: [0.25, -0.5, 1.0]) }, model: "m")
        try await store.revokeSession(id: "revoked-jti", expiresAt: Date().addingTimeInterval(3600))
        let (scopedKey, scopedSecret) = try await store.createKey(
            NewProjectKey(name: "reader", access: .read, pathPrefix: "dir/", expiresAt: Date().addingTimeInterval(86_400)),
            in: project.id)
        // A Git source with its sync state, and a document it holds.
        let source = try await store.createSource(
            try NewSource(url: "https://example.com/handbook.git", pathPrefix: "handbook/").validated(projectID: project.id))
        let lease = try #require(try await store.claimSync(of: source.id, in: project.id, until: Date() + 30, now: Date()))
        _ = try await store.applySync(SourceSyncPlan(commit: String(repeating: "ab", count: 20), writes: [
            SourceFileWrite(document: NewDocument(path: "handbook/a.md", content: "# A\nfrom the repository"), repositoryPath: "a.md"),
        ]), lease: lease)
        let before = try await store.counts()

        let copy = try await TemporaryStore.make(target)
        let counts = try await InstallationCopier.copy(from: store, to: copy.store)
        #expect(counts == before)
        #expect(counts.vectors == 5 && counts.documents == 8 && counts.revokedSessions == 1 && counts.sources == 1)
        // The source keeps its state and secret; its document keeps its provenance.
        #expect(try await copy.store.source(id: source.id, in: project.id) == store.source(id: source.id, in: project.id))
        let held = try await copy.store.document(path: "handbook/a.md", in: project.id)
        #expect(held == (try await store.document(path: "handbook/a.md", in: project.id)))
        #expect(held.source == DocumentSource(id: source.id, commit: String(repeating: "ab", count: 20), path: "a.md"))

        // Keys, passwords, documents and vectors arrive as they were.
        #expect(try await copy.store.grant(apiKey: created.apiKey).project.id == project.id)
        let copiedGrant = try await copy.store.grant(apiKey: scopedSecret)
        #expect(copiedGrant.keyID == scopedKey.id && copiedGrant.scope == KeyScope(access: .read, pathPrefix: "dir/"))
        #expect(try await copy.store.keys(in: project.id, page: PageRequest()).items.map(\.name) == ["reader"])
        #expect(try await copy.store.user(email: "o@example.com").passwordHash == "$2b$12$hash")
        #expect(try await copy.store.isSessionRevoked(id: "revoked-jti"))
        for index in 0..<7 {
            let path = "dir/doc-\(index).md"
            #expect(try await copy.store.document(path: path, in: project.id) == store.document(path: path, in: project.id))
        }
        let vectors = try await copy.store.vectors(in: project.id, model: "m")
        #expect(vectors.count == 5 && vectors.allSatisfy { $0.vector == [0.25, -0.5, 1.0] })
        // The copy is searchable, and its chunks are still queued for embedding where they were.
        let hits = try await copy.store.searchFullText(FullTextRequest(query: try QueryParser().parse("rollback"), projectIDs: [project.id]))
        #expect(hits.total == 7)
        #expect(try await copy.store.embeddingQueueDepth() == before.chunks - 5)

        // A second copy into the same target is refused: it is not empty.
        await #expect(throws: InstallationCopyError.self) {
            _ = try await InstallationCopier.copy(from: store, to: copy.store)
        }
    }
}
