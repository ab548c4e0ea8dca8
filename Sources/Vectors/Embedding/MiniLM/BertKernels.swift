/// The elementwise and row-wise steps of the BERT forward pass, over row-major float matrices.
///
/// Rows are processed eight floats at a time with a scalar tail; nothing here allocates.
/// Pointers must reference at least `rows × width` floats.
enum BertKernels {
    /// Sets every row of `matrix` to `vector` (`width` floats), e.g. to seed a product with its bias.
    static func broadcast(_ vector: UnsafePointer<Float>, into matrix: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        for row in 0..<rows {
            (matrix + row * width).update(from: vector, count: width)
        }
    }

    /// Replaces each row x of `matrix` by LayerNorm(x + bias) = (y − mean) / √(var + ε) · γ + β,
    /// where y = x + bias, with the biased variance, as in PyTorch.
    static func addBiasLayerNorm(
        _ matrix: UnsafeMutablePointer<Float>, rows: Int, width: Int, bias: UnsafePointer<Float>?,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float
    ) {
        let vectorEnd = width & ~7
        for row in 0..<rows {
            let x = matrix + row * width
            if let bias {
                var i = 0
                while i < vectorEnd {
                    store(load(x + i) + load(bias + i), x + i)
                    i += 8
                }
                while i < width {
                    x[i] += bias[i]
                    i += 1
                }
            }
            var sum = SIMD8<Float>.zero
            var i = 0
            while i < vectorEnd {
                sum += load(x + i)
                i += 8
            }
            var total = sum.sum()
            while i < width {
                total += x[i]
                i += 1
            }
            let mean = total / Float(width)
            var squares = SIMD8<Float>.zero
            i = 0
            while i < vectorEnd {
                let centred = load(x + i) - mean
                squares += centred * centred
                i += 8
            }
            var squareTotal = squares.sum()
            while i < width {
                squareTotal += (x[i] - mean) * (x[i] - mean)
                i += 1
            }
            let inverse = 1 / (squareTotal / Float(width) + epsilon).squareRoot()
            i = 0
            while i < vectorEnd {
                store((load(x + i) - mean) * inverse * load(gamma + i) + load(beta + i), x + i)
                i += 8
            }
            while i < width {
                x[i] = (x[i] - mean) * inverse * gamma[i] + beta[i]
                i += 1
            }
        }
    }

    /// Replaces each element x of `matrix` by GELU(x + bias[column]), the exact erf form.
    static func addBiasGELU(_ matrix: UnsafeMutablePointer<Float>, rows: Int, width: Int, bias: UnsafePointer<Float>) {
        let vectorEnd = width & ~7
        for row in 0..<rows {
            let x = matrix + row * width
            var i = 0
            while i < vectorEnd {
                store(VectorMath.gelu(load(x + i) + load(bias + i)), x + i)
                i += 8
            }
            while i < width {
                x[i] = VectorMath.gelu(x[i] + bias[i])
                i += 1
            }
        }
    }

    /// Replaces each row of `matrix` (`stride` apart) by its softmax over the first `width`
    /// elements, subtracting the row maximum first so no exponential overflows.
    static func softmaxRows(_ matrix: UnsafeMutablePointer<Float>, rows: Int, width: Int, stride: Int) {
        let vectorEnd = width & ~7
        for row in 0..<rows {
            let x = matrix + row * stride
            var maximum = -Float.infinity
            var i = 0
            if vectorEnd > 0 {
                var lanes = load(x)
                i = 8
                while i < vectorEnd {
                    let next = load(x + i)
                    lanes = lanes.replacing(with: next, where: next .> lanes)
                    i += 8
                }
                maximum = lanes.max()
            }
            while i < width {
                maximum = max(maximum, x[i])
                i += 1
            }
            var sums = SIMD8<Float>.zero
            i = 0
            while i < vectorEnd {
                let e = VectorMath.exp(load(x + i) - maximum)
                store(e, x + i)
                sums += e
                i += 8
            }
            var total = sums.sum()
            while i < width {
                x[i] = VectorMath.exp(x[i] - maximum)
                total += x[i]
                i += 1
            }
            let inverse = 1 / total
            i = 0
            while i < vectorEnd {
                store(load(x + i) * inverse, x + i)
                i += 8
            }
            while i < width {
                x[i] *= inverse
                i += 1
            }
        }
    }

    /// Writes the mean of `rows` rows of `matrix` into `result` (`width` floats), then scales
    /// `result` to unit length (left as is when it is all zeros).
    static func meanPoolAndNormalize(
        _ matrix: UnsafePointer<Float>, rows: Int, width: Int, into result: UnsafeMutablePointer<Float>
    ) {
        result.update(repeating: 0, count: width)
        for row in 0..<rows {
            let x = matrix + row * width
            for i in 0..<width { result[i] += x[i] }
        }
        let scale = 1 / Float(max(rows, 1))
        var squares: Float = 0
        for i in 0..<width {
            result[i] *= scale
            squares += result[i] * result[i]
        }
        guard squares > 0 else { return }
        // sentence-transformers divides by max(norm, 1e-12); the norm of a mean embedding is far above that.
        let inverse = 1 / max(squares.squareRoot(), 1e-12)
        for i in 0..<width { result[i] *= inverse }
    }

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    private static func load(_ pointer: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    private static func store(_ value: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD8<Float>.self)
    }
}
