import CBLAS

/// Facts about the BLAS library Lore is linked against.
public enum BLASInfo {
    /// OpenBLAS's name for the CPU kernel it chose (`Haswell`, `Zen`, …).
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// Sets how many threads OpenBLAS may use for one call.
    public static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(count))
    }
}
