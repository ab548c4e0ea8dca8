import Foundation
import Testing
@testable import Search

@Suite("Fusion of rankings")
struct FusionTests {
    let a = UUID(), b = UUID(), c = UUID()

    @Test func reciprocalRankFusionRewardsAgreement() {
        let fulltext = [Fusion.Ranked(documentID: a, rank: 1, score: 9), .init(documentID: b, rank: 2, score: 5)]
        let semantic = [Fusion.Ranked(documentID: b, rank: 1, score: 0.9), .init(documentID: c, rank: 2, score: 0.8)]
        let fused = Dictionary(uniqueKeysWithValues: Fusion.reciprocalRank(fulltext: fulltext, semantic: semantic).map { ($0.documentID, $0) })
        // Σ w · (min-max normalised score) / (60 + rank): b is last in full text (0) and first in
        // semantic (1, weight 1.75); a is first in full text; c is last in semantic.
        #expect(abs(fused[b]!.score - Fusion.semanticWeight / 61.0) < 1e-12)
        #expect(abs(fused[a]!.score - 1 / 61.0) < 1e-12)
        #expect(fused[c]!.score == 0)
        #expect(fused[b]!.score > fused[a]!.score && fused[a]!.score > fused[c]!.score)
        #expect(fused[b]!.fulltext?.rank == 2 && fused[b]!.semantic?.rank == 1)
    }

    /// Agreement still wins: a document both legs rank near the top beats one only a leg likes,
    /// and with equal evidence from each leg the semantic one decides.
    @Test func agreementWinsAndTheSemanticLegBreaksEvenTies() {
        let d = UUID()
        let fulltext = [Fusion.Ranked(documentID: a, rank: 1, score: 10), .init(documentID: b, rank: 2, score: 9),
                        .init(documentID: d, rank: 3, score: 0)]
        let semantic = [Fusion.Ranked(documentID: c, rank: 1, score: 0.9), .init(documentID: b, rank: 2, score: 0.85),
                        .init(documentID: d, rank: 3, score: 0.1)]
        let ordered = Fusion.reciprocalRank(fulltext: fulltext, semantic: semantic).sorted { $0.score > $1.score }.map(\.documentID)
        #expect(ordered == [b, c, a, d])
    }

    @Test func linearBlendNormalisesEachSide() {
        let fulltext = [Fusion.Ranked(documentID: a, rank: 1, score: 20), .init(documentID: b, rank: 2, score: 10)]
        let semantic = [Fusion.Ranked(documentID: b, rank: 1, score: 0.9), .init(documentID: a, rank: 2, score: 0.5)]
        let even = Dictionary(uniqueKeysWithValues: Fusion.linear(fulltext: fulltext, semantic: semantic, semanticRatio: 0.5).map { ($0.documentID, $0.score) })
        #expect(even[a] == 0.5 && even[b] == 0.5)
        let semanticOnly = Dictionary(uniqueKeysWithValues: Fusion.linear(fulltext: fulltext, semantic: semantic, semanticRatio: 1).map { ($0.documentID, $0.score) })
        #expect(semanticOnly[b] == 1 && semanticOnly[a] == 0)
    }
}
