import Foundation
import Index
import LoreTestSupport
@testable import Search
import Testing
import Vectors

/// The real all-MiniLM-L6-v2 over the sample project.
enum RealModel {
    static let directory: URL = {
        if let path = ProcessInfo.processInfo.environment["LORE_MODEL_DIR"] { return URL(fileURLWithPath: path) }
        return Fixtures.packageRoot.appendingPathComponent("models/all-MiniLM-L6-v2")
    }()

    static let embedder: MiniLMEmbedder? = try? MiniLMEmbedder(modelDirectory: directory)
}

/// The sample project imported and embedded once, copied for each test that changes it.
actor EmbeddedSample {
    static let shared = EmbeddedSample()
    private var template: ScratchStore?

    /// A fresh store holding the embedded sample project (a copy of one embedded template).
    func make(_ backend: TestBackend = .sqlite) async throws -> ScratchStore {
        let embedder = try #require(RealModel.embedder, "the model is in models/ (scripts/fetch-model)")
        if template == nil {
            let scratch = try await ScratchStore.make()
            _ = try await scratch.importFiles()
            let embedded = try await scratch.embedAll(with: embedder)
            #expect(embedded == (try await scratch.store.stats(projectID: scratch.project.id)).chunks)
            #expect(try await scratch.store.embeddingQueueDepth() == 0)
            template = scratch
        }
        return try await template!.copy(to: backend)
    }
}

@Suite("Hybrid search with the real model", .serialized)
struct HybridSearchTests {
    /// The sample project, fully embedded, with a search service over it.
    func embeddedSample(_ backend: TestBackend) async throws -> (ScratchStore, TestSearchService) {
        let embedder = try #require(RealModel.embedder, "the model is in models/ (scripts/fetch-model)")
        let scratch = try await EmbeddedSample.shared.make(backend)
        let semantic = SemanticSearcher.make(embedder: embedder, store: scratch.store)
        return (scratch, scratch.service(semantic: semantic))
    }

    @Test(arguments: TestBackend.contract) func meaningFindsWhatWordsMiss(backend: TestBackend) async throws {
        let (scratch, service) = try await embeddedSample(backend)
        let text = "what to do when the primary database server dies"
        let semantic = try await service.search(try SearchRequest(text: text, projectIDs: [scratch.project.id], mode: .semantic))
        #expect(semantic.mode == .semantic && semantic.fallbackReason == nil)
        #expect(semantic.hits.prefix(3).contains { $0.path == "runbooks/database-failover.md" }, "\(semantic.hits.prefix(3).map(\.path))")
        #expect(semantic.hits.first?.matchedBy == ["semantic"])

        let hybrid = try await service.search(try SearchRequest(text: text, projectIDs: [scratch.project.id], mode: .hybrid))
        #expect(hybrid.mode == .hybrid)
        #expect(hybrid.hits.prefix(3).contains { $0.path == "runbooks/database-failover.md" })
        #expect(hybrid.hits.contains { $0.matchedBy == ["fulltext", "semantic"] })
        let document = try await scratch.store.document(path: "runbooks/database-failover.md", in: scratch.project.id)
        #expect(document.embeddingStatus == .ready)
    }

    @Test(arguments: TestBackend.contract) func hybridKeepsTheObviousKeywordAnswers(backend: TestBackend) async throws {
        let (scratch, service) = try await embeddedSample(backend)
        for item in Fixtures.loadRankingQueries() {
            let response = try await service.search(try SearchRequest(text: item.query, projectIDs: [scratch.project.id], mode: .hybrid))
            #expect(response.hits.prefix(3).contains { $0.path == item.expected }, "\(item.query): \(response.hits.prefix(3).map(\.path))")
        }
    }

    @Test(arguments: TestBackend.contract) func filtersAndPagingApplyToBothPaths(backend: TestBackend) async throws {
        let (scratch, service) = try await embeddedSample(backend)
        let filtered = try await service.search(try SearchRequest(
            text: "rotating secrets safely", projectIDs: [scratch.project.id], mode: .hybrid,
            filter: DocumentFilter(pathPrefix: "runbooks/")))
        #expect(!filtered.hits.isEmpty && filtered.hits.allSatisfy { $0.path.hasPrefix("runbooks/") })
        var seen: [String] = []
        for offset in [0, 5, 10] {
            let page = try await service.search(try SearchRequest(
                text: "deploy", projectIDs: [scratch.project.id], mode: .hybrid, offset: offset, limit: 5))
            seen += page.hits.map(\.path)
        }
        #expect(Set(seen).count == seen.count, "pages never repeat a hit")
    }

    @Test(arguments: TestBackend.contract) func changedDocumentsAreReembeddedAndOldVectorsForgotten(backend: TestBackend) async throws {
        let (scratch, service) = try await embeddedSample(backend)
        let embedder = try #require(RealModel.embedder)
        let document = try await scratch.store.document(path: "runbooks/disk-full.md", in: scratch.project.id)
        let updated = try await scratch.store.updateDocument(id: document.id, in: scratch.project.id, with: DocumentUpdate(
            content: "# Disk full\nWhen the volume fills up, delete old write-ahead log segments and grow the disk."))
        #expect(updated.embeddingStatus == .pending)
        try await scratch.embedAll(with: embedder, cache: service.semantic?.cache)
        #expect(try await scratch.store.document(id: document.id, in: scratch.project.id).embeddingStatus == .ready)
        let response = try await service.search(try SearchRequest(
            text: "storage volume is out of space", projectIDs: [scratch.project.id], mode: .semantic))
        #expect(response.hits.first?.path == "runbooks/disk-full.md")
    }

    @Test(arguments: TestBackend.contract) func aFailingEmbedderFallsBackToFullText(backend: TestBackend) async throws {
        let scratch = try await EmbeddedSample.shared.make(backend)
        let broken = SemanticSearcher.make(embedder: UnreachableEmbedder(), store: scratch.store)
        let service = scratch.service(semantic: broken)
        let response = try await service.search(try SearchRequest(text: "kafka consumer lag", projectIDs: [scratch.project.id]))
        #expect(response.mode == .fulltext && response.requestedMode == .hybrid)
        #expect(response.fallbackReason != nil)
        #expect(response.hits.first?.path == "runbooks/kafka-consumer-lag.md")
    }

    @Test(arguments: TestBackend.contract) func aProjectWithoutVectorsFallsBackToFullText(backend: TestBackend) async throws {
        let embedder = try #require(RealModel.embedder)
        let scratch = try await ScratchStore.make(backend)
        _ = try await scratch.importFiles()
        let service = scratch.service(semantic: SemanticSearcher.make(embedder: embedder, store: scratch.store))
        let response = try await service.search(try SearchRequest(text: "kafka consumer lag", projectIDs: [scratch.project.id], mode: .semantic))
        #expect(response.mode == .fulltext && response.fallbackReason == "no embeddings yet for these documents")
    }
}

/// An embedder whose server is gone: every call fails the way a network failure does.
struct UnreachableEmbedder: Embedder {
    var modelID: String { "all-MiniLM-L6-v2" }
    var dimension: Int { 384 }
    var maximumTokens: Int { 256 }
    func embed(_ texts: [String]) async throws -> [[Float]] {
        throw VectorError.embedderFailed(reason: "connection refused", retryable: true)
    }
    func tokenCount(_ text: String) -> Int? { nil }
}

@Suite("Pseudo-relevance feedback", .serialized)
struct FeedbackTests {
    /// Moving the query towards a document's best chunk brings that document up, and ranking
    /// again with no usable feedback changes nothing.
    @Test func feedbackMovesTheRankingTowardsItsDocuments() async throws {
        let embedder = try #require(RealModel.embedder, "the model is in models/ (scripts/fetch-model)")
        let scratch = try await EmbeddedSample.shared.make()
        let semantic = SemanticSearcher.make(embedder: embedder, store: scratch.store)
        let first = try await semantic.rank("how we page people at night", projectIDs: [scratch.project.id], allowed: nil,
                                            depth: 20, store: scratch.store)
        let target = try #require(first.matches.dropFirst(5).first, "a document outside the top five")
        let refined = try await semantic.refine(first, feedback: [target], weight: 1.0, projectIDs: [scratch.project.id],
                                                allowed: nil, depth: 20, store: scratch.store)
        let before = try #require(first.matches.firstIndex { $0.excerpt.documentID == target.excerpt.documentID })
        let after = try #require(refined.matches.firstIndex { $0.excerpt.documentID == target.excerpt.documentID })
        #expect(after < before, "rank \(before + 1) → \(after + 1)")
        let unchanged = try await semantic.refine(first, feedback: [], weight: 1.0, projectIDs: [scratch.project.id],
                                                  allowed: nil, depth: 20, store: scratch.store)
        #expect(unchanged.matches.map(\.excerpt.chunkID) == first.matches.map(\.excerpt.chunkID))
    }
}
