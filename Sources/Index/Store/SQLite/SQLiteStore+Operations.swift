import Foundation
import GRDB

extension SQLiteStore: StoreOperations {
    public func ping() async throws {
        _ = try await read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func close() async {
        changeFeed.stop()
        try? pool.close()
    }

    public func totals() async throws -> StoreTotals {
        try await read { db in
            StoreTotals(
                documents: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document") ?? 0,
                embeddedChunks: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM chunk WHERE embedding IS NOT NULL") ?? 0)
        }
    }
}
