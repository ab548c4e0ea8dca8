import Foundation
import GRDB

extension SQLiteStore: SessionStore {
    public func revokeSession(id: String, expiresAt: Date) async throws {
        let now = Date().storedValue
        try await write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO revoked_session (jti, expires_at) VALUES (?, ?)",
                           arguments: [id, expiresAt.storedValue])
            try db.execute(sql: "DELETE FROM revoked_session WHERE expires_at < ?", arguments: [now])
        }
    }

    public func isSessionRevoked(id: String) async throws -> Bool {
        try await read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM revoked_session WHERE jti = ?)", arguments: [id]) ?? false
        }
    }
}

extension SQLiteStore: StoreHealth {
    public func ping() async throws {
        _ = try await read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func close() async {
        try? pool.close()
    }
}
