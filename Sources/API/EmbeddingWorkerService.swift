import Index
import Search
import ServiceLifecycle

/// Runs the embedding worker beside the server; it stops between batches on shutdown, leaving
/// the queue (the database) consistent.
struct EmbeddingWorkerService<AppStore: EmbeddingStore>: Service {
    let worker: EmbeddingWorker<AppStore>

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await worker.run()
        }
    }
}
