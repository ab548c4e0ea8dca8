import Foundation
import LoreTestSupport
@testable import Vectors

/// Random vectors, documents and a brute-force reference ranking.
enum VectorFixtures {
    static func randomVector(dimension: Int, using generator: inout SeededGenerator) -> [Float] {
        (0..<dimension).map { _ in Float.random(in: -1...1, using: &generator) }
    }

    /// `count` records with chunk ids 1000, 1001, … spread over `documents` documents, in
    /// shuffled order.
    static func records(
        count: Int, dimension: Int, documents: Int = 7, seed: UInt64
    ) -> [VectorRecord] {
        var generator = SeededGenerator(seed: seed)
        let documentIDs = (0..<max(documents, 1)).map { _ in UUID() }
        var records = (0..<count).map { offset in
            (chunkID: Int64(1000 + offset),
             documentID: documentIDs[offset % documentIDs.count],
             vector: randomVector(dimension: dimension, using: &generator))
        }
        records.shuffle(using: &generator)
        return records
    }

    /// The exact ranking: cosines in Double, sorted by score then chunk id, cut to `k`.
    static func bruteForce(
        _ query: [Float], records: [VectorRecord], k: Int, allowed: Set<UUID>? = nil
    ) -> [VectorHit] {
        let unitQuery = unit(query)
        var scored: [(chunkID: Int64, documentID: UUID, score: Double)] = []
        for record in records where allowed?.contains(record.documentID) ?? true {
            let vector = unit(record.vector)
            var score = 0.0
            for index in vector.indices { score += vector[index] * unitQuery[index] }
            scored.append((record.chunkID, record.documentID, score))
        }
        scored.sort { $0.score > $1.score || ($0.score == $1.score && $0.chunkID < $1.chunkID) }
        return scored.prefix(max(k, 0)).map { (chunkID: $0.chunkID, documentID: $0.documentID, score: Float($0.score)) }
    }

    static func unit(_ vector: [Float]) -> [Double] {
        let norm = vector.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        return vector.map { Double($0) / norm }
    }

    /// Whether two rankings name the same chunks and documents in the same order, with scores
    /// equal up to float rounding.
    static func same(_ a: [VectorHit], _ b: [VectorHit], tolerance: Float = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in
            x.chunkID == y.chunkID && x.documentID == y.documentID && abs(x.score - y.score) <= tolerance
        }
    }
}
