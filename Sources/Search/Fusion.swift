import Foundation

/// Merging a full-text and a semantic ranking of documents into one.
enum Fusion {
    /// A document's place in one ranking.
    struct Ranked: Sendable {
        var documentID: UUID
        /// 1-based.
        var rank: Int
        var score: Double
    }

    /// A fused document: its combined score and where each path ranked it.
    struct Fused: Sendable {
        var documentID: UUID
        var score: Double
        var fulltext: Ranked?
        var semantic: Ranked?
    }

    /// The constant of reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009).
    static let rrfK = 60.0
    /// How much more the semantic leg weighs than the full-text one in reciprocal rank fusion.
    /// all-MiniLM-L6-v2 ranks better than BM25 on every collection measured (Cranfield,
    /// Medline), by a little or by a lot, and equal weights let the weaker leg pull a strong
    /// semantic ranking down (Medline). Chosen by the mean nDCG@10 over both public collections
    /// (BENCHMARKS.md): weights 1.5–2 and k 60–100 all lie within 0.005 of each other.
    static let semanticWeight = 1.75

    /// Reciprocal rank fusion, each leg's term scaled by the document's min-max normalised score
    /// in that leg: Σ w · s / (k + rank). The rank keeps RRF's robustness to score scales; the
    /// score lets a leg that is sure of its top (a large gap) count for more than one whose
    /// scores are flat, per query; `w` is 1 for full text and ``semanticWeight`` for semantic.
    static func reciprocalRank(fulltext: [Ranked], semantic: [Ranked], semanticWeight: Double = semanticWeight) -> [Fused] {
        let normalizeFulltext = normalizer(fulltext.map(\.score))
        let normalizeSemantic = normalizer(semantic.map(\.score))
        return merge(fulltext: fulltext, semantic: semantic) { fulltext, semantic in
            let lexical = fulltext.map { normalizeFulltext($0.score) / (rrfK + Double($0.rank)) } ?? 0
            let meaning = semantic.map { normalizeSemantic($0.score) / (rrfK + Double($0.rank)) } ?? 0
            return lexical + semanticWeight * meaning
        }
    }

    /// A linear blend of min-max normalised scores: `(1 − ratio) · fulltext + ratio · semantic`;
    /// a path that did not find the document contributes 0.
    static func linear(fulltext: [Ranked], semantic: [Ranked], semanticRatio: Double) -> [Fused] {
        let normalizeFulltext = normalizer(fulltext.map(\.score))
        let normalizeSemantic = normalizer(semantic.map(\.score))
        return merge(fulltext: fulltext, semantic: semantic) { fulltext, semantic in
            (1 - semanticRatio) * (fulltext.map { normalizeFulltext($0.score) } ?? 0)
                + semanticRatio * (semantic.map { normalizeSemantic($0.score) } ?? 0)
        }
    }

    private static func merge(
        fulltext: [Ranked], semantic: [Ranked], score: (Ranked?, Ranked?) -> Double
    ) -> [Fused] {
        var byDocument: [UUID: (Ranked?, Ranked?)] = [:]
        for hit in fulltext { byDocument[hit.documentID, default: (nil, nil)].0 = hit }
        for hit in semantic { byDocument[hit.documentID, default: (nil, nil)].1 = hit }
        return byDocument.map { id, pair in
            Fused(documentID: id, score: score(pair.0, pair.1), fulltext: pair.0, semantic: pair.1)
        }
    }

    /// Maps scores to 0…1 by their minimum and maximum (all 1 when they are equal).
    private static func normalizer(_ scores: [Double]) -> (Double) -> Double {
        guard let low = scores.min(), let high = scores.max(), high > low else { return { _ in 1 } }
        return { ($0 - low) / (high - low) }
    }
}
