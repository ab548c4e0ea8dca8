/// Scaled dot-product attention of one head over one sequence, for heads 32 floats wide (the
/// MiniLM models): softmax(Q·Kᵀ/√32)·V, fused so that scores never leave the cache.
///
/// BLAS is a poor fit at this size: the products are 185 × 185 × 32 for a typical Cranfield
/// document, where `cblas_sgemm` reaches ~50 GFLOP/s on one thread and collapses to ~6 when
/// OpenBLAS splits it over two; twelve heads of a batch of sequences are, on the other hand,
/// independent work items that the encoder spreads over its own threads. Keys are transposed
/// once so that eight scores accumulate in one register, four query rows at a time; the
/// context then accumulates as two rows × 32 floats in eight registers.
enum BertAttentionKernel {
    /// The head width this kernel handles.
    static let headSize = 32

    /// The floats of scratch one call needs for a sequence of `length` tokens.
    static func scratchCount(length: Int) -> Int {
        let padded = (length + 7) & ~7
        return padded * headSize + 4 * padded
    }

    /// Writes the attention output of rows `query`, `key`, `value` (each `length` rows,
    /// `stride` floats apart, 32 floats used) into `output` (rows `outputStride` apart).
    ///
    /// `scratch` must hold `scratchCount(length:)` floats.
    static func attend(
        query: UnsafePointer<Float>, key: UnsafePointer<Float>, value: UnsafePointer<Float>, stride: Int,
        length: Int, scale: Float, output: UnsafeMutablePointer<Float>, outputStride: Int,
        scratch: UnsafeMutablePointer<Float>
    ) {
        let padded = (length + 7) & ~7
        let keys = scratch
        let scores = scratch + padded * headSize
        for column in 0..<length {
            let row = key + column * stride
            for dimension in 0..<headSize { keys[dimension * padded + column] = row[dimension] }
        }
        for dimension in 0..<headSize {
            (keys + dimension * padded + length).update(repeating: 0, count: padded - length)
        }
        var first = 0
        while first < length {
            let rows = min(4, length - first)
            // Missing rows of the last block repeat the first; their results are not stored.
            let q0 = query + first * stride
            let q1 = rows > 1 ? q0 + stride : q0
            let q2 = rows > 2 ? q0 + 2 * stride : q0
            let q3 = rows > 3 ? q0 + 3 * stride : q0
            var column = 0
            while column < padded {
                var s0 = SIMD8<Float>.zero, s1 = SIMD8<Float>.zero, s2 = SIMD8<Float>.zero, s3 = SIMD8<Float>.zero
                var k = UnsafePointer(keys + column)
                for dimension in 0..<headSize {
                    let lanes = load(k)
                    s0 = s0.addingProduct(SIMD8(repeating: q0[dimension]), lanes)
                    s1 = s1.addingProduct(SIMD8(repeating: q1[dimension]), lanes)
                    s2 = s2.addingProduct(SIMD8(repeating: q2[dimension]), lanes)
                    s3 = s3.addingProduct(SIMD8(repeating: q3[dimension]), lanes)
                    k += padded
                }
                store(s0 * scale, scores + column)
                store(s1 * scale, scores + padded + column)
                store(s2 * scale, scores + 2 * padded + column)
                store(s3 * scale, scores + 3 * padded + column)
                column += 8
            }
            BertKernels.softmaxRows(scores, rows: rows, width: length, stride: padded)
            var pair = 0
            while pair < rows {
                let p0 = UnsafePointer(scores + pair * padded)
                let p1 = pair + 1 < rows ? p0 + padded : p0
                var c00 = SIMD8<Float>.zero, c01 = SIMD8<Float>.zero, c02 = SIMD8<Float>.zero, c03 = SIMD8<Float>.zero
                var c10 = SIMD8<Float>.zero, c11 = SIMD8<Float>.zero, c12 = SIMD8<Float>.zero, c13 = SIMD8<Float>.zero
                var v = value
                for column in 0..<length {
                    let v0 = load(v), v1 = load(v + 8), v2 = load(v + 16), v3 = load(v + 24)
                    let w0 = SIMD8<Float>(repeating: p0[column]), w1 = SIMD8<Float>(repeating: p1[column])
                    c00 = c00.addingProduct(w0, v0)
                    c01 = c01.addingProduct(w0, v1)
                    c02 = c02.addingProduct(w0, v2)
                    c03 = c03.addingProduct(w0, v3)
                    c10 = c10.addingProduct(w1, v0)
                    c11 = c11.addingProduct(w1, v1)
                    c12 = c12.addingProduct(w1, v2)
                    c13 = c13.addingProduct(w1, v3)
                    v += stride
                }
                let out0 = output + (first + pair) * outputStride
                store(c00, out0)
                store(c01, out0 + 8)
                store(c02, out0 + 16)
                store(c03, out0 + 24)
                if pair + 1 < rows {
                    let out1 = out0 + outputStride
                    store(c10, out1)
                    store(c11, out1 + 8)
                    store(c12, out1 + 16)
                    store(c13, out1 + 24)
                }
                pair += 2
            }
            first += 4
        }
    }

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    private static func store(_ value: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD8<Float>.self)
    }
}
