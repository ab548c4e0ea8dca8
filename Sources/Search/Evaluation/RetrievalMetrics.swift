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

    /// One query's measures.
    public struct Query: Sendable, Equatable, Codable {
        public var ndcgAt10: Double
        public var mapAt100: Double
        public var recallAt100: Double
        public var mrrAt10: Double

        enum CodingKeys: String, CodingKey {
            case ndcgAt10 = "ndcg@10", mapAt100 = "map@100", recallAt100 = "recall@100", mrrAt10 = "mrr@10"
        }

        /// The measure named as in the JSON reports (`ndcg@10`, `map@100`, `recall@100`, `mrr@10`).
        public func value(of measure: String) -> Double? {
            switch measure {
            case CodingKeys.ndcgAt10.rawValue: ndcgAt10
            case CodingKeys.mapAt100.rawValue: mapAt100
            case CodingKeys.recallAt100.rawValue: recallAt100
            case CodingKeys.mrrAt10.rawValue: mrrAt10
            default: nil
            }
        }

        public static let measures = ["ndcg@10", "map@100", "recall@100", "mrr@10"]
    }

    /// Scores `rankings` (query id → document ids, best first) against `judgments`: the mean of
    /// ``perQuery(rankings:judgments:)``.
    public init(rankings: [String: [String]], judgments: [String: [String: Int]]) {
        let queries = Self.perQuery(rankings: rankings, judgments: judgments).values
        let divisor = Double(max(queries.count, 1))
        ndcgAt10 = queries.reduce(0) { $0 + $1.ndcgAt10 } / divisor
        mapAt100 = queries.reduce(0) { $0 + $1.mapAt100 } / divisor
        recallAt100 = queries.reduce(0) { $0 + $1.recallAt100 } / divisor
        mrrAt10 = queries.reduce(0) { $0 + $1.mrrAt10 } / divisor
        self.queries = queries.count
    }

    /// Each judged query's measures, by query id (queries without a relevant document are absent).
    public static func perQuery(rankings: [String: [String]], judgments: [String: [String: Int]]) -> [String: Query] {
        var result: [String: Query] = [:]
        for (queryID, gains) in judgments {
            let relevant = gains.filter { $0.value > 0 }
            guard !relevant.isEmpty else { continue }
            let ranking = rankings[queryID] ?? []
            var found = 0
            var precisionSum = 0.0
            for (index, id) in ranking.prefix(100).enumerated() where relevant[id] != nil {
                found += 1
                precisionSum += Double(found) / Double(index + 1)
            }
            let first = ranking.prefix(10).firstIndex { relevant[$0] != nil }
            result[queryID] = Query(
                ndcgAt10: ndcg(ranking: Array(ranking.prefix(10)), gains: gains, depth: 10),
                mapAt100: precisionSum / Double(relevant.count), recallAt100: Double(found) / Double(relevant.count),
                mrrAt10: first.map { 1 / Double($0 + 1) } ?? 0)
        }
        return result
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
