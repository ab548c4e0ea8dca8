import Index
import Logging
import Search
import ServiceLifecycle

/// Applies the changes other instances commit (PostgreSQL notifications) to this instance's
/// caches: project and session lookups, and loaded vector indexes.
struct StoreChangeService<Base: Store>: Service {
    let changes: AsyncStream<StoreChange>
    let store: CachedStore<Base>
    let semantic: SemanticSearcher?
    let logger: Logger

    func run() async throws {
        for await change in changes.cancelOnGracefulShutdown() {
            logger.debug("change from another instance", metadata: ["change": .string("\(change)")])
            store.apply(change)
            await semantic?.apply(change, store: store)
        }
    }
}
