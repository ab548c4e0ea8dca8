import Foundation
import GRDB

extension SQLiteStore: UserStore {
    public func createUser(_ new: NewUser) async throws -> User {
        let user = try new.validated()
        try await write { db in
            try db.execute(
                sql: "INSERT INTO user (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [user.id.key, user.email, user.name, user.passwordHash, user.createdAt.storedValue])
        }
        return user
    }

    public func user(id: UUID) async throws -> User {
        try await fetchUser(sql: "SELECT * FROM user WHERE id = ?", argument: id.key)
    }

    public func user(email: String) async throws -> User {
        try await fetchUser(sql: "SELECT * FROM user WHERE email = ?", argument: email.lowercased())
    }

    private func fetchUser(sql: String, argument: String) async throws -> User {
        let user = try await read { db in
            try Row.fetchOne(db, sql: sql, arguments: [argument]).map { row in
                User(id: row.uuid("id"), email: row["email"], name: row["name"],
                     passwordHash: row["password_hash"], createdAt: row.date("created_at"))
            }
        }
        guard let user else { throw IndexError.notFound(entity: "user") }
        return user
    }
}
