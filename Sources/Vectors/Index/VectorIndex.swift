import Foundation

/// One search result: the chunk, the document it belongs to, and its cosine similarity to the
/// query (in [-1, 1]; higher is closer).
public typealias VectorHit = (chunkID: Int64, documentID: UUID, score: Float)

/// One row to load into an index: a chunk, its document and its embedding.
public typealias VectorRecord = (chunkID: Int64, documentID: UUID, vector: [Float])

/// The vectors of one project in one contiguous row-major Float32 matrix, searched exactly by
/// cosine similarity.
///
/// Vectors are L2-normalised on the way in, so a dot product is the cosine. Every method is
/// thread-safe: searches share a reader-writer lock and run in parallel, while ``upsert(chunkID:documentID:vector:)``
/// and the `remove` methods take it exclusively (writers are preferred, so a busy index still
/// accepts updates). A search holds the lock for one scan of the matrix: the time to read it
/// once, about 75 ms per million 384-dimensional vectors (1.5 GB) on one Zen 3 core. Critical
/// sections never suspend, so blocking on the lock from async code cannot deadlock.
///
/// Search entry points live in `VectorIndex+Search.swift` (one query) and
/// `VectorIndex+Batch.swift` (many queries).
public final class VectorIndex: @unchecked Sendable {
    /// The number of floats in every vector.
    public let dimension: Int

    let lock = ReadWriteLock()
    // Guarded by `lock`.
    let matrix: VectorMatrix
    // Guarded by `lock`.
    var documents = DocumentOrdinals()

    /// Creates an empty index for vectors of `dimension` floats; `dimension` must be positive.
    public init(dimension: Int) {
        self.dimension = dimension
        self.matrix = VectorMatrix(dimension: dimension)
    }

    /// Creates an index holding `records`, sized exactly for them.
    /// - Throws: ``VectorError`` for the first invalid vector (see ``upsert(contentsOf:)``).
    public convenience init(dimension: Int, records: [VectorRecord]) throws {
        self.init(dimension: dimension)
        reserveCapacity(records.count)
        try upsert(contentsOf: records)
    }

    /// The number of vectors (chunks) in the index.
    public var count: Int {
        lock.withReadLock { matrix.count }
    }

    /// The number of distinct documents with at least one vector.
    public var documentCount: Int {
        lock.withReadLock { documents.liveCount }
    }

    /// The bytes the index holds: the matrix at its current capacity, the row tables and an
    /// estimate of the hash tables. This is what ``VectorIndexCache`` budgets against.
    public var memoryBytes: Int {
        lock.withReadLock { matrix.memoryBytes + documents.memoryBytes }
    }

    /// Whether `chunkID` has a vector in the index.
    public func contains(chunkID: Int64) -> Bool {
        lock.withReadLock { matrix.row(of: chunkID) != nil }
    }

    /// The stored (unit-length) vector of a chunk, or `nil` when the index does not hold it.
    public func vector(chunkID: Int64) -> [Float]? {
        lock.withReadLock {
            guard let row = matrix.row(of: chunkID) else { return nil }
            return Array(UnsafeBufferPointer(start: matrix.row(row), count: dimension))
        }
    }

    /// Makes room for `rows` vectors so loading that many does not regrow the matrix.
    public func reserveCapacity(_ rows: Int) {
        lock.withWriteLock { matrix.reserveCapacity(rows) }
    }

    /// Inserts the vector of `chunkID`, or replaces it in place if the chunk is already indexed
    /// (also moving it to `documentID` if that changed).
    ///
    /// - Throws: ``VectorError/dimensionMismatch(expected:actual:)`` if `vector.count` is not
    ///   ``dimension``, ``VectorError/nonFiniteComponent(index:)`` for a NaN or infinity, and
    ///   ``VectorError/zeroVector`` for a vector of length zero. The index is unchanged on error.
    public func upsert(chunkID: Int64, documentID: UUID, vector: [Float]) throws {
        let norm = try VectorNormalization.norm(of: vector, dimension: dimension)
        var scratch = [Float](repeating: 0, count: dimension)
        lock.withWriteLock {
            store(chunkID: chunkID, documentID: documentID, vector: vector, norm: norm, scratch: &scratch)
        }
    }

    /// Upserts every record, all or nothing: every vector is validated before any is stored, and
    /// the lock is taken once.
    /// - Throws: ``VectorError`` for the first invalid vector; the index is then unchanged.
    public func upsert(contentsOf records: [VectorRecord]) throws {
        var norms = [Double]()
        norms.reserveCapacity(records.count)
        for record in records {
            norms.append(try VectorNormalization.norm(of: record.vector, dimension: dimension))
        }
        var scratch = [Float](repeating: 0, count: dimension)
        lock.withWriteLock {
            for (record, norm) in zip(records, norms) {
                store(
                    chunkID: record.chunkID, documentID: record.documentID, vector: record.vector,
                    norm: norm, scratch: &scratch)
            }
        }
    }

    /// Removes the vector of `chunkID`, moving the last row into its place.
    /// - Returns: whether the chunk was indexed.
    @discardableResult
    public func remove(chunkID: Int64) -> Bool {
        lock.withWriteLock {
            guard let row = matrix.row(of: chunkID) else { return false }
            documents.release(matrix.removeRow(at: row).documentOrdinal)
            return true
        }
    }

    /// Removes every vector of `documentID`.
    /// - Returns: how many vectors were removed.
    @discardableResult
    public func remove(documentID: UUID) -> Int {
        lock.withWriteLock {
            guard let ordinal = documents.ordinal(of: documentID) else { return 0 }
            var rows: [Int] = []
            for (row, rowOrdinal) in matrix.documentOrdinals.enumerated() where rowOrdinal == ordinal {
                rows.append(row)
            }
            // Highest row first: the last row moved into each hole then never belongs to the
            // document, because every row of it above the hole has already gone.
            for row in rows.reversed() {
                documents.release(matrix.removeRow(at: row).documentOrdinal)
            }
            return rows.count
        }
    }

    /// Calls `body` with the raw matrix under the read lock: `rows` vectors of ``dimension``
    /// floats, `stride` floats apart (padding is zero). For diagnostics, export and benchmarks;
    /// the pointer must not escape `body`, and `body` must not call back into the index (the lock
    /// is not reentrant).
    public func withUnsafeMatrix<Result>(
        _ body: (_ elements: UnsafeBufferPointer<Float>, _ rows: Int, _ stride: Int) throws -> Result
    ) rethrows -> Result {
        try lock.withReadLock {
            let elements = UnsafeBufferPointer(start: matrix.base, count: matrix.count * matrix.stride)
            return try body(elements, matrix.count, matrix.stride)
        }
    }

    /// Writes one validated vector, scaled to unit length; the caller holds the write lock.
    private func store(
        chunkID: Int64, documentID: UUID, vector: [Float], norm: Double, scratch: inout [Float]
    ) {
        scratch.withUnsafeMutableBufferPointer { VectorNormalization.write(vector, dividedBy: norm, into: $0) }
        scratch.withUnsafeBufferPointer { normalised in
            if let row = matrix.row(of: chunkID) {
                let previous = matrix.documentOrdinals[row]
                if documents.document(at: previous) == documentID {
                    matrix.replace(row: row, documentOrdinal: previous, vector: normalised)
                } else {
                    let ordinal = documents.retain(documentID)
                    matrix.replace(row: row, documentOrdinal: ordinal, vector: normalised)
                    documents.release(previous)
                }
            } else {
                let ordinal = documents.retain(documentID)
                matrix.append(chunkID: chunkID, documentOrdinal: ordinal, vector: normalised)
            }
        }
    }
}
