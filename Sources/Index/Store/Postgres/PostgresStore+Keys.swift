import Foundation
import PostgresNIO

extension PostgresStore: KeyStore {
    public func createKey(_ new: NewProjectKey, in projectID: UUID) async throws -> (ProjectKey, secret: String) {
        let (key, secret) = try new.validated(projectID: projectID)
        try await transaction { connection in
            // Locking the project row serializes key creation per project, so the limit holds.
            guard try await !self.rows("SELECT id FROM project WHERE id = \(projectID) FOR UPDATE", on: connection).isEmpty else {
                throw IndexError.notFound(entity: "project")
            }
            let count = try await self.rows("SELECT count(*) AS total FROM api_key WHERE project_id = \(projectID)", on: connection)[0]
                .value("total", as: Int64.self)
            guard count < ProjectKey.maximumPerProject else { throw KeyLimit.reached }
            try await self.insert(key, hash: APIKey.hash(secret), on: connection)
        }
        return (key, secret)
    }

    public func keys(in projectID: UUID, page: PageRequest) async throws -> Page<ProjectKey> {
        let total = try await rows("SELECT count(*) AS total FROM api_key WHERE project_id = \(projectID)")[0]
            .value("total", as: Int64.self)
        let rows = try await rows("""
            SELECT * FROM api_key WHERE project_id = \(projectID) ORDER BY created_at, id LIMIT \(page.limit) OFFSET \(page.offset)
            """)
        return Page(items: try rows.map(Self.key(from:)), offset: page.offset, limit: page.limit, total: Int(total))
    }

    public func revokeKey(id: UUID, in projectID: UUID) async throws {
        try await transaction { connection in
            guard try await !self.rows("DELETE FROM api_key WHERE id = \(id) AND project_id = \(projectID) RETURNING id",
                                       on: connection).isEmpty else {
                throw IndexError.notFound(entity: "key")
            }
            try await self.announce(.project(projectID), on: connection)
        }
    }

    public func grant(apiKey: String) async throws -> KeyGrant {
        let hash = APIKey.hash(apiKey)
        if let row = try await rows("SELECT * FROM project WHERE api_key_hash = \(hash)").first {
            return KeyGrant(project: try Self.project(from: row), keyID: nil, scope: .full, expiresAt: nil)
        }
        guard let keyRow = try await rows("SELECT * FROM api_key WHERE key_hash = \(hash)").first else {
            throw IndexError.notFound(entity: "project")
        }
        let key = try Self.key(from: keyRow)
        return KeyGrant(project: try await project(id: key.projectId), keyID: key.id, scope: key.scope, expiresAt: key.expiresAt)
    }

    public func recordKeyUse(id: UUID, at time: Date) async throws {
        let recordedBefore = time.timeIntervalSince1970 - ProjectKey.useRecordingInterval
        _ = try await rows("""
            UPDATE api_key SET last_used_at = \(time.timeIntervalSince1970)
            WHERE id = \(id) AND (last_used_at IS NULL OR last_used_at < \(recordedBefore))
            """)
    }

    // MARK: Helpers

    func insert(_ key: ProjectKey, hash: String, on connection: PostgresConnection) async throws {
        try await connection.query("""
            INSERT INTO api_key (id, project_id, name, key_hash, prefix, access, path_prefix, created_at, last_used_at, expires_at)
            VALUES (\(key.id), \(key.projectId), \(key.name), \(hash), \(key.prefix), \(key.access.rawValue), \(key.pathPrefix),
                    \(key.createdAt.timeIntervalSince1970), \(key.lastUsedAt?.timeIntervalSince1970),
                    \(key.expiresAt?.timeIntervalSince1970))
            """, logger: logger)
    }

    static func key(from row: PostgresRandomAccessRow) throws -> ProjectKey {
        ProjectKey(
            id: try row.value("id"), projectId: try row.value("project_id"), name: try row.value("name"),
            prefix: try row.value("prefix"), access: KeyAccess(rawValue: try row.value("access")) ?? .read,
            pathPrefix: try row.value("path_prefix", as: String?.self), createdAt: try row.date("created_at"),
            lastUsedAt: try row.value("last_used_at", as: Double?.self).map(Date.init(timeIntervalSince1970:)),
            expiresAt: try row.value("expires_at", as: Double?.self).map(Date.init(timeIntervalSince1970:)))
    }
}
