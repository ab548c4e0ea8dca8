import Foundation

/// Retrieval quality measures with trec_eval's definitions, averaged over the judged queries.
///
/// A document is relevant when its gain is above 0. nDCG uses the graded gains with a
/// `log2(rank + 1)` discount and the ideal ordering of all of the query's judgments; MAP@100
/// divides by all relevant documents of the query; MRR@10 is 1/rank of the first relevant
/// document within 10, else 0. Queries without any relevant document are skipped.
public struct RetrievalMetrics: Sendable, Equatable, Codable {
    public var ndcgAt10: Double
    public var mapAt100: Double
    public var recallAt100: Double
    public var mrrAt10: Double
    /// How many queries were averaged.
    public var queries: Int

    enum CodingKeys: String, CodingKey {
        case ndcgAt10 = "ndcg@10", mapAt100 = "map@100", recallAt100 = "recall@100", mrrAt10 = "mrr@10", queries
    }

    /// Scores `rankings` (query id → document ids, best first) against `judgments`.
    public init(rankings: [String: [String]], judgments: [String: [String: Int]]) {
        var sums = (ndcg: 0.0, map: 0.0, recall: 0.0, mrr: 0.0)
        var count = 0
        for (queryID, gains) in judgments {
            let relevant = gains.filter { $0.value > 0 }
            guard !relevant.isEmpty else { continue }
            count += 1
            let ranking = rankings[queryID] ?? []
            sums.ndcg += Self.ndcg(ranking: Array(ranking.prefix(10)), gains: gains, depth: 10)
            var found = 0
            var precisionSum = 0.0
            for (index, id) in ranking.prefix(100).enumerated() where relevant[id] != nil {
                found += 1
                precisionSum += Double(found) / Double(index + 1)
            }
            sums.map += precisionSum / Double(relevant.count)
            sums.recall += Double(found) / Double(relevant.count)
            if let first = ranking.prefix(10).firstIndex(where: { relevant[$0] != nil }) {
                sums.mrr += 1 / Double(first + 1)
            }
        }
        let divisor = Double(max(count, 1))
        ndcgAt10 = sums.ndcg / divisor
        mapAt100 = sums.map / divisor
        recallAt100 = sums.recall / divisor
        mrrAt10 = sums.mrr / divisor
        queries = count
    }

    static func ndcg(ranking: [String], gains: [String: Int], depth: Int) -> Double {
        func dcg(_ values: [Int]) -> Double {
            values.prefix(depth).enumerated().reduce(0) { sum, item in
                sum + Double(item.element) / log2(Double(item.offset + 2))
            }
        }
        let ideal = dcg(gains.values.filter { $0 > 0 }.sorted(by: >))
        guard ideal > 0 else { return 0 }
        return dcg(ranking.map { max(gains[$0] ?? 0, 0) }) / ideal
    }
}
