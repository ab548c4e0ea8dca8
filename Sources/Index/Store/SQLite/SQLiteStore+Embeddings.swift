import Foundation
import GRDB

extension SQLiteStore: EmbeddingStore {
    /// Looks for due chunks with a read first (an idle worker polls, and must not take the write
    /// lock each time), then claims them in one write transaction: SQLite runs one writer at a
    /// time, so two processes on the file never claim the same chunk.
    public func pendingChunks(limit: Int, now: Date) async throws -> [PendingChunk] {
        let dueSQL = """
            SELECT id FROM chunk WHERE embedding IS NULL AND embedding_failed = 0 AND embedding_retry_at <= ?
            ORDER BY embedding_retry_at, id LIMIT ?
            """
        let anyDue = try await read { db in try Int64.fetchOne(db, sql: dueSQL, arguments: [now.storedValue, 1]) != nil }
        guard anyDue else { return [] }
        return try await write { db in
            let claimed = try Int64.fetchAll(db, sql: dueSQL, arguments: [now.storedValue, limit])
            guard !claimed.isEmpty else { return [] }
            try db.execute(sql: "UPDATE chunk SET embedding_retry_at = ? WHERE id IN (SELECT value FROM json_each(?))",
                           arguments: [now.storedValue + EmbeddingClaim.lease, Self.jsonList(claimed)])
            return try Row.fetchAll(db, sql: """
                SELECT c.id, c.document_id, d.project_id, d.title, c.heading, c.text, c.content_hash, c.embedding_attempts
                FROM chunk c JOIN document d ON d.id = c.document_id
                WHERE c.id IN (SELECT value FROM json_each(?)) ORDER BY c.id
                """, arguments: [Self.jsonList(claimed)]).map { row in
                PendingChunk(
                    chunkID: row["id"], documentID: row.uuid("document_id"), projectID: row.uuid("project_id"),
                    contentHash: row["content_hash"], text: PendingChunk.embeddingText(title: row["title"], heading: row["heading"], text: row["text"]),
                    attempts: row["embedding_attempts"])
            }
        }
    }


    public func renewClaims(chunkIDs: [Int64], until: Date) async throws {
        guard !chunkIDs.isEmpty else { return }
        try await write { db in
            try db.execute(sql: """
                UPDATE chunk SET embedding_retry_at = ?
                WHERE id IN (SELECT value FROM json_each(?)) AND embedding IS NULL AND embedding_failed = 0
                """, arguments: [until.storedValue, Self.jsonList(chunkIDs)])
        }
    }

    public func saveEmbeddings(_ embeddings: [ChunkEmbedding], model: String) async throws -> [UUID: [StoredVector]] {
        try await write { db in
            var stored: [UUID: [StoredVector]] = [:]
            var documents = Set<String>()
            for embedding in embeddings {
                let (chunkID, vector) = (embedding.chunkID, embedding.vector)
                try db.execute(sql: """
                    UPDATE chunk SET embedding = ?, embedding_model = ?, embedding_attempts = 0, embedding_failed = 0
                    WHERE id = ? AND content_hash = ?
                    """, arguments: [VectorBlob.encode(vector), model, chunkID, embedding.contentHash])
                guard db.changesCount > 0,
                      let row = try Row.fetchOne(db, sql: """
                        SELECT c.document_id, d.project_id FROM chunk c JOIN document d ON d.id = c.document_id WHERE c.id = ?
                        """, arguments: [chunkID])
                else { continue }
                documents.insert(row["document_id"])
                stored[row.uuid("project_id"), default: []].append(
                    StoredVector(chunkID: chunkID, documentID: row.uuid("document_id"), vector: vector))
            }
            try Self.refreshEmbeddingStatus(of: Array(documents), db: db)
            for (project, vectors) in stored {
                let ids = vectors.count <= StoreChangeMessage.maximumChunkIDs ? vectors.map(\.chunkID) : nil
                try self.announce(.vectors(project: project, chunkIDs: ids), in: db)
            }
            return stored
        }
    }

    public func recordEmbeddingFailure(chunkIDs: [Int64], retryAt: Date, maximumAttempts: Int) async throws {
        try await write { db in
            var documents = Set<String>()
            for chunkID in chunkIDs {
                try db.execute(sql: """
                    UPDATE chunk SET embedding_attempts = embedding_attempts + 1, embedding_retry_at = ?,
                           embedding_failed = (embedding_attempts + 1 >= ?)
                    WHERE id = ?
                    """, arguments: [retryAt.storedValue, maximumAttempts, chunkID])
                if let document = try String.fetchOne(db, sql: "SELECT document_id FROM chunk WHERE id = ?", arguments: [chunkID]) {
                    documents.insert(document)
                }
            }
            try Self.refreshEmbeddingStatus(of: Array(documents), db: db)
        }
    }

    public func vectors(in projectID: UUID, model: String) async throws -> [StoredVector] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.id, c.document_id, c.embedding FROM chunk c JOIN document d ON d.id = c.document_id
                WHERE d.project_id = ? AND c.embedding IS NOT NULL AND c.embedding_model = ?
                """, arguments: [projectID.key, model]).compactMap { row in
                guard let vector = VectorBlob.decode(row["embedding"]) else { return nil }
                return StoredVector(chunkID: row["id"], documentID: row.uuid("document_id"), vector: vector)
            }
        }
    }

    public func vectors(chunkIDs: [Int64], model: String) async throws -> [UUID: [StoredVector]] {
        guard !chunkIDs.isEmpty else { return [:] }
        let placeholders = Array(repeating: "?", count: chunkIDs.count).joined(separator: ", ")
        return try await read { db in
            var vectors: [UUID: [StoredVector]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT c.id, c.document_id, d.project_id, c.embedding FROM chunk c JOIN document d ON d.id = c.document_id
                WHERE c.id IN (\(placeholders)) AND c.embedding IS NOT NULL AND c.embedding_model = ?
                """, arguments: StatementArguments(chunkIDs.map(\.databaseValue) + [model.databaseValue])) {
                guard let vector = VectorBlob.decode(row["embedding"]) else { continue }
                vectors[row.uuid("project_id"), default: []].append(
                    StoredVector(chunkID: row["id"], documentID: row.uuid("document_id"), vector: vector))
            }
            return vectors
        }
    }

    public func requeueEmbeddings(model: String, projectID: UUID?) async throws -> Int {
        try await write { db in
            let scope = projectID == nil ? "" : "AND document_id IN (SELECT id FROM document WHERE project_id = ?)"
            let arguments: StatementArguments = projectID.map { [model, $0.key] } ?? [model]
            try db.execute(sql: """
                UPDATE chunk SET embedding = NULL, embedding_model = NULL, embedding_attempts = 0,
                       embedding_retry_at = 0, embedding_failed = 0
                WHERE (embedding IS NULL OR embedding_model IS NOT ? OR embedding_failed = 1) \(scope)
                """, arguments: arguments)
            let changed = db.changesCount
            let documentScope = projectID == nil ? "" : "AND project_id = ?"
            try db.execute(sql: """
                UPDATE document SET embedding_status = 'pending'
                WHERE EXISTS (SELECT 1 FROM chunk c WHERE c.document_id = document.id AND c.embedding IS NULL) \(documentScope)
                """, arguments: projectID.map { [$0.key] } ?? [])
            return changed
        }
    }

    public func embeddingQueueDepth() async throws -> Int {
        try await read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM chunk WHERE embedding IS NULL AND embedding_failed = 0") ?? 0
        }
    }

    public func chunkExcerpts(_ chunkIDs: [Int64], in projectIDs: [UUID]) async throws -> [Int64: ChunkExcerpt] {
        guard !chunkIDs.isEmpty, !projectIDs.isEmpty else { return [:] }
        return try await read { db in
            var excerpts: [Int64: ChunkExcerpt] = [:]
            let sql = """
                SELECT c.id, c.document_id, d.project_id, d.path, d.title, c.position, c.heading, c.text
                FROM chunk c JOIN document d ON d.id = c.document_id
                WHERE c.id IN (SELECT value FROM json_each(?)) AND d.project_id IN (SELECT value FROM json_each(?))
                """
            for row in try Row.fetchAll(db.cachedStatement(sql: sql), arguments: [Self.jsonList(chunkIDs), Self.jsonList(projectIDs)]) {
                excerpts[row["id"]] = ChunkExcerpt(
                    chunkID: row["id"], documentID: row.uuid("document_id"), projectID: row.uuid("project_id"),
                    path: row["path"], title: row["title"], position: row["position"], heading: row["heading"], text: row["text"])
            }
            return excerpts
        }
    }

    public func documentIDs(in projectIDs: [UUID], filter: DocumentFilter) async throws -> Set<UUID> {
        guard !projectIDs.isEmpty else { return [] }
        var conditions = ["d.project_id IN (\(Array(repeating: "?", count: projectIDs.count).joined(separator: ", ")))"]
        var arguments: [any DatabaseValueConvertible] = projectIDs.map(\.key)
        Self.appendFilter(filter, to: &conditions, arguments: &arguments)
        let values = arguments.map(\.databaseValue)
        let sql = "SELECT d.id FROM document d WHERE \(conditions.joined(separator: " AND "))"
        return try await read { db in
            Set(try String.fetchAll(db, sql: sql, arguments: StatementArguments(values)).compactMap(UUID.init(uuidString:)))
        }
    }

    /// `ready` when every chunk has a vector, `failed` when one failed for good, else `pending`.
    static func refreshEmbeddingStatus(of documentIDs: [String], db: Database) throws {
        for id in documentIDs {
            try db.execute(sql: """
                UPDATE document SET embedding_status = CASE
                    WHEN EXISTS (SELECT 1 FROM chunk WHERE document_id = ?1 AND embedding_failed = 1) THEN 'failed'
                    WHEN EXISTS (SELECT 1 FROM chunk WHERE document_id = ?1 AND embedding IS NULL) THEN 'pending'
                    ELSE 'ready' END
                WHERE id = ?1
                """, arguments: [id])
        }
    }
}
