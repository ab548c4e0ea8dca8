import Foundation
import Index
import Search
import Testing

@Suite("Ranking on the sample project")
struct RankingTests {
    @Test func theFixturesHaveRankingQueries() {
        #expect(Fixtures.loadRankingQueries().count >= 12)
    }

    @Test(arguments: Fixtures.loadRankingQueries())
    func theObviousDocumentComesFirst(_ case: Fixtures.RankingQuery) async throws {
        let scratch = try await ScratchStore()
        _ = try await DirectoryImporter(store: scratch.store).importFiles(from: Fixtures.sampleProject, into: scratch.project.id)
        let response = try await SearchService(store: scratch.store).search(
            try SearchRequest(text: `case`.query, projectIDs: [scratch.project.id], mode: .fulltext))
        #expect(response.hits.first?.path == `case`.expected, "top: \(response.hits.prefix(3).map(\.path))")
        #expect(response.hits.first?.snippet.contains("<mark>") == true)
    }

    @Test func hybridFallsBackToFullTextAndSaysWhy() async throws {
        let scratch = try await ScratchStore()
        _ = try await DirectoryImporter(store: scratch.store).importFiles(from: Fixtures.sampleProject, into: scratch.project.id)
        let response = try await SearchService(store: scratch.store).search(
            try SearchRequest(text: "kafka consumer lag", projectIDs: [scratch.project.id], mode: .hybrid))
        #expect(response.mode == .fulltext)
        #expect(response.requestedMode == .hybrid)
        #expect(response.fallbackReason != nil)
        #expect(response.hits.first?.matchedBy == ["fulltext"])
        #expect(response.hits.first?.ranks == ["fulltext": 1])
    }

    @Test func emptyQueriesAreValidationErrors() async throws {
        let scratch = try await ScratchStore()
        await #expect(throws: SearchError.self) {
            try await SearchService(store: scratch.store).search(try SearchRequest(text: "  ", projectIDs: [scratch.project.id]))
        }
        #expect(throws: SearchError.invalid(field: "limit", reason: "must be between 1 and 100")) {
            try SearchRequest(text: "x", projectIDs: [], limit: 101)
        }
    }
}
