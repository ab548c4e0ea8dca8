import Foundation
import Testing
import GRDB
@testable import Index

/// The `chunk_owner` table that SQLite counts search results with (`SQLiteMigrations.v3`).
@Suite("SQLite chunk owners")
struct SQLiteChunkOwnerTests {
    func makeStore() async throws -> (TemporaryStore, SQLiteStore, Project) {
        let temporary = try await TemporaryStore.make(.sqlite)
        let project = try await temporary.makeProject()
        for index in 0..<30 {
            _ = try await temporary.store.createDocument(
                NewDocument(path: "long/\(index).md", content: FullTextSearchTests.threeChunkDocument(index)), in: project.id)
        }
        return (temporary, try #require(temporary.store as? SQLiteStore), project)
    }

    func total(in store: any LoreStore, project: Project) async throws -> Int {
        let query = try QueryParser().parse("lighthouse")
        return try await store.searchFullText(FullTextRequest(query: query, projectIDs: [project.id], limit: 1)).total
    }

    /// A database written before the migration gets its owners when it is next opened.
    @Test func theMigrationNumbersDocumentsAlreadyStored() async throws {
        let (temporary, store, project) = try await makeStore()
        try await store.write { db in
            try db.execute(sql: """
                DROP TRIGGER document_number_after_insert; DROP TRIGGER chunk_owner_after_insert;
                DROP TRIGGER chunk_owner_after_delete; DROP TABLE chunk_owner; DROP TABLE document_number;
                DELETE FROM grdb_migrations WHERE identifier = 'v3-chunk-owners';
                """)
        }
        let reopened = try #require(try await temporary.reopen() as? SQLiteStore)
        #expect(try await reopened.checkIntegrity())
        #expect(try await total(in: reopened, project: project) == 30)
    }

    @Test func rebuildingTheFullTextIndexRestoresLostOwners() async throws {
        let (_, store, project) = try await makeStore()
        try await store.write { db in
            try db.execute(sql: "DELETE FROM chunk_owner WHERE chunk_id % 2 = 0; DELETE FROM document_number WHERE number = 3")
        }
        #expect(try await !store.checkIntegrity())
        try await store.rebuildFullText(projectID: nil) { _, _ in }
        #expect(try await store.checkIntegrity())
        #expect(try await total(in: store, project: project) == 30)
    }
}
