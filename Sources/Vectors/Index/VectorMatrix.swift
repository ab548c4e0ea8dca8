/// One contiguous, row-major buffer of unit-length Float32 vectors with the chunk and document
/// each row belongs to.
///
/// Rows are `stride` floats apart, where `stride` is `dimension` rounded up to a multiple of 8 and
/// the padding is kept at zero, so SIMD kernels never need a scalar tail and BLAS sees a plain
/// matrix with leading dimension `stride`. Growth doubles the capacity (amortised O(1) append);
/// removal moves the last row into the hole, so no removal copies more than one row. The buffer
/// shrinks by half when it falls below a quarter full.
///
/// Not thread-safe: ``VectorIndex`` guards it with its lock.
final class VectorMatrix {
    /// The number of meaningful floats in a row.
    let dimension: Int
    /// The distance in floats between the starts of two consecutive rows (a multiple of 8).
    let stride: Int
    /// The first float of row 0; valid for `capacity * stride` floats.
    private(set) var base: UnsafeMutablePointer<Float>
    /// The number of rows the buffer holds without growing.
    private(set) var capacity: Int
    /// The number of rows in use.
    private(set) var count: Int = 0
    /// Row → chunk id.
    private(set) var chunkIDs: [Int64] = []
    /// Row → document ordinal (see ``DocumentOrdinals``).
    private(set) var documentOrdinals: [Int32] = []
    /// Chunk id → row.
    private(set) var rowsByChunk: [Int64: Int] = [:]

    /// The alignment of the buffer in bytes: a cache line, which also suits AVX loads.
    static let alignment = 64
    private static let minimumCapacity = 16

    /// Creates an empty matrix for vectors of `dimension` floats (`dimension > 0`).
    init(dimension: Int, capacity: Int = 0) {
        precondition(dimension > 0, "a vector dimension must be positive")
        self.dimension = dimension
        self.stride = (dimension + 7) / 8 * 8
        self.capacity = max(capacity, Self.minimumCapacity)
        self.base = Self.allocate(rows: self.capacity, stride: stride)
    }

    deinit {
        base.deallocate()
    }

    /// The pointer to the first float of `row`.
    @inline(__always)
    func row(_ row: Int) -> UnsafeMutablePointer<Float> {
        base + row * stride
    }

    /// The row holding `chunkID`, if any.
    func row(of chunkID: Int64) -> Int? {
        rowsByChunk[chunkID]
    }

    /// Makes room for at least `rows` rows without further growth.
    func reserveCapacity(_ rows: Int) {
        if rows > capacity { reallocate(capacity: rows) }
    }

    /// Adds a row; `vector` must hold `dimension` floats, already normalised.
    /// - Returns: the new row's index.
    @discardableResult
    func append(chunkID: Int64, documentOrdinal: Int32, vector: UnsafeBufferPointer<Float>) -> Int {
        precondition(rowsByChunk[chunkID] == nil, "chunk already has a row")
        if count == capacity { reallocate(capacity: capacity * 2) }
        let index = count
        write(vector, to: index)
        chunkIDs.append(chunkID)
        documentOrdinals.append(documentOrdinal)
        rowsByChunk[chunkID] = index
        count += 1
        return index
    }

    /// Overwrites `row` in place with `vector` (already normalised) and its document ordinal.
    func replace(row index: Int, documentOrdinal: Int32, vector: UnsafeBufferPointer<Float>) {
        precondition(index >= 0 && index < count, "row out of range")
        write(vector, to: index)
        documentOrdinals[index] = documentOrdinal
    }

    /// Removes `row` by moving the last row into its place.
    /// - Returns: the chunk id and document ordinal the removed row held.
    @discardableResult
    func removeRow(at index: Int) -> (chunkID: Int64, documentOrdinal: Int32) {
        precondition(index >= 0 && index < count, "row out of range")
        let removed = (chunkID: chunkIDs[index], documentOrdinal: documentOrdinals[index])
        let last = count - 1
        if index != last {
            row(index).update(from: row(last), count: stride)
            let movedChunk = chunkIDs[last]
            chunkIDs[index] = movedChunk
            documentOrdinals[index] = documentOrdinals[last]
            rowsByChunk[movedChunk] = index
        }
        chunkIDs.removeLast()
        documentOrdinals.removeLast()
        rowsByChunk[removed.chunkID] = nil
        count = last
        if capacity > Self.minimumCapacity && count < capacity / 4 {
            reallocate(capacity: max(capacity / 2, Self.minimumCapacity))
        }
        return removed
    }

    /// The bytes this matrix holds: the buffer, the parallel arrays and an estimate of the
    /// dictionary (keys, values and hash-table slack).
    var memoryBytes: Int {
        let buffer = capacity * stride * MemoryLayout<Float>.stride
        let arrays = chunkIDs.capacity * MemoryLayout<Int64>.stride
            + documentOrdinals.capacity * MemoryLayout<Int32>.stride
        let dictionary = rowsByChunk.capacity * (MemoryLayout<Int64>.stride + MemoryLayout<Int>.stride) * 9 / 8
        return buffer + arrays + dictionary
    }

    private func write(_ vector: UnsafeBufferPointer<Float>, to index: Int) {
        precondition(vector.count == dimension, "vector has the wrong dimension")
        let destination = row(index)
        destination.update(from: vector.baseAddress!, count: dimension)
        if stride > dimension {
            (destination + dimension).update(repeating: 0, count: stride - dimension)
        }
    }

    private func reallocate(capacity newCapacity: Int) {
        let newBase = Self.allocate(rows: newCapacity, stride: stride)
        newBase.update(from: base, count: count * stride)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    private static func allocate(rows: Int, stride: Int) -> UnsafeMutablePointer<Float> {
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: rows * stride * MemoryLayout<Float>.stride, alignment: alignment)
        return raw.bindMemory(to: Float.self, capacity: rows * stride)
    }
}
