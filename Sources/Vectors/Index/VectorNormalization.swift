/// Validates vectors and scales them to unit length.
///
/// The norm is computed in `Double` and each component divided by it in `Double` before rounding
/// once to `Float`, so large finite components cannot overflow the sum of squares, tiny ones do
/// not underflow to a zero vector, and each stored component is the correctly rounded unit value.
enum VectorNormalization {
    /// The L2 norm of `vector`, after checking it.
    /// - Throws: ``VectorError/dimensionMismatch(expected:actual:)``,
    ///   ``VectorError/nonFiniteComponent(index:)`` or ``VectorError/zeroVector``.
    static func norm(of vector: [Float], dimension: Int) throws(VectorError) -> Double {
        guard vector.count == dimension else {
            throw .dimensionMismatch(expected: dimension, actual: vector.count)
        }
        var sumOfSquares = 0.0
        for (index, component) in vector.enumerated() {
            guard component.isFinite else { throw .nonFiniteComponent(index: index) }
            sumOfSquares += Double(component) * Double(component)
        }
        guard sumOfSquares > 0 else { throw .zeroVector }
        return sumOfSquares.squareRoot()
    }

    /// Writes `vector` divided by `norm` into the first `vector.count` elements of `destination`.
    static func write(_ vector: [Float], dividedBy norm: Double, into destination: UnsafeMutableBufferPointer<Float>) {
        for index in vector.indices {
            destination[index] = Float(Double(vector[index]) / norm)
        }
    }

    /// `vector` scaled to unit length and zero-padded to `stride` floats, ready for the kernels.
    static func paddedUnitVector(_ vector: [Float], dimension: Int, stride: Int) throws(VectorError) -> [Float] {
        let norm = try norm(of: vector, dimension: dimension)
        var padded = [Float](repeating: 0, count: stride)
        padded.withUnsafeMutableBufferPointer { write(vector, dividedBy: norm, into: $0) }
        return padded
    }
}
