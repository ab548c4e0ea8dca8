import Foundation
import Index
import Search
import Testing
import LoreTestSupport

@Suite("Ranking on the sample project")
struct RankingTests {
    @Test func theFixturesHaveRankingQueries() {
        #expect(Fixtures.loadRankingQueries().count >= 12)
    }

    /// One imported sample project per backend, shared by the ranking cases.
    actor SampleStores {
        static let shared = SampleStores()
        private var stores: [TestBackend: ScratchStore] = [:]

        func store(_ backend: TestBackend) async throws -> ScratchStore {
            if let store = stores[backend] { return store }
            let scratch = try await ScratchStore.make(backend)
            _ = try await scratch.importFiles()
            stores[backend] = scratch
            return scratch
        }
    }

    @Test(arguments: TestBackend.contract, Fixtures.loadRankingQueries())
    func theObviousDocumentComesFirst(_ backend: TestBackend, _ case: Fixtures.RankingQuery) async throws {
        let scratch = try await SampleStores.shared.store(backend)
        let response = try await scratch.service().search(
            try SearchRequest(text: `case`.query, projectIDs: [scratch.project.id], mode: .fulltext))
        #expect(response.hits.first?.path == `case`.expected, "top: \(response.hits.prefix(3).map(\.path))")
        #expect(response.hits.first?.snippet.contains("<mark>") == true)
    }

    @Test(arguments: TestBackend.contract) func hybridFallsBackToFullTextAndSaysWhy(backend: TestBackend) async throws {
        let scratch = try await SampleStores.shared.store(backend)
        let response = try await scratch.service().search(
            try SearchRequest(text: "kafka consumer lag", projectIDs: [scratch.project.id], mode: .hybrid))
        #expect(response.mode == .fulltext)
        #expect(response.requestedMode == .hybrid)
        #expect(response.fallbackReason != nil)
        #expect(response.hits.first?.matchedBy == ["fulltext"])
        #expect(response.hits.first?.ranks == ["fulltext": 1])
    }

    @Test func emptyQueriesAreValidationErrors() async throws {
        let scratch = try await ScratchStore.make()
        await #expect(throws: SearchError.self) {
            try await scratch.service().search(try SearchRequest(text: "  ", projectIDs: [scratch.project.id]))
        }
        #expect(throws: SearchError.invalid(field: "limit", reason: "must be between 1 and 100")) {
            try SearchRequest(text: "x", projectIDs: [], limit: 101)
        }
    }
}
