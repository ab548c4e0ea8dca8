import Index
import ServiceLifecycle

/// Closes the store's connections once the server and the other services have stopped (the
/// services shut down in reverse order, and this one is first).
struct StoreClosingService<AppStore: Store>: Service {
    let store: AppStore

    func run() async throws {
        try? await gracefulShutdown()
        await store.close()
    }
}
