import Foundation
import NIOCore
import PostgresNIO

extension PostgresStore: EmbeddingStore {
    /// Claims due chunks with `FOR UPDATE SKIP LOCKED` and moves their retry time past the lease,
    /// so concurrent workers (in this or another instance) never take the same chunk.
    public func pendingChunks(limit: Int, now: Date) async throws -> [PendingChunk] {
        let rows = try await rows("""
            WITH claimed AS (
                SELECT id FROM chunk
                WHERE embedding IS NULL AND NOT embedding_failed AND embedding_retry_at <= \(now.timeIntervalSince1970)
                ORDER BY embedding_retry_at, id LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            )
            UPDATE chunk c SET embedding_retry_at = \(now.timeIntervalSince1970 + EmbeddingClaim.lease)
            FROM claimed, document d
            WHERE c.id = claimed.id AND d.id = c.document_id
            RETURNING c.id, c.document_id, d.project_id, d.title, c.heading, c.text, c.content_hash, c.embedding_attempts
            """)
        return try rows.map { row in
            PendingChunk(
                chunkID: try row.value("id"), documentID: try row.value("document_id"), projectID: try row.value("project_id"),
                contentHash: try row.value("content_hash"), text: PendingChunk.embeddingText(title: try row.value("title"), heading: try row.value("heading"), text: try row.value("text")),
                attempts: try row.value("embedding_attempts"))
        }.sorted { $0.chunkID < $1.chunkID }
    }

    public func renewClaims(chunkIDs: [Int64], until: Date) async throws {
        guard !chunkIDs.isEmpty else { return }
        _ = try await rows("""
            UPDATE chunk SET embedding_retry_at = \(until.timeIntervalSince1970)
            WHERE id = ANY(\(chunkIDs)) AND embedding IS NULL AND NOT embedding_failed
            """)
    }

    public func saveEmbeddings(_ embeddings: [ChunkEmbedding], model: String) async throws -> [UUID: [StoredVector]] {
        guard !embeddings.isEmpty else { return [:] }
        let blobs = embeddings.map { ByteBuffer(bytes: VectorBlob.encode($0.vector)) }
        let byChunk = Dictionary(embeddings.map { ($0.chunkID, $0.vector) }, uniquingKeysWith: { _, last in last })
        return try await transaction { connection in
            let updated = try await self.rows("""
                UPDATE chunk SET embedding = new.embedding, embedding_model = \(model), embedding_attempts = 0,
                       embedding_failed = false
                FROM unnest(\(embeddings.map(\.chunkID))::bigint[], \(embeddings.map(\.contentHash))::text[], \(blobs)::bytea[])
                     AS new(id, content_hash, embedding)
                WHERE chunk.id = new.id AND chunk.content_hash = new.content_hash
                RETURNING chunk.id, chunk.document_id, chunk.project_id
                """, on: connection)
            var stored: [UUID: [StoredVector]] = [:]
            var documents = Set<UUID>()
            for row in updated {
                let chunkID: Int64 = try row.value("id")
                let documentID: UUID = try row.value("document_id")
                guard let vector = byChunk[chunkID] else { continue }
                documents.insert(documentID)
                stored[try row.value("project_id"), default: []].append(StoredVector(chunkID: chunkID, documentID: documentID, vector: vector))
            }
            try await self.refreshEmbeddingStatus(of: Array(documents), on: connection)
            for (project, vectors) in stored {
                let ids = vectors.count <= StoreChangeMessage.maximumChunkIDs ? vectors.map(\.chunkID) : nil
                try await self.announce(.vectors(project: project, chunkIDs: ids), on: connection)
            }
            return stored
        }
    }

    public func recordEmbeddingFailure(chunkIDs: [Int64], retryAt: Date, maximumAttempts: Int) async throws {
        try await transaction { connection in
            let updated = try await self.rows("""
                UPDATE chunk SET embedding_attempts = embedding_attempts + 1, embedding_retry_at = \(retryAt.timeIntervalSince1970),
                       embedding_failed = (embedding_attempts + 1 >= \(maximumAttempts))
                WHERE id = ANY(\(chunkIDs)) RETURNING document_id
                """, on: connection)
            try await self.refreshEmbeddingStatus(of: Array(Set(try updated.map { try $0.value("document_id", as: UUID.self) })), on: connection)
        }
    }

    public func vectors(in projectID: UUID, model: String) async throws -> [StoredVector] {
        try await rows("""
            SELECT id, document_id, embedding FROM chunk
            WHERE project_id = \(projectID) AND embedding IS NOT NULL AND embedding_model = \(model)
            """).compactMap(Self.storedVector(from:))
    }

    public func vectors(chunkIDs: [Int64], model: String) async throws -> [UUID: [StoredVector]] {
        guard !chunkIDs.isEmpty else { return [:] }
        var vectors: [UUID: [StoredVector]] = [:]
        for row in try await rows("""
            SELECT id, document_id, project_id, embedding FROM chunk
            WHERE id = ANY(\(chunkIDs)) AND embedding IS NOT NULL AND embedding_model = \(model)
            """) {
            guard let vector = try Self.storedVector(from: row) else { continue }
            vectors[try row.value("project_id"), default: []].append(vector)
        }
        return vectors
    }

    public func requeueEmbeddings(model: String, projectID: UUID?) async throws -> Int {
        try await transaction { connection in
            let scope: PostgresQuery = projectID.map { project in
                """
                UPDATE chunk SET embedding = NULL, embedding_model = NULL, embedding_attempts = 0, embedding_retry_at = 0,
                       embedding_failed = false
                WHERE (embedding IS NULL OR embedding_model IS DISTINCT FROM \(model) OR embedding_failed)
                  AND project_id = \(project)
                RETURNING id
                """
            } ?? """
                UPDATE chunk SET embedding = NULL, embedding_model = NULL, embedding_attempts = 0, embedding_retry_at = 0,
                       embedding_failed = false
                WHERE embedding IS NULL OR embedding_model IS DISTINCT FROM \(model) OR embedding_failed
                RETURNING id
                """
            let changed = try await self.rows(scope, on: connection).count
            try await connection.query("""
                UPDATE document SET embedding_status = 'pending'
                WHERE (\(projectID)::uuid IS NULL OR project_id = \(projectID))
                  AND EXISTS (SELECT 1 FROM chunk c WHERE c.document_id = document.id AND c.embedding IS NULL)
                """, logger: self.logger)
            return changed
        }
    }

    public func embeddingQueueDepth() async throws -> Int {
        Int(try await rows("SELECT count(*) AS depth FROM chunk WHERE embedding IS NULL AND NOT embedding_failed")[0]
            .value("depth", as: Int64.self))
    }

    public func chunkExcerpts(_ chunkIDs: [Int64], in projectIDs: [UUID]) async throws -> [Int64: ChunkExcerpt] {
        guard !chunkIDs.isEmpty, !projectIDs.isEmpty else { return [:] }
        var excerpts: [Int64: ChunkExcerpt] = [:]
        for row in try await rows("""
            SELECT c.id, c.document_id, d.project_id, d.path, d.title, c.position, c.heading, c.text
            FROM chunk c JOIN document d ON d.id = c.document_id
            WHERE c.id = ANY(\(chunkIDs)) AND d.project_id = ANY(\(projectIDs))
            """) {
            let id: Int64 = try row.value("id")
            excerpts[id] = ChunkExcerpt(
                chunkID: id, documentID: try row.value("document_id"), projectID: try row.value("project_id"),
                path: try row.value("path"), title: try row.value("title"), position: try row.value("position"),
                heading: try row.value("heading"), text: try row.value("text"))
        }
        return excerpts
    }

    public func documentIDs(in projectIDs: [UUID], filter: DocumentFilter) async throws -> Set<UUID> {
        guard !projectIDs.isEmpty else { return [] }
        var sql = SQLBuilder()
        let conditions = ["d.project_id = ANY(\(sql.bind(projectIDs)))"] + Self.filterConditions(filter, into: &sql)
        sql.append("SELECT d.id FROM document d WHERE \(conditions.joined(separator: " AND "))")
        return Set(try await rows(sql.query).map { try $0.value("id", as: UUID.self) })
    }

    /// `ready` when every chunk has a vector, `failed` when one failed for good, else `pending`.
    func refreshEmbeddingStatus(of documentIDs: [UUID], on connection: PostgresConnection) async throws {
        guard !documentIDs.isEmpty else { return }
        try await connection.query("""
            UPDATE document d SET embedding_status = CASE
                WHEN EXISTS (SELECT 1 FROM chunk c WHERE c.document_id = d.id AND c.embedding_failed) THEN 'failed'
                WHEN EXISTS (SELECT 1 FROM chunk c WHERE c.document_id = d.id AND c.embedding IS NULL) THEN 'pending'
                ELSE 'ready' END
            WHERE d.id = ANY(\(documentIDs))
            """, logger: logger)
    }

    private static func storedVector(from row: PostgresRandomAccessRow) throws -> StoredVector? {
        guard let vector = VectorBlob.decode(try row.value("embedding", as: Data.self)) else { return nil }
        return StoredVector(chunkID: try row.value("id"), documentID: try row.value("document_id"), vector: vector)
    }
}
