import CBLAS
import Foundation

extension VectorIndex {
    /// Rows per `cblas_sgemv` call on the sgemv path: 4096 × 384 floats is 6 MiB of matrix and
    /// 16 KiB of scores, so the scores stay in L1 for the top-k pass.
    static let gemvTileRows = 4096

    /// The `k` chunks most similar to `query`, best first.
    ///
    /// Exact (no approximation): every allowed row is scored. Equal scores rank by ascending
    /// chunk id. Fewer than `k` hits come back when fewer rows are allowed; `k <= 0` gives none.
    ///
    /// - Parameters:
    ///   - query: a vector of ``dimension`` floats; it is normalised, so scores are cosines.
    ///   - allowedDocuments: when given, only chunks of these documents are scored; ids the
    ///     index does not hold are ignored. No rows are copied.
    ///   - strategy: the scoring path; ``SingleQueryStrategy/default`` unless benchmarking.
    /// - Throws: ``VectorError`` if `query` has the wrong dimension, a non-finite component or
    ///   length zero.
    public func search(
        _ query: [Float], k: Int, allowedDocuments: Set<UUID>? = nil,
        strategy: SingleQueryStrategy = .default
    ) throws -> [VectorHit] {
        let padded = try VectorNormalization.paddedUnitVector(query, dimension: dimension, stride: matrix.stride)
        guard k > 0 else { return [] }
        return lock.withReadLock {
            guard matrix.count > 0 else { return [] }
            let mask = allowedDocuments.map { documents.mask(allowing: $0) }
            if let mask, !mask.contains(true) { return [] }
            var heap = TopKHeap(k: k, expected: matrix.count)
            padded.withUnsafeBufferPointer { query in
                let rows = 0..<matrix.count
                switch strategy {
                case .fusedScan:
                    if let mask {
                        DotProductKernel.scan(matrix, query: query.baseAddress!, rows: rows, mask: mask, into: &heap)
                    } else {
                        DotProductKernel.scan(matrix, query: query.baseAddress!, rows: rows, into: &heap)
                    }
                case .sgemv:
                    gemvScan(query: query.baseAddress!, mask: mask, into: &heap)
                }
            }
            return hits(from: heap)
        }
    }

    /// Scores the matrix with `cblas_sgemv` one tile at a time and folds each tile into `heap`;
    /// the caller holds the read lock.
    private func gemvScan(query: UnsafePointer<Float>, mask: [Bool]?, into heap: inout TopKHeap) {
        let tileRows = min(Self.gemvTileRows, matrix.count)
        var scores = [Float](repeating: 0, count: tileRows)
        var start = 0
        while start < matrix.count {
            let rows = min(tileRows, matrix.count - start)
            scores.withUnsafeMutableBufferPointer { scores in
                cblas_sgemv(
                    CblasRowMajor, CblasNoTrans, Int32(rows), Int32(dimension), 1,
                    matrix.row(start), Int32(matrix.stride), query, 1, 0, scores.baseAddress, 1)
            }
            fold(scores: scores, count: rows, firstRow: start, mask: mask, into: &heap)
            start += rows
        }
    }

    /// Offers `count` scores of consecutive rows from `firstRow` to `heap`, skipping masked rows;
    /// the caller holds the read lock.
    func fold(
        scores: UnsafeBufferPointer<Float>, firstRow: Int, mask: [Bool]?, into heap: inout TopKHeap
    ) {
        matrix.chunkIDs.withUnsafeBufferPointer { chunkIDs in
            if let mask {
                matrix.documentOrdinals.withUnsafeBufferPointer { ordinals in
                    mask.withUnsafeBufferPointer { allowed in
                        for offset in scores.indices where scores[offset] >= heap.threshold {
                            let row = firstRow &+ offset
                            if allowed[Int(ordinals[row])] {
                                heap.offer(score: scores[offset], chunkID: chunkIDs[row], row: row)
                            }
                        }
                    }
                }
            } else {
                for offset in scores.indices where scores[offset] >= heap.threshold {
                    let row = firstRow &+ offset
                    heap.offer(score: scores[offset], chunkID: chunkIDs[row], row: row)
                }
            }
        }
    }

    /// `fold` over the first `count` elements of an array.
    private func fold(scores: [Float], count: Int, firstRow: Int, mask: [Bool]?, into heap: inout TopKHeap) {
        scores.withUnsafeBufferPointer { buffer in
            fold(scores: UnsafeBufferPointer(rebasing: buffer[0..<count]), firstRow: firstRow, mask: mask, into: &heap)
        }
    }

    /// The heap's entries as hits, best first; the caller holds the read lock.
    func hits(from heap: TopKHeap) -> [VectorHit] {
        heap.sortedEntries().map { entry in
            (chunkID: entry.chunkID,
             documentID: documents.document(at: matrix.documentOrdinals[entry.row]),
             score: entry.score)
        }
    }
}
