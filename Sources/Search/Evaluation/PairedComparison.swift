import Foundation
import Index

/// Whether one run is better than another on the same queries: the mean per-query difference of a
/// measure and a two-sided paired randomization test (Fisher's: under "no difference" each
/// query's pair could be swapped, so the sign of each difference is flipped at random; the p-value
/// is the share of flips whose mean difference is at least as far from zero as the observed one).
/// A change is believed only when it holds per query — a small p-value — not from the means alone.
public struct PairedComparison: Sendable, Equatable, Codable {
    /// How many queries both runs measured.
    public var queries: Int
    public var meanA: Double
    public var meanB: Double
    /// `meanB - meanA`.
    public var difference: Double
    /// Two-sided; small means the difference is unlikely to be chance.
    public var pValue: Double
    /// Queries where B scored higher, lower, the same.
    public var better: Int
    public var worse: Int
    public var tied: Int

    /// Compares `a` and `b` (query id → value) over the queries both have. `rounds` random sign
    /// flips with a fixed seed, so the same inputs give the same p-value.
    public init(a: [String: Double], b: [String: Double], rounds: Int = 100_000, seed: UInt64 = 0x5EED) {
        let common = Set(a.keys).intersection(b.keys).sorted()
        let differences = common.map { b[$0]! - a[$0]! }
        queries = common.count
        meanA = common.isEmpty ? 0 : common.reduce(0) { $0 + a[$1]! } / Double(common.count)
        meanB = common.isEmpty ? 0 : common.reduce(0) { $0 + b[$1]! } / Double(common.count)
        difference = meanB - meanA
        better = differences.filter { $0 > 1e-12 }.count
        worse = differences.filter { $0 < -1e-12 }.count
        tied = differences.count - better - worse
        pValue = Self.randomizationPValue(differences, rounds: rounds, seed: seed)
    }

    static func randomizationPValue(_ differences: [Double], rounds: Int, seed: UInt64) -> Double {
        guard !differences.isEmpty else { return 1 }
        let observed = abs(differences.reduce(0, +))
        // A flip at least as extreme, with a little slack for floating-point sums.
        let threshold = observed - 1e-9
        var generator = SplitMix64(seed: seed)
        var extreme = 0
        for _ in 0..<rounds {
            var sum = 0.0
            var bits: UInt64 = 0
            for (index, difference) in differences.enumerated() {
                if index % 64 == 0 { bits = generator.next() }
                sum += (bits >> UInt64(index % 64)) & 1 == 0 ? difference : -difference
            }
            if abs(sum) >= threshold { extreme += 1 }
        }
        // Counting the observed assignment itself keeps p above zero.
        return Double(extreme + 1) / Double(rounds + 1)
    }
}
