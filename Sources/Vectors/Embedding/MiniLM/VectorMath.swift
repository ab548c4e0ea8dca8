#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Eight-lane float functions for the encoder's elementwise steps (softmax and GELU), which
/// would otherwise cost as much as the matrix products around them.
///
/// Pure SIMD arithmetic, so that with `-mavx2 -mfma` each call compiles to a few AVX2
/// instructions without branches or libm calls. Scalar versions handle the tails of rows whose
/// length is not a multiple of 8.
enum VectorMath {
    /// e^x for every lane, with a relative error of about 2e-7 (Cephes `expf`'s polynomial).
    ///
    /// Inputs below -87.3 give about 1e-38 rather than 0; inputs above 88.3 are clamped.
    @inline(__always)
    static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        // Only the lower clamp matters for softmax and GELU, whose arguments are never positive;
        // the upper one keeps the result finite for any input.
        var x = x.replacing(with: -87.3, where: x .< -87.3).replacing(with: 88.3, where: x .> 88.3)
        // Round x·log2(e) to the nearest integer n by adding 1.5·2^23: n sits in the low bits.
        let shifter = SIMD8<Float>(repeating: 12_582_912)
        let shifted = shifter.addingProduct(x, 1.442_695_04)
        let n = shifted - shifter
        x = x.addingProduct(n, -0.693_359_375).addingProduct(n, 2.121_944_4e-4)
        var y = SIMD8<Float>(repeating: 1.987_569_15e-4)
        y = SIMD8(repeating: 1.398_199_95e-3).addingProduct(y, x)
        y = SIMD8(repeating: 8.333_451_9e-3).addingProduct(y, x)
        y = SIMD8(repeating: 4.166_579_59e-2).addingProduct(y, x)
        y = SIMD8(repeating: 1.666_666_55e-1).addingProduct(y, x)
        y = SIMD8(repeating: 5.000_000_12e-1).addingProduct(y, x)
        y = (x + 1).addingProduct(y, x * x)
        let integer = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(shifter, to: SIMD8<Int32>.self)
        let scale = unsafeBitCast((integer &+ 127) &<< 23, to: SIMD8<Float>.self)
        return y * scale
    }

    /// GELU(x) = x · Φ(x) = x/2 · (1 + erf(x/√2)) for every lane, the exact (erf) form BERT uses.
    ///
    /// erf comes from Abramowitz & Stegun 7.1.26 (absolute error under 1.5e-7), the formula
    /// PyTorch's vectorised CPU kernel uses. For negative x, 1 + erf is computed directly as the
    /// small tail term, without cancellation.
    @inline(__always)
    static func gelu(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let u = x * 0.707_106_78
        let magnitude = unsafeBitCast(unsafeBitCast(u, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: SIMD8<Float>.self)
        let t = 1 / SIMD8<Float>(repeating: 1).addingProduct(magnitude, 0.327_591_1)
        var p = SIMD8<Float>(repeating: 1.061_405_429)
        p = SIMD8(repeating: -1.453_152_027).addingProduct(p, t)
        p = SIMD8(repeating: 1.421_413_741).addingProduct(p, t)
        p = SIMD8(repeating: -0.284_496_736).addingProduct(p, t)
        p = SIMD8(repeating: 0.254_829_592).addingProduct(p, t)
        let tail = p * t * exp(-(magnitude * magnitude))
        let onePlusErf = (2 - tail).replacing(with: tail, where: x .< 0)
        return x * 0.5 * onePlusErf
    }

    /// The scalar exact GELU, for row tails.
    @inline(__always)
    static func gelu(_ x: Float) -> Float {
        0.5 * x * (1 + erff(x * 0.707_106_78))
    }

    /// The scalar e^x, for row tails.
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        expf(x)
    }
}
