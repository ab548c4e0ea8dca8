import Synchronization

/// Wakes a background worker early: the worker waits up to its idle delay, and a `notify()`
/// (a write that queued work) ends the wait at once. A notify while the worker is busy is kept,
/// so its next wait returns immediately.
public final class WorkSignal: Sendable {
    private let state = Mutex<(pending: Bool, sleeper: Task<Void, Never>?)>((false, nil))

    public init() {}

    /// Ends the current wait, or the next one if no wait is running.
    public func notify() {
        state.withLock { state in
            if let sleeper = state.sleeper {
                sleeper.cancel()
            } else {
                state.pending = true
            }
        }
    }

    /// Waits `delay`, or less if notified.
    public func wait(upTo delay: Duration) async {
        let sleeper = Task<Void, Never> { try? await Task.sleep(for: delay) }
        let notified = state.withLock { state in
            if state.pending {
                state.pending = false
                return true
            }
            state.sleeper = sleeper
            return false
        }
        if notified { sleeper.cancel() }
        await withTaskCancellationHandler {
            await sleeper.value
        } onCancel: {
            sleeper.cancel()
        }
        state.withLock { state in
            state.sleeper = nil
        }
    }
}
