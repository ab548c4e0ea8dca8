import Search
import Testing

@Suite("Waking the embedding worker")
struct WorkSignalTests {
    /// An hour-long wait ends on notify: without the signal this test would not finish.
    @Test func notifyEndsAWait() async {
        let signal = WorkSignal()
        let waiter = Task { await signal.wait(upTo: .seconds(3600)) }
        // Notify until the waiter has gone to sleep and been woken (a notify before it sleeps is
        // kept for it, so either order ends the wait).
        signal.notify()
        await waiter.value
    }

    @Test func aNotifyWhileBusyIsKeptForTheNextWait() async {
        let signal = WorkSignal()
        signal.notify()
        await signal.wait(upTo: .seconds(3600))
        // The pending notify was used up: the next wait sleeps until its own notify.
        let waiter = Task { await signal.wait(upTo: .seconds(3600)) }
        try? await Task.sleep(for: .milliseconds(20))
        signal.notify()
        await waiter.value
    }
}
