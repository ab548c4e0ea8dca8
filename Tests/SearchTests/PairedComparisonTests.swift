import Foundation
import LoreTestSupport
import Testing
@testable import Search

/// `lore eval --compare`: the paired randomization test, and per-query measures that add up to
/// the reported means.
@Suite("Per-query measures and paired comparison")
struct PairedComparisonTests {
    static func scores(_ count: Int, seed: UInt64, shift: Double = 0, noise: Double = 0.2) -> [String: Double] {
        var generator = SeededGenerator(seed: seed)
        return Dictionary(uniqueKeysWithValues: (0..<count).map { index in
            let base = Double(generator.next() % 1000) / 1000
            let jitter = (Double(generator.next() % 1000) / 1000 - 0.5) * noise
            return ("q\(index)", min(1, max(0, base * 0.5 + shift + jitter)))
        })
    }

    @Test func identicalRunsShowNoDifference() {
        let a = Self.scores(50, seed: 1)
        let comparison = PairedComparison(a: a, b: a)
        #expect(comparison.difference == 0 && comparison.pValue == 1 && comparison.tied == 50)
    }

    @Test func aSmallGainOnEveryQueryIsSignificantAndALargeNoisyOneIsNot() {
        let a = Self.scores(40, seed: 2, noise: 0)
        let b = a.mapValues { $0 + 0.01 }
        let consistent = PairedComparison(a: a, b: b)
        #expect(consistent.better == 40 && abs(consistent.difference - 0.01) < 1e-9)
        #expect(consistent.pValue < 0.001)
        // A bigger mean gain carried by chance alone (independent noise around the same scores).
        let noisy = PairedComparison(a: Self.scores(30, seed: 3, noise: 0.6), b: Self.scores(30, seed: 5, shift: 0.02, noise: 0.6))
        #expect(noisy.pValue > 0.05, "\(noisy)")
        // Same inputs, same p-value (a fixed seed).
        #expect(PairedComparison(a: a, b: b) == consistent)
    }

    @Test func onlyQueriesBothRunsMeasuredArePaired() {
        let comparison = PairedComparison(a: ["q1": 0.5, "q2": 0.4], b: ["q2": 0.6, "q3": 0.9])
        #expect(comparison.queries == 1 && abs(comparison.difference - 0.2) < 1e-12)
    }

    @Test func perQueryMeasuresAverageToTheReport() {
        let judgments = ["1": ["a": 2, "b": 1, "z": 0], "2": ["c": 1], "3": ["x": 0]]
        let rankings = ["1": ["b", "q", "a"], "2": ["d", "e", "c"], "3": ["x"]]
        let perQuery = RetrievalMetrics.perQuery(rankings: rankings, judgments: judgments)
        #expect(Set(perQuery.keys) == ["1", "2"], "a query without a relevant document is not measured")
        let report = RetrievalMetrics(rankings: rankings, judgments: judgments)
        #expect(abs(report.ndcgAt10 - (perQuery["1"]!.ndcgAt10 + perQuery["2"]!.ndcgAt10) / 2) < 1e-12)
        #expect(abs(perQuery["2"]!.mrrAt10 - 1.0 / 3) < 1e-12 && abs(perQuery["1"]!.mapAt100 - (1 + 2.0 / 3) / 2) < 1e-12)
        #expect(perQuery["1"]!.value(of: "ndcg@10") == perQuery["1"]!.ndcgAt10 && perQuery["1"]!.value(of: "bogus") == nil)
    }
}
