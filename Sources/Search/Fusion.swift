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

    /// Reciprocal rank fusion: Σ 1 / (k + rank) over the rankings that contain the document.
    static func reciprocalRank(fulltext: [Ranked], semantic: [Ranked]) -> [Fused] {
        merge(fulltext: fulltext, semantic: semantic) { fulltext, semantic in
            (fulltext.map { 1 / (rrfK + Double($0.rank)) } ?? 0) + (semantic.map { 1 / (rrfK + Double($0.rank)) } ?? 0)
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
