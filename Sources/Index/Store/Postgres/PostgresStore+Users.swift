import Foundation
import PostgresNIO

extension PostgresStore: UserStore {
    public func createUser(_ new: NewUser) async throws -> User {
        let user = try new.validated()
        _ = try await rows("""
            INSERT INTO lore_user (id, email, name, password_hash, created_at)
            VALUES (\(user.id), \(user.email), \(user.name), \(user.passwordHash), \(user.createdAt.timeIntervalSince1970))
            """)
        return user
    }

    public func user(id: UUID) async throws -> User {
        try await fetchUser(try await rows("SELECT * FROM lore_user WHERE id = \(id)"))
    }

    public func user(email: String) async throws -> User {
        // No stored address holds a NUL, and PostgreSQL text cannot carry one.
        guard !email.utf8.contains(0) else { throw IndexError.notFound(entity: "user") }
        return try await fetchUser(try await rows("SELECT * FROM lore_user WHERE email = \(email.lowercased())"))
    }

    private func fetchUser(_ rows: [PostgresRandomAccessRow]) async throws -> User {
        guard let row = rows.first else { throw IndexError.notFound(entity: "user") }
        return User(id: try row.value("id"), email: try row.value("email"), name: try row.value("name"),
                    passwordHash: try row.value("password_hash"), createdAt: try row.date("created_at"))
    }
}

extension PostgresStore: SessionStore {
    public func revokeSession(id: String, expiresAt: Date) async throws {
        try await transaction { connection in
            let now = Date().timeIntervalSince1970
            try await connection.query("""
                INSERT INTO revoked_session (jti, expires_at) VALUES (\(id), \(expiresAt.timeIntervalSince1970))
                ON CONFLICT (jti) DO UPDATE SET expires_at = excluded.expires_at
                """, logger: self.logger)
            try await connection.query("DELETE FROM revoked_session WHERE expires_at < \(now)", logger: self.logger)
            try await self.announce(.sessionRevoked(id), on: connection)
        }
    }

    public func isSessionRevoked(id: String) async throws -> Bool {
        !(try await rows("SELECT 1 FROM revoked_session WHERE jti = \(id)")).isEmpty
    }
}

extension PostgresStore: StoreOperations {
    /// How long a readiness check waits for the database: while the server is down, the pool
    /// keeps retrying and queries would wait for it.
    static let pingTimeout: Duration = .seconds(2)

    public func ping() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try await self.rows("SELECT 1") }
            group.addTask {
                try await Task.sleep(for: Self.pingTimeout)
                throw IndexError.storage(reason: "the database did not answer within \(Self.pingTimeout)")
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    public func totals() async throws -> StoreTotals {
        let row = try await rows("""
            SELECT (SELECT count(*) FROM document) AS documents,
                   (SELECT count(*) FROM chunk WHERE embedding IS NOT NULL) AS embedded
            """)[0]
        return StoreTotals(documents: Int(try row.value("documents", as: Int64.self)),
                           embeddedChunks: Int(try row.value("embedded", as: Int64.self)))
    }
}
