import Foundation
import GRDB

extension SQLiteStore: SessionStore {
    public func revokeSession(id: String, expiresAt: Date) async throws {
        let now = Date().storedValue
        try await write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO revoked_session (jti, expires_at) VALUES (?, ?)",
                           arguments: [id, expiresAt.storedValue])
            try db.execute(sql: "DELETE FROM revoked_session WHERE expires_at < ?", arguments: [now])
            try self.announce(.sessionRevoked(id), in: db)
        }
    }

    public func isSessionRevoked(id: String) async throws -> Bool {
        try await read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM revoked_session WHERE jti = ?)", arguments: [id]) ?? false
        }
    }
}
