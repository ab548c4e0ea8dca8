/// How ``VectorIndex`` scores a single query against its matrix.
public enum SingleQueryStrategy: Sendable, CaseIterable {
    /// The fused SIMD dot-product-plus-top-k scan: reads each row once and writes no scores.
    /// Skips rows filtered out without reading them.
    case fusedScan
    /// `cblas_sgemv` over row tiles into a small score buffer, then a top-k pass over it.
    /// Uses as many OpenBLAS threads as are configured; filtered-out rows are still scored.
    case sgemv

    /// The strategy searches use unless told otherwise: the fused scan. On the target machine
    /// (Zen 3, 384 dimensions, 10k–1M rows) it ran at 0.93–1.01× the time of a plain SIMD read
    /// of the matrix, sgemv at 1.05–1.5× (see `Benchmarks/Sources/VectorBenchmark`).
    public static let `default`: SingleQueryStrategy = .fusedScan
}
