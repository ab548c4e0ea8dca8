import Synchronization

/// A bounded in-memory map for hot lookups; when full it starts over (lookups are cheap to
/// refill, and a full clear keeps the bookkeeping trivially correct).
///
/// Invariant: a value loaded from the store is cached only if no write touched the cache while
/// it was being loaded. A lookup that read the old project of a key being rotated, or "not
/// revoked" for a session being logged out, would otherwise put the stale answer back after the
/// write removed it. Every change (``store(_:for:)``, ``remove(where:)``, ``removeAll()``) moves
/// a generation; ``generation`` taken before a load is handed to ``fill(_:for:loadedAt:)``.
final class LookupCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct State {
        var entries: [Key: Value] = [:]
        var generation: UInt64 = 0
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// The generation to hand to ``fill(_:for:loadedAt:)`` for a load that starts now.
    var generation: UInt64 { state.withLock { $0.generation } }

    func value(for key: Key) -> Value? {
        state.withLock { $0.entries[key] }
    }

    /// Caches `value` as a write's outcome (the write is the newest word on the key).
    func store(_ value: Value, for key: Key) {
        state.withLock { state in
            state.generation &+= 1
            insert(value, for: key, into: &state)
        }
    }

    /// Caches a loaded `value` unless the cache changed since `generation` was read.
    func fill(_ value: Value, for key: Key, loadedAt generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation else { return }
            insert(value, for: key, into: &state)
        }
    }

    func remove(where shouldRemove: (Key, Value) -> Bool) {
        state.withLock { state in
            state.generation &+= 1
            state.entries = state.entries.filter { !shouldRemove($0.key, $0.value) }
        }
    }

    func removeAll() {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll()
        }
    }

    private func insert(_ value: Value, for key: Key, into state: inout State) {
        if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
        state.entries[key] = value
    }
}
