import Foundation
import Index
import LoreTestSupport
@testable import Search
import Testing

/// Found by the scoped-access property test: a document rewritten several times leaves the
/// vectors of its old passages in the loaded index until a search meets them. When such a row
/// was the document's best, the first search dropped the row and with it the document; a
/// second identical search found it. Every search must rank a document by its live passages.
@Suite("Stale vectors in ranking")
struct StaleVectorRankingTests {
    @Test(arguments: TestBackend.contract) func aRewrittenDocumentIsFoundByTheFirstSearch(backend: TestBackend) async throws {
        let database = try await TestDatabase.create(backend)
        try await Self.scenario(try await database.openStore(embeddingsEnabled: true))
    }

    static func scenario(_ store: some LoreStore) async throws {
        let project = try await TenantIsolationTests.project(in: store, owner: "owner@example.com")
        let engine = Engine(store: store, embedder: WordHashEmbedder())
        let document = try await engine.indexer.createDocument(NewDocument(path: "a.md", content: "rocket fuel"), in: project.id)
        _ = try await engine.indexer.createDocument(NewDocument(path: "b.md", content: "kafka lag"), in: project.id)
        _ = try await engine.embedPending()
        let request = try SearchRequest(text: "rocket fuel", projectIDs: [project.id], mode: .semantic)
        #expect(try await engine.search.search(request).hits.first?.path == "a.md")
        // Three rewrites: each leaves its predecessor's vector loaded, closer to the query than
        // the live one.
        for version in 1...3 {
            _ = try await engine.indexer.updateDocument(id: document.id, in: project.id, with: DocumentUpdate(
                content: "rocket fuel " + Array(repeating: "budget", count: version * 3).joined(separator: " ")))
            _ = try await engine.embedPending()
        }
        let first = try await engine.search.search(request)
        let second = try await engine.search.search(request)
        #expect(first.hits.map(\.path) == ["a.md", "b.md"] && first.total == 2)
        #expect(second.hits.map(\.path) == first.hits.map(\.path) && second.total == first.total)
    }
}
