import Index
import Search
import ServiceLifecycle

/// Runs the engine's background work beside the server: the embedding worker (it stops between
/// batches on shutdown, leaving the queue consistent) and the changes other processes commit,
/// applied to the cached lookups and the loaded vector indexes; and the syncs of Git sources,
/// each on its interval.
struct EngineService<Base: Store>: Service {
    let engine: Engine<CachedStore<Base>>
    let scheduler: SourceScheduler<CachedStore<Base>>

    func run() async throws {
        let cached = engine.store
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await engine.run { cached.apply($0) } }
                group.addTask { await scheduler.run() }
            }
        }
    }
}
