import Synchronization

/// A bounded in-memory map for hot lookups; when full it starts over (lookups are cheap to
/// refill, and a full clear keeps the bookkeeping trivially correct).
final class LookupCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let entries = Mutex<[Key: Value]>([:])
    let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    func value(for key: Key) -> Value? {
        entries.withLock { $0[key] }
    }

    func store(_ value: Value, for key: Key) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = value
        }
    }

    func remove(where shouldRemove: (Key, Value) -> Bool) {
        entries.withLock { entries in
            entries = entries.filter { !shouldRemove($0.key, $0.value) }
        }
    }

    func removeAll() {
        entries.withLock { $0.removeAll() }
    }
}
