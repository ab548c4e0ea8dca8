import Index
import Search
import ServiceLifecycle

/// Runs the engine's background work beside the server: the embedding worker (it stops between
/// batches on shutdown, leaving the queue consistent) and the changes other processes commit,
/// applied to the cached lookups and the loaded vector indexes.
struct EngineService<Base: Store>: Service {
    let engine: Engine<CachedStore<Base>>

    func run() async throws {
        let cached = engine.store
        await cancelWhenGracefulShutdown {
            await engine.run { cached.apply($0) }
        }
    }
}
