import Dispatch

/// The memory-bandwidth floor for a scan: the time to read the same bytes sequentially, summing
/// them with SIMD (four SIMD8 accumulators, no stores), so no top-k scan over them can be faster.
enum MemoryFloor {
    /// Sums `elements` (a multiple of 8 floats) with SIMD8 loads.
    @inline(never)
    static func sum(_ elements: UnsafeBufferPointer<Float>) -> Float {
        guard let base = elements.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        let chunks = elements.count / 8
        var a = SIMD8<Float>(), b = SIMD8<Float>(), c = SIMD8<Float>(), d = SIMD8<Float>()
        var chunk = 0
        while chunk &+ 4 <= chunks {
            a += raw.loadUnaligned(fromByteOffset: chunk &* 32, as: SIMD8<Float>.self)
            b += raw.loadUnaligned(fromByteOffset: (chunk &+ 1) &* 32, as: SIMD8<Float>.self)
            c += raw.loadUnaligned(fromByteOffset: (chunk &+ 2) &* 32, as: SIMD8<Float>.self)
            d += raw.loadUnaligned(fromByteOffset: (chunk &+ 3) &* 32, as: SIMD8<Float>.self)
            chunk &+= 4
        }
        while chunk < chunks {
            a += raw.loadUnaligned(fromByteOffset: chunk &* 32, as: SIMD8<Float>.self)
            chunk &+= 1
        }
        return (a + b + c + d).sum()
    }

    /// Sums `elements` split evenly over `threads` threads.
    static func sum(_ elements: UnsafeBufferPointer<Float>, threads: Int) -> Float {
        if threads <= 1 { return sum(elements) }
        let chunks = elements.count / 8
        let perThread = (chunks + threads - 1) / threads * 8
        // Each worker reads its own slice and writes its own partial: no shared mutable state.
        nonisolated(unsafe) let source = elements
        nonisolated(unsafe) let partials = UnsafeMutableBufferPointer<Float>.allocate(capacity: threads)
        defer { partials.deallocate() }
        DispatchQueue.concurrentPerform(iterations: threads) { part in
            let start = min(part * perThread, source.count)
            let end = min(start + perThread, source.count)
            partials[part] = sum(UnsafeBufferPointer(rebasing: source[start..<end]))
        }
        return partials.reduce(0, +)
    }
}
