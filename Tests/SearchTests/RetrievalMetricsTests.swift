import Foundation
import Search
import Testing

@Suite("Retrieval metrics")
struct RetrievalMetricsTests {
    @Test func perfectRankingScoresOne() {
        let metrics = RetrievalMetrics(rankings: ["q": ["a", "b"]], judgments: ["q": ["a": 2, "b": 1, "z": 0]])
        #expect(metrics.ndcgAt10 == 1 && metrics.mapAt100 == 1 && metrics.recallAt100 == 1 && metrics.mrrAt10 == 1)
    }

    @Test func matchesHandComputedValues() {
        // Relevant: a (gain 3) and b (gain 1); the run finds b at rank 2 and a at rank 4.
        let metrics = RetrievalMetrics(rankings: ["q": ["x", "b", "y", "a"]], judgments: ["q": ["a": 3, "b": 1, "x": 0]])
        let dcg = 1 / log2(3.0) + 3 / log2(5.0)
        let ideal = 3 / log2(2.0) + 1 / log2(3.0)
        #expect(abs(metrics.ndcgAt10 - dcg / ideal) < 1e-12)
        #expect(abs(metrics.mapAt100 - (1.0 / 2 + 2.0 / 4) / 2) < 1e-12)
        #expect(metrics.recallAt100 == 1)
        #expect(metrics.mrrAt10 == 0.5)
    }

    @Test func queriesWithoutRelevantDocumentsAreSkipped() {
        let metrics = RetrievalMetrics(rankings: [:], judgments: ["q1": ["a": 0], "q2": ["b": 1]])
        #expect(metrics.queries == 1 && metrics.ndcgAt10 == 0)
    }

    @Test func readsTheCranfieldCollection() throws {
        let folder = Fixtures.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/cranfield")
        try #require(FileManager.default.fileExists(atPath: folder.path), "../shared/data/cranfield is present")
        let dataset = try BEIRDataset.load(from: folder)
        #expect(dataset.documents.count == 1_400)
        #expect(dataset.queries.count == 225)
        #expect(dataset.judgments.count == 225)
    }
}
