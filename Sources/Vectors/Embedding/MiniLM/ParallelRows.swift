import Dispatch

/// Splits row-wise work across threads, for the encoder steps that BLAS does not cover.
///
/// `body` is not required to be `Sendable`: callers hand it pointers into their own buffers,
/// and each worker touches only its own rows or items. `concurrentPerform` returns only when
/// every worker is done, so nothing escapes the call.
enum ParallelRows {
    /// Calls `body` on `workers` contiguous ranges covering `0..<count`, concurrently, or once
    /// on the whole range when there is one worker or too little work to share.
    static func forEachRange(of count: Int, workers: Int, minimumPerWorker: Int = 16, _ body: (Range<Int>) -> Void) {
        let workers = min(workers, count / max(minimumPerWorker, 1))
        guard workers > 1 else {
            body(0..<count)
            return
        }
        nonisolated(unsafe) let body = body
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            body(count * worker / workers ..< count * (worker + 1) / workers)
        }
    }

    /// Calls `body(item, worker)` for every item of `0..<count`, item `i` on worker
    /// `i % workers`, with up to `workers` threads at once.
    static func forEachItem(of count: Int, workers: Int, _ body: (_ item: Int, _ worker: Int) -> Void) {
        let workers = max(1, min(workers, count))
        guard workers > 1 else {
            for item in 0..<count { body(item, 0) }
            return
        }
        nonisolated(unsafe) let body = body
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for item in stride(from: worker, to: count, by: workers) { body(item, worker) }
        }
    }
}
