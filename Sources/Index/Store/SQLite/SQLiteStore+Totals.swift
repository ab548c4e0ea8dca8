import Foundation
import GRDB

/// Counts over every project, for the `/metrics` gauges.
public struct StoreTotals: Sendable, Equatable {
    /// Stored documents.
    public var documents: Int
    /// Chunks that have a vector.
    public var embeddedChunks: Int
}

/// A store that can count what it holds across all projects.
public protocol StoreTotalsReporting: Sendable {
    /// Documents, and chunks with a vector, over all projects.
    func totals() async throws -> StoreTotals
}

extension SQLiteStore: StoreTotalsReporting {
    public func totals() async throws -> StoreTotals {
        try await read { db in
            StoreTotals(
                documents: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document") ?? 0,
                embeddedChunks: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM chunk WHERE embedding IS NOT NULL") ?? 0)
        }
    }
}
