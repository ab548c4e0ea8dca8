import Foundation
import GRDB
@testable import Index

/// A real SQLite file in a fresh temporary folder, removed when the value is released.
final class TemporaryStore: @unchecked Sendable {
    let folder: URL
    let store: SQLiteStore

    init(preparer: DocumentPreparer = DocumentPreparer(), embeddingsEnabled: Bool = false) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lore-test-\(UUID().uuidString)")
        store = try SQLiteStore(path: folder.appendingPathComponent("lore.db").path, preparer: preparer,
                                embeddingsEnabled: embeddingsEnabled)
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    /// A user with one project, for tests about documents.
    func makeProject(name: String = "Docs", email: String = "owner@example.com") async throws -> Project {
        let user: User
        if let existing = try? await store.user(email: email) {
            user = existing
        } else {
            user = try await store.createUser(NewUser(email: email, name: "Owner", passwordHash: "$2b$hash"))
        }
        return try await store.createProject(NewProject(ownerId: user.id, name: name)).project
    }

    /// Counts rows of a table, bypassing the store API.
    func count(_ table: String) async throws -> Int {
        try await store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }
}
