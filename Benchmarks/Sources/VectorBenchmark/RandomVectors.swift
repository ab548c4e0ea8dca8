import Foundation
import Vectors

/// Fast deterministic random vectors (SplitMix64, two uniform floats in [-1, 1) per draw).
struct RandomVectors {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func vector(dimension: Int) -> [Float] {
        var vector = [Float](repeating: 0, count: dimension)
        var index = 0
        while index < dimension {
            let bits = next()
            vector[index] = Float(Int32(truncatingIfNeeded: bits)) * 0x1p-31
            if index + 1 < dimension { vector[index + 1] = Float(Int32(truncatingIfNeeded: bits >> 32)) * 0x1p-31 }
            index += 2
        }
        return vector
    }

    /// An index of `rows` random vectors, ten chunks per document, built in batches so the
    /// records never exist all at once.
    mutating func makeIndex(rows: Int, dimension: Int) throws -> (index: VectorIndex, documents: [UUID]) {
        let index = VectorIndex(dimension: dimension)
        index.reserveCapacity(rows)
        var documents: [UUID] = []
        var start = 0
        while start < rows {
            let end = min(start + 8192, rows)
            var batch: [VectorRecord] = []
            batch.reserveCapacity(end - start)
            for row in start..<end {
                if row % 10 == 0 { documents.append(UUID()) }
                batch.append((chunkID: Int64(row), documentID: documents[row / 10], vector: vector(dimension: dimension)))
            }
            try index.upsert(contentsOf: batch)
            start = end
        }
        return (index, documents)
    }
}
