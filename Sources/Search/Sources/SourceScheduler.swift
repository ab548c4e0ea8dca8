import Foundation
import Index
import Logging

/// Runs the syncs of `lore serve`: every source on its interval, and at once when asked (a push
/// webhook, `POST …/sync`).
///
/// Within one process a source syncs once at a time: a request while it syncs runs one more sync
/// after it, so a push during a sync is never missed. Across instances the store's claim decides;
/// a request that meets another instance's claim tries again until that sync is over. At most
/// ``maximumConcurrentSyncs`` run at once, so a burst of requests cannot start a git per request.
public actor SourceScheduler<SyncedStore: Store> {
    let syncer: SourceSyncer<SyncedStore>
    let store: SyncedStore
    let tick: Duration
    let logger: Logger
    private var running: Set<UUID> = []
    private var again: Set<UUID> = []

    public static var maximumConcurrentSyncs: Int { 4 }

    public init(engine: Engine<SyncedStore>, tick: Duration = .seconds(5), logger: Logger) {
        syncer = engine.sources
        store = engine.store
        self.tick = tick
        self.logger = logger
    }

    /// Syncs due sources every tick until the task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            do {
                for source in try await store.dueSources(at: Date(), limit: 16) where !running.contains(source.id) {
                    if Task.isCancelled { return }
                    await syncNow(source.id, in: source.projectId)
                }
            } catch {
                logger.warning("sources: could not list the sources due for a sync: \(error)")
            }
            try? await Task.sleep(for: tick)
        }
    }

    /// Asks for a sync of the source as soon as possible; returns at once.
    public nonisolated func requestSync(of sourceID: UUID, in projectID: UUID) {
        Task { await self.syncSoon(sourceID, in: projectID) }
    }

    /// How long a requested sync keeps trying while another instance holds the source.
    static var patience: Duration { .seconds(SyncLease.duration * 2) }

    private func syncSoon(_ sourceID: UUID, in projectID: UUID) async {
        if running.contains(sourceID) {
            again.insert(sourceID)
            return
        }
        let deadline = ContinuousClock.now + Self.patience
        repeat {
            if await syncNow(sourceID, in: projectID) != .busy { break }
            try? await Task.sleep(for: .seconds(1))
        } while ContinuousClock.now < deadline && !running.contains(sourceID)
    }

    private enum Result { case done, busy }

    /// One sync, and one more for every request that arrived while it ran.
    @discardableResult
    private func syncNow(_ sourceID: UUID, in projectID: UUID) async -> Result {
        guard !running.contains(sourceID) else {
            again.insert(sourceID)
            return .done
        }
        while running.count >= Self.maximumConcurrentSyncs {
            try? await Task.sleep(for: .milliseconds(200))
            if running.contains(sourceID) {
                again.insert(sourceID)
                return .done
            }
        }
        running.insert(sourceID)
        defer { running.remove(sourceID) }
        repeat {
            again.remove(sourceID)
            do {
                _ = try await syncer.sync(sourceID, in: projectID)
            } catch .busy {
                return .busy
            } catch {
                // Recorded as the source's lastError and logged by the syncer.
            }
        } while again.contains(sourceID)
        return .done
    }
}
