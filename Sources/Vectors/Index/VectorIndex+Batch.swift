import CBLAS
import Foundation

extension VectorIndex {
    /// Rows per `cblas_sgemm` tile on the batch path: 2048 × 384 floats is 3 MiB of matrix (kept
    /// in L3 while OpenBLAS packs it) and, for 64 queries, 512 KiB of scores.
    static let gemmTileRows = 2048

    /// The `k` chunks most similar to each of `queries`, best first, one list per query in order.
    ///
    /// Scores tiles of rows against all queries at once with `cblas_sgemm` (compute-bound, so it
    /// outruns one scan per query) and folds each tile into per-query heaps; the full
    /// queries × rows score matrix is never held. Results equal ``search(_:k:allowedDocuments:strategy:)``
    /// for each query, up to float rounding in the last bits.
    ///
    /// - Parameters:
    ///   - queries: vectors of ``dimension`` floats each; each is normalised.
    ///   - allowedDocuments: when given, only chunks of these documents can be hits.
    /// - Throws: ``VectorError`` for the first invalid query.
    public func search(
        batch queries: [[Float]], k: Int, allowedDocuments: Set<UUID>? = nil
    ) throws -> [[VectorHit]] {
        let stride = matrix.stride
        var packed = [Float]()
        packed.reserveCapacity(queries.count * stride)
        for query in queries {
            packed += try VectorNormalization.paddedUnitVector(query, dimension: dimension, stride: stride)
        }
        let empty = [[VectorHit]](repeating: [], count: queries.count)
        guard k > 0, !queries.isEmpty else { return empty }
        return lock.withReadLock {
            guard matrix.count > 0 else { return empty }
            let mask = allowedDocuments.map { documents.mask(allowing: $0) }
            if let mask, !mask.contains(true) { return empty }
            var heaps = [TopKHeap](repeating: TopKHeap(k: k, expected: matrix.count), count: queries.count)
            let tileRows = min(Self.gemmTileRows, matrix.count)
            var scores = [Float](repeating: 0, count: tileRows * queries.count)
            packed.withUnsafeBufferPointer { packed in
                scores.withUnsafeMutableBufferPointer { scores in
                    var start = 0
                    while start < matrix.count {
                        let rows = min(tileRows, matrix.count - start)
                        // scores[q][r] = queries[q] · matrix[start + r]: (Q × d) · (rows × d)ᵀ.
                        cblas_sgemm(
                            CblasRowMajor, CblasNoTrans, CblasTrans,
                            Int32(queries.count), Int32(rows), Int32(dimension), 1,
                            packed.baseAddress, Int32(stride), matrix.row(start), Int32(stride),
                            0, scores.baseAddress, Int32(rows))
                        for query in heaps.indices {
                            let slice = UnsafeBufferPointer(rebasing: scores[(query * rows)..<((query + 1) * rows)])
                            fold(scores: slice, firstRow: start, mask: mask, into: &heaps[query])
                        }
                        start += rows
                    }
                }
            }
            return heaps.map(hits(from:))
        }
    }
}
