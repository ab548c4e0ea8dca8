import Foundation
import GRDB
import LoreTestSupport
import Testing
@testable import Index

/// Invariant: a chunk id names one chunk for the life of the database (vector indexes, the
/// embedding queue and passages remember chunks by id).
@Suite("Chunk identity")
struct ChunkIdentityTests {
    @Test(arguments: TestBackend.contract) func freedChunkIDsAreNeverHandedOutAgain(backend: TestBackend) async throws {
        let temporary = try await TemporaryStore.make(backend)
        let project = try await temporary.makeProject()
        let first = try await temporary.store.createDocument(NewDocument(path: "a.md", content: "# A\n\none\n\n## B\n\ntwo"), in: project.id)
        let firstIDs = try await temporary.chunkIDs(of: first.id)
        try await temporary.store.deleteDocument(id: first.id, in: project.id)
        let second = try await temporary.store.createDocument(NewDocument(path: "b.md", content: "# B\n\nthree"), in: project.id)
        let secondIDs = try await temporary.chunkIDs(of: second.id)
        #expect(!secondIDs.isEmpty)
        #expect(secondIDs.allSatisfy { $0 > firstIDs.max()! }, "\(secondIDs) after \(firstIDs)")
    }

    /// A database made before chunk ids were `AUTOINCREMENT` is rebuilt in place: its chunks,
    /// full-text rows and owners keep their ids, and from then on no id is handed out twice.
    @Test func upgradingAnOlderDatabaseKeepsChunksAndNeverReusesTheirIDs() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lore-v3-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("lore.db").path
        do {
            let pool = try DatabasePool(path: path)
            try SQLiteMigrations.migrator.migrate(pool, upTo: "v3-chunk-owners")
            try await pool.write { db in
                try db.execute(sql: """
                    INSERT INTO user VALUES ('u', 'o@example.com', 'O', 'h', 0);
                    INSERT INTO project VALUES ('p', 'u', 'P', 'p', 'p', '', 'hash', 'lore_', '12345', 0, 0);
                    INSERT INTO document(id, project_id, path, title, content, version, content_hash, embedding_status, created_at, updated_at)
                        VALUES ('d', 'p', 'a.md', 'A', 'alpha beta gamma', 1, 'x', 'disabled', 0, 0);
                    INSERT INTO chunk(id, document_id, position, heading, text, token_count, content_hash) VALUES
                        (1, 'd', 0, '', 'alpha', 1, 'h1'), (2, 'd', 1, '', 'beta', 1, 'h2'), (3, 'd', 2, '', 'gamma', 1, 'h3');
                    DELETE FROM chunk WHERE id = 3;
                    """)
            }
        }
        let store = try SQLiteStore(path: path)
        #expect(try await store.isMigrated())
        #expect(try await store.checkIntegrity())
        let (kept, nextID, ftsRows) = try await store.write { db in
            let kept = try Int64.fetchAll(db, sql: "SELECT id FROM chunk ORDER BY id")
            try db.execute(sql: "DELETE FROM chunk WHERE id = 2")
            try db.execute(sql: "INSERT INTO chunk(document_id, position, heading, text, token_count, content_hash) VALUES ('d', 3, '', 'delta', 1, 'h4')")
            return (kept, db.lastInsertedRowID, try Int.fetchOne(db, sql: "SELECT count(*) FROM chunk_fts WHERE chunk_fts MATCH 'delta OR alpha'")!)
        }
        #expect(kept == [1, 2])
        #expect(nextID == 3, "the freed highest id 2 is not handed out again")
        #expect(ftsRows == 2)
        #expect(try await store.checkIntegrity())
    }
}
