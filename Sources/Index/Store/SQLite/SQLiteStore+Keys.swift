import Foundation
import GRDB

extension SQLiteStore: KeyStore {
    public func createKey(_ new: NewProjectKey, in projectID: UUID) async throws -> (ProjectKey, secret: String) {
        let (key, secret) = try new.validated(projectID: projectID)
        try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM project WHERE id = ?)", arguments: [projectID.key]) == true else {
                throw IndexError.notFound(entity: "project")
            }
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM api_key WHERE project_id = ?", arguments: [projectID.key]) ?? 0
            guard count < ProjectKey.maximumPerProject else { throw KeyLimit.reached }
            try Self.insert(key, hash: APIKey.hash(secret), db: db)
        }
        return (key, secret)
    }

    public func keys(in projectID: UUID, page: PageRequest) async throws -> Page<ProjectKey> {
        try await read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM api_key WHERE project_id = ?", arguments: [projectID.key]) ?? 0
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM api_key WHERE project_id = ? ORDER BY created_at, id LIMIT ? OFFSET ?
                """, arguments: [projectID.key, page.limit, page.offset])
            return Page(items: rows.map(Self.key(from:)), offset: page.offset, limit: page.limit, total: total)
        }
    }

    public func revokeKey(id: UUID, in projectID: UUID) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM api_key WHERE id = ? AND project_id = ?", arguments: [id.key, projectID.key])
            guard db.changesCount > 0 else { throw IndexError.notFound(entity: "key") }
            try self.announce(.project(projectID), in: db)
        }
    }

    public func grant(apiKey: String) async throws -> KeyGrant {
        let hash = APIKey.hash(apiKey)
        let grant = try await read { db -> KeyGrant? in
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM project WHERE api_key_hash = ?", arguments: [hash]) {
                return KeyGrant(project: Self.project(from: row), keyID: nil, scope: .full, expiresAt: nil)
            }
            guard let keyRow = try Row.fetchOne(db, sql: "SELECT * FROM api_key WHERE key_hash = ?", arguments: [hash]),
                  let projectRow = try Row.fetchOne(db, sql: "SELECT * FROM project WHERE id = ?", arguments: [keyRow["project_id"] as String])
            else { return nil }
            let key = Self.key(from: keyRow)
            return KeyGrant(project: Self.project(from: projectRow), keyID: key.id, scope: key.scope, expiresAt: key.expiresAt)
        }
        guard let grant else { throw IndexError.notFound(entity: "project") }
        return grant
    }

    public func recordKeyUse(id: UUID, at time: Date) async throws {
        let recordedBefore = time.storedValue - ProjectKey.useRecordingInterval
        // Read first: most uses fall inside the interval, and a read never waits for the write lock.
        let due = try await read { db in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM api_key WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?))
                """, arguments: [id.key, recordedBefore]) == true
        }
        guard due else { return }
        try await write { db in
            try db.execute(sql: """
                UPDATE api_key SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)
                """, arguments: [time.storedValue, id.key, recordedBefore])
        }
    }

    // MARK: Helpers

    static func insert(_ key: ProjectKey, hash: String, db: Database) throws {
        try db.execute(sql: """
            INSERT INTO api_key (id, project_id, name, key_hash, prefix, access, path_prefix, created_at, last_used_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [key.id.key, key.projectId.key, key.name, hash, key.prefix, key.access.rawValue, key.pathPrefix,
                             key.createdAt.storedValue, key.lastUsedAt?.storedValue, key.expiresAt?.storedValue])
    }

    static func key(from row: Row) -> ProjectKey {
        ProjectKey(
            id: row.uuid("id"), projectId: row.uuid("project_id"), name: row["name"], prefix: row["prefix"],
            access: KeyAccess(rawValue: row["access"]) ?? .read, pathPrefix: row["path_prefix"],
            createdAt: row.date("created_at"),
            lastUsedAt: (row["last_used_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            expiresAt: (row["expires_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }
}

/// The limit on keys per project, as the store reports it.
enum KeyLimit {
    static var reached: IndexError {
        .conflict(field: "keys", reason: "the project already has \(ProjectKey.maximumPerProject) keys; revoke one first")
    }
}
