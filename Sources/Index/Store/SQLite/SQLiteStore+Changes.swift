import Foundation
import GRDB
import Synchronization

/// The change feed of a SQLite file shared by several processes.
///
/// A write that other processes must hear about (new vectors, a project renamed, re-keyed or
/// deleted, a session revoked) adds a `change_log` row in its own transaction, so the change is
/// announced exactly when it commits. Subscribers poll the rows after the last they saw, every
/// ``changePollInterval``; rows written by this store are skipped. If rows were pruned before a
/// poller read them (a process paused for longer than ``changeRetention``), it publishes
/// `.resynchronize` and the caches start afresh.
extension SQLiteStore {
    /// How often subscribers look for new rows.
    static let changePollInterval: Duration = .milliseconds(250)
    /// How long a row is kept: far longer than any poll takes.
    static let changeRetention: TimeInterval = 600

    /// Changes committed from the moment of the call on, by other processes.
    public func changes() -> AsyncStream<StoreChange> {
        let stream = changeFeed.hub.subscribe()
        changeFeed.startPolling(after: { [pool] in try? pool.read(Self.lastChangeID) }) { [weak self] last in
            guard let self else { return nil }
            return try? await self.changes(after: last)
        }
        return stream
    }

    private static func lastChangeID(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM change_log") ?? 0
    }

    /// Records `change` for the other processes, in the transaction of `db`.
    func announce(_ change: StoreChange, in db: Database) throws {
        let now = Date().storedValue
        try db.execute(sql: "INSERT INTO change_log (message, created_at) VALUES (?, ?)",
                       arguments: [StoreChangeMessage.encode(change, from: instanceID), now])
        try db.execute(sql: "DELETE FROM change_log WHERE created_at < ?", arguments: [now - Self.changeRetention])
    }

    /// The rows after `last` (none when `last` is `nil`: only the newest id is kept) and
    /// whether rows between were pruned unread.
    func changes(after last: Int64?) async throws -> ChangeFeed.Batch {
        try await read { db in
            guard let last else {
                return ChangeFeed.Batch(lastID: try Self.lastChangeID(db), messages: [], missed: false)
            }
            let rows = try Row.fetchAll(db, sql: "SELECT id, message FROM change_log WHERE id > ? ORDER BY id LIMIT 1000",
                                        arguments: [last])
            let missed = rows.first.map { ($0["id"] as Int64) > last + 1 } ?? false
            return ChangeFeed.Batch(lastID: rows.last?["id"] ?? last, messages: rows.map { $0["message"] }, missed: missed)
        }
    }

    /// The subscribers of one store and the task that polls for them.
    final class ChangeFeed: Sendable {
        struct Batch: Sendable {
            var lastID: Int64
            var messages: [String]
            /// Rows between the last read and this batch were pruned unread.
            var missed: Bool
        }

        let hub = StoreChangeHub()
        let instanceID: UUID
        /// The poll task once started; `stopped` once the store closed (it never starts again).
        private let poller = Mutex<(task: Task<Void, Never>?, stopped: Bool)>((nil, false))

        init(instanceID: UUID) {
            self.instanceID = instanceID
        }

        /// Starts the poll task once, from the row after the one `first` names (read when the
        /// task starts, so that changes committed from then on are all seen); `read` gives the
        /// rows after an id (`nil` when the store is gone).
        func startPolling(after first: () -> Int64?, _ read: @escaping @Sendable (Int64?) async -> Batch?) {
            poller.withLock { state in
                guard state.task == nil, !state.stopped else { return }
                let hub = hub
                let instanceID = instanceID
                let start = first()
                state.task = Task {
                    var last = start
                    while !Task.isCancelled {
                        try? await Task.sleep(for: SQLiteStore.changePollInterval)
                        guard let batch = await read(last) else { continue }
                        if batch.missed && last != nil { hub.publish(.resynchronize) }
                        for message in batch.messages {
                            if let change = StoreChangeMessage.decode(message, ignoring: instanceID) { hub.publish(change) }
                        }
                        last = batch.lastID
                    }
                }
            }
        }

        /// Ends every subscription and the polling.
        func stop() {
            hub.finish()
            poller.withLock { state in
                state.task?.cancel()
                state.task = nil
                state.stopped = true
            }
        }
    }
}
