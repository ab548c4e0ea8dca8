import Foundation
import GRDB
import LoreTestSupport
import PostgresNIO
@testable import Index

/// A store on a fresh database of the given backend (a real SQLite file or a real PostgreSQL
/// database), removed when the value is released.
final class TemporaryStore: Sendable {
    let database: TestDatabase
    let store: any LoreStore

    static func make(_ backend: TestBackend = .sqlite, preparer: DocumentPreparer = DocumentPreparer(),
                     embeddingsEnabled: Bool = false) async throws -> TemporaryStore {
        let database = try await TestDatabase.create(backend)
        return TemporaryStore(database: database,
                              store: try await database.openStore(preparer: preparer, embeddingsEnabled: embeddingsEnabled))
    }

    private init(database: TestDatabase, store: any LoreStore) {
        self.database = database
        self.store = store
    }

    /// Opens the same database again (as a restart would).
    func reopen() async throws -> any LoreStore {
        try await database.openStore()
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

    /// Counts rows behind the store API. `search_entries` counts chunks in the full-text index
    /// (`chunk_fts` rows; chunks with a search vector), `tags` counts document–tag pairs.
    func count(_ what: String) async throws -> Int {
        let sqlite = ["user": "user", "project": "project", "document": "document", "chunk": "chunk",
                      "tags": "document_tag", "search_entries": "chunk_fts"]
        let postgres = ["user": "SELECT count(*) FROM lore_user", "project": "SELECT count(*) FROM project",
                        "document": "SELECT count(*) FROM document", "chunk": "SELECT count(*) FROM chunk",
                        "tags": "SELECT count(*) FROM document, unnest(tags)",
                        "search_entries": "SELECT count(*) FROM chunk WHERE search <> ''::tsvector"]
        switch store {
        case let store as SQLiteStore:
            let table = sqlite[what]!
            return try await store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
        case let store as PostgresStore:
            return Int(try await store.rows(PostgresQuery(unsafeSQL: "SELECT (" + postgres[what]! + ") AS n"))[0].value("n", as: Int64.self))
        default:
            fatalError("unknown store")
        }
    }

    /// The chunk ids of a document, by position.
    func chunkIDs(of documentID: UUID) async throws -> [Int64] {
        switch store {
        case let store as SQLiteStore:
            return try await store.read { db in
                try Int64.fetchAll(db, sql: "SELECT id FROM chunk WHERE document_id = ? ORDER BY position",
                                   arguments: [documentID.uuidString.lowercased()])
            }
        case let store as PostgresStore:
            return try await store.rows("SELECT id FROM chunk WHERE document_id = \(documentID) ORDER BY position")
                .map { try $0.value("id", as: Int64.self) }
        default:
            fatalError("unknown store")
        }
    }

    /// Every stored key hash and display prefix, joined.
    func storedKeyColumns() async throws -> String {
        switch store {
        case let store as SQLiteStore:
            return try await store.read { db in
                try String.fetchAll(db, sql: "SELECT api_key_hash || api_key_prefix FROM project").joined()
            }
        case let store as PostgresStore:
            return try await store.rows("SELECT api_key_hash || api_key_prefix AS k FROM project")
                .map { try $0.value("k", as: String.self) }.joined()
        default:
            fatalError("unknown store")
        }
    }

    /// SQLite's integrity check; on PostgreSQL, that no chunk or tag outlived its document.
    func checkIntegrity() async throws -> Bool {
        switch store {
        case let store as SQLiteStore:
            return try await store.checkIntegrity()
        case let store as PostgresStore:
            return try await store.rows("""
                SELECT count(*) AS n FROM chunk c LEFT JOIN document d ON d.id = c.document_id
                WHERE d.id IS NULL OR d.project_id <> c.project_id
                """)[0].value("n", as: Int64.self) == 0
        default:
            fatalError("unknown store")
        }
    }
}
