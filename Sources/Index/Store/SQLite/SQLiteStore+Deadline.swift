import Foundation
import GRDB
import GRDBSQLite

extension SQLiteStore {
    /// How long one search may run in SQLite before it is interrupted: the counterpart of
    /// PostgreSQL's `statement_timeout`. An interrupted search is a storage error (503), and the
    /// connection goes back to the pool unharmed.
    static let searchTimeout: Duration = .seconds(30)

    /// A read whose statements are interrupted once `timeout` has passed (SQLite's progress
    /// handler checks the clock every 10,000 virtual-machine steps).
    func read<T: Sendable>(
        deadline timeout: Duration, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        try await read { db in
            let nanoseconds = UInt64(max(0, timeout.components.seconds)) * 1_000_000_000
                + UInt64(max(0, timeout.components.attoseconds) / 1_000_000_000)
            let deadline = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
            deadline.initialize(to: DispatchTime.now().uptimeNanoseconds &+ nanoseconds)
            sqlite3_progress_handler(db.sqliteConnection, 10_000, { context in
                guard let context else { return 0 }
                let deadline = context.assumingMemoryBound(to: UInt64.self).pointee
                return DispatchTime.now().uptimeNanoseconds > deadline ? 1 : 0
            }, UnsafeMutableRawPointer(deadline))
            defer {
                sqlite3_progress_handler(db.sqliteConnection, 0, nil, nil)
                deadline.deallocate()
            }
            return try body(db)
        }
    }
}
