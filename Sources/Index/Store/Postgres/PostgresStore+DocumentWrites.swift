import Foundation
import PostgresNIO

extension PostgresStore {
    public func createDocument(_ new: NewDocument, in projectID: UUID) async throws -> Document {
        let prepared = try preparer.prepare(new)
        return try await transaction { connection in try await self.insert(prepared, in: projectID, on: connection) }
    }

    public func updateDocument(id: UUID, in projectID: UUID, with update: DocumentUpdate) async throws -> Document {
        try await transaction { connection in
            let existing = try Self.single(try await self.rows("""
                SELECT \(unescaped: Self.documentColumns) FROM document d
                WHERE d.id = \(id) AND d.project_id = \(projectID) FOR UPDATE
                """, on: connection))
            try existing.requireWritable(by: nil)
            if let expected = update.expectedVersion, expected != existing.version {
                throw IndexError.staleVersion(expected: expected, actual: existing.version)
            }
            let new = NewDocument(
                path: update.path ?? existing.path, content: update.content,
                title: update.title ?? (update.path == nil ? existing.title : nil),
                tags: update.tags ?? existing.tags, metadata: update.metadata ?? existing.metadata)
            return try await self.replace(existing, with: try self.preparer.prepare(new), on: connection).0
        }
    }

    public func upsertDocument(_ new: NewDocument, in projectID: UUID) async throws -> (Document, WriteOutcome) {
        let prepared = try preparer.prepare(new)
        return try await transaction { connection in try await self.upsert(prepared, in: projectID, on: connection) }
    }

    public func writeDocuments(_ documents: [NewDocument], mode: BulkMode, in projectID: UUID) async throws -> [BulkItemResult] {
        let prepared = preparer.prepareEach(documents)
        return try await transaction { connection in
            guard try await !self.rows("SELECT 1 FROM project WHERE id = \(projectID) FOR SHARE", on: connection).isEmpty else {
                throw IndexError.notFound(entity: "project")
            }
            var results: [BulkItemResult] = []
            for (index, item) in prepared.enumerated() {
                let path = documents[index].path
                switch item {
                case .failure(let error):
                    results.append(BulkItemResult(index: index, path: path, result: .failure(error)))
                case .success(let document):
                    // A savepoint per item: PostgreSQL aborts the whole transaction on an error,
                    // so a failed item is rolled back to here and the others go on.
                    try await connection.query("SAVEPOINT bulk_item", logger: self.logger)
                    do {
                        let (stored, written) = mode == .upsert
                            ? try await self.upsert(document, in: projectID, on: connection)
                            : (try await self.insert(document, in: projectID, on: connection), .created)
                        try await connection.query("RELEASE SAVEPOINT bulk_item", logger: self.logger)
                        results.append(BulkItemResult(index: index, path: path, result: .success((DocumentSummary(stored), written))))
                    } catch {
                        guard let indexError = Self.translate(error) as? IndexError, indexError.isInputError else { throw error }
                        try await connection.query("ROLLBACK TO SAVEPOINT bulk_item", logger: self.logger)
                        results.append(BulkItemResult(index: index, path: path, result: .failure(indexError)))
                    }
                }
            }
            return results
        }
    }

    public func deleteDocument(id: UUID, in projectID: UUID) async throws {
        let deleted = try await rows("DELETE FROM document WHERE id = \(id) AND project_id = \(projectID) AND source_id IS NULL RETURNING id")
        guard deleted.isEmpty else { return }
        try await document(id: id, in: projectID).requireWritable(by: nil)
    }

    // MARK: Writing inside a transaction

    func insert(_ document: PreparedDocument, in projectID: UUID, on connection: PostgresConnection) async throws -> Document {
        let stored = document.newDocument(in: projectID, embeddingsEnabled: embeddingsEnabled)
        try await connection.query("""
            INSERT INTO document (id, project_id, path, title, content, tags, metadata, version, content_hash,
                                  embedding_status, created_at, updated_at)
            VALUES (\(stored.id), \(projectID), \(stored.path), \(stored.title), \(stored.content), \(stored.tags),
                    \(JSONValue.encodeObject(stored.metadata))::jsonb, 1, \(stored.contentHash),
                    \(stored.embeddingStatus.rawValue), \(stored.createdAt.timeIntervalSince1970), \(stored.updatedAt.timeIntervalSince1970))
            """, logger: logger)
        try await syncChunks(document.chunks, of: stored, on: connection)
        return stored
    }

    /// Creates the document or replaces the one at its path. A client (`source` nil) may not
    /// replace a source's document; a sync may replace its own and adopt a client's.
    func upsert(_ document: PreparedDocument, in projectID: UUID, source: UUID? = nil,
                on connection: PostgresConnection) async throws -> (Document, WriteOutcome) {
        let rows = try await rows("""
            SELECT \(unescaped: Self.documentColumns) FROM document d
            WHERE d.project_id = \(projectID) AND d.path = \(document.path) FOR UPDATE
            """, on: connection)
        guard let row = rows.first else {
            return (try await insert(document, in: projectID, on: connection), .created)
        }
        let existing = try Self.document(from: row)
        try existing.requireWritable(by: source)
        return try await replace(existing, with: document, on: connection)
    }

    /// Writes the new state of a document; an identical state changes nothing, not even the version.
    func replace(_ existing: Document, with document: PreparedDocument, on connection: PostgresConnection) async throws -> (Document, WriteOutcome) {
        guard var updated = existing.revised(to: document) else { return (existing, .unchanged) }
        if existing.title != updated.title || existing.path != updated.path {
            // Title and path are part of every chunk's search vector.
            try await refreshSearchVectors(of: updated, on: connection)
        }
        let addedChunks = try await syncChunks(document.chunks, of: updated, on: connection)
        updated.updateEmbeddingStatus(addedChunks: addedChunks, from: document, embeddingsEnabled: embeddingsEnabled)
        try await connection.query("""
            UPDATE document SET path = \(updated.path), title = \(updated.title), content = \(updated.content),
                   tags = \(updated.tags), metadata = \(JSONValue.encodeObject(updated.metadata))::jsonb,
                   version = \(updated.version), content_hash = \(updated.contentHash),
                   embedding_status = \(updated.embeddingStatus.rawValue), updated_at = \(updated.updatedAt.timeIntervalSince1970)
            WHERE id = \(existing.id)
            """, logger: logger)
        return (updated, .updated)
    }

    /// Makes the document's chunks equal `drafts`, keeping the rows (and embeddings) of chunks
    /// whose content is unchanged; new chunks are inserted in one statement. Returns how many
    /// chunks were added.
    @discardableResult
    func syncChunks(_ drafts: [ChunkDraft], of document: Document, on connection: PostgresConnection) async throws -> Int {
        let stored = try await rows("SELECT id, content_hash FROM chunk WHERE document_id = \(document.id) ORDER BY position", on: connection)
            .map { row in (id: try row.value("id", as: Int64.self), contentHash: try row.value("content_hash", as: String.self)) }
        let plan = ChunkSyncPlan(stored: stored, drafts: drafts)
        let added = plan.added
        if !plan.removed.isEmpty {
            try await connection.query("DELETE FROM chunk WHERE id = ANY(\(plan.removed))", logger: logger)
        }
        if !plan.kept.isEmpty {
            try await connection.query("""
                UPDATE chunk SET position = moved.position
                FROM unnest(\(plan.kept.map(\.id))::bigint[], \(plan.kept.map(\.position))::integer[]) AS moved(id, position)
                WHERE chunk.id = moved.id AND chunk.position <> moved.position
                """, logger: logger)
        }
        if !added.isEmpty {
            try await connection.query("""
                INSERT INTO chunk (document_id, project_id, position, heading, text, token_count, content_hash, search)
                SELECT \(document.id), \(document.projectId), new.position, new.heading, new.text, new.token_count,
                       new.content_hash, lore_search_vector(\(SearchText.normalized(document.title)),
                           \(SearchText.normalized(document.path)), new.heading_words, new.words)
                FROM unnest(\(added.map(\.position))::integer[], \(added.map(\.heading))::text[], \(added.map(\.text))::text[],
                            \(added.map(\.tokenCount))::integer[], \(added.map(\.contentHash))::text[],
                            \(added.map { SearchText.normalized($0.heading) })::text[], \(added.map { SearchText.normalized($0.text) })::text[])
                     AS new(position, heading, text, token_count, content_hash, heading_words, words)
                """, logger: logger)
        }
        return added.count
    }

    /// Recomputes the search vectors of every chunk of the document (after a rename, or a
    /// full-text rebuild).
    func refreshSearchVectors(of document: Document, on connection: PostgresConnection) async throws {
        var ids: [Int64] = []
        var headings: [String] = []
        var bodies: [String] = []
        for row in try await rows("SELECT id, heading, text FROM chunk WHERE document_id = \(document.id)", on: connection) {
            ids.append(try row.value("id"))
            headings.append(SearchText.normalized(try row.value("heading")))
            bodies.append(SearchText.normalized(try row.value("text")))
        }
        guard !ids.isEmpty else { return }
        try await connection.query("""
            UPDATE chunk SET search = lore_search_vector(\(SearchText.normalized(document.title)),
                                                         \(SearchText.normalized(document.path)), new.heading, new.body)
            FROM unnest(\(ids)::bigint[], \(headings)::text[], \(bodies)::text[]) AS new(id, heading, body)
            WHERE chunk.id = new.id
            """, logger: logger)
    }
}

extension IndexError {
    /// Whether the error is about one item's input (so a bulk write reports it for that item
    /// and goes on) rather than the store failing.
    var isInputError: Bool {
        if case .storage = self { return false }
        return true
    }
}
