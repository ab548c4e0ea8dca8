import Foundation
import GRDB

extension SQLiteStore {
    public func createDocument(_ new: NewDocument, in projectID: UUID) async throws -> Document {
        let prepared = try preparer.prepare(new)
        return try await write { db in try self.insert(prepared, in: projectID, db: db) }
    }

    public func updateDocument(id: UUID, in projectID: UUID, with update: DocumentUpdate) async throws -> Document {
        try await write { db in
            let existing = try self.fetchDocument(sql: "\(Self.documentSelect) WHERE id = ? AND project_id = ?",
                                                  arguments: [id.key, projectID.key], db: db)
            try existing.requireWritable(by: nil)
            if let expected = update.expectedVersion, expected != existing.version {
                throw IndexError.staleVersion(expected: expected, actual: existing.version)
            }
            let new = NewDocument(
                path: update.path ?? existing.path, content: update.content,
                title: update.title ?? (update.path == nil ? existing.title : nil),
                tags: update.tags ?? existing.tags, metadata: update.metadata ?? existing.metadata)
            return try self.replace(existing, with: try self.preparer.prepare(new), db: db).0
        }
    }

    public func upsertDocument(_ new: NewDocument, in projectID: UUID) async throws -> (Document, WriteOutcome) {
        let prepared = try preparer.prepare(new)
        return try await write { db in try self.upsert(prepared, in: projectID, db: db) }
    }

    public func writeDocuments(_ documents: [NewDocument], mode: BulkMode, in projectID: UUID) async throws -> [BulkItemResult] {
        let prepared = preparer.prepareEach(documents)
        return try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM project WHERE id = ?)", arguments: [projectID.key]) == true else {
                throw IndexError.notFound(entity: "project")
            }
            var results: [BulkItemResult] = []
            for (index, item) in prepared.enumerated() {
                let path = documents[index].path
                switch item {
                case .failure(let error):
                    results.append(BulkItemResult(index: index, path: path, result: .failure(error)))
                case .success(let document):
                    var outcome: Result<(summary: DocumentSummary, outcome: WriteOutcome), IndexError> = .failure(.storage(reason: "not written"))
                    try db.inSavepoint {
                        do {
                            let (stored, written) = mode == .upsert
                                ? try self.upsert(document, in: projectID, db: db)
                                : (try self.insert(document, in: projectID, db: db), .created)
                            outcome = .success((DocumentSummary(stored), written))
                            return .commit
                        } catch {
                            guard let indexError = Self.translate(error) as? IndexError, case .storage = indexError else {
                                outcome = .failure(Self.translate(error) as? IndexError ?? .storage(reason: "\(error)"))
                                return .rollback
                            }
                            throw error
                        }
                    }
                    results.append(BulkItemResult(index: index, path: path, result: outcome))
                }
            }
            return results
        }
    }

    public func deleteDocument(id: UUID, in projectID: UUID) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM document WHERE id = ? AND project_id = ? AND source_id IS NULL",
                           arguments: [id.key, projectID.key])
            guard db.changesCount == 0 else { return }
            try self.fetchDocument(sql: "\(Self.documentSelect) WHERE id = ? AND project_id = ?",
                                   arguments: [id.key, projectID.key], db: db).requireWritable(by: nil)
        }
    }

    // MARK: Writing inside a transaction

    func insert(_ document: PreparedDocument, in projectID: UUID, db: Database) throws -> Document {
        let stored = document.newDocument(in: projectID, embeddingsEnabled: embeddingsEnabled)
        try db.cachedStatement(sql: """
                INSERT INTO document (id, project_id, path, title, content, tags, metadata, version,
                                      content_hash, embedding_status, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(
            arguments: [stored.id.key, projectID.key, stored.path, stored.title, stored.content,
                        Self.encodeTags(stored.tags), JSONValue.encodeObject(stored.metadata), 1,
                        stored.contentHash, stored.embeddingStatus.rawValue, stored.createdAt.storedValue, stored.updatedAt.storedValue])
        try writeTags(stored.tags, documentID: stored.id, db: db)
        try syncChunks(document.chunks, documentID: stored.id, db: db)
        return stored
    }

    /// Creates the document or replaces the one at its path. A client (`source` nil) may not
    /// replace a source's document; a sync may replace its own and adopt a client's.
    func upsert(_ document: PreparedDocument, in projectID: UUID, source: UUID? = nil, db: Database) throws -> (Document, WriteOutcome) {
        guard let existing = try fetchDocumentIfAny(
            sql: "\(Self.documentSelect) WHERE project_id = ? AND path = ?", arguments: [projectID.key, document.path], db: db)
        else {
            return (try insert(document, in: projectID, db: db), .created)
        }
        try existing.requireWritable(by: source)
        return try replace(existing, with: document, db: db)
    }

    /// Writes the new state of a document; an identical state changes nothing, not even the version.
    func replace(_ existing: Document, with document: PreparedDocument, db: Database) throws -> (Document, WriteOutcome) {
        guard var updated = existing.revised(to: document) else { return (existing, .unchanged) }
        let addedChunks = try syncChunks(document.chunks, documentID: existing.id, db: db)
        updated.updateEmbeddingStatus(addedChunks: addedChunks, from: document, embeddingsEnabled: embeddingsEnabled)
        try db.cachedStatement(sql: """
                UPDATE document SET path = ?, title = ?, content = ?, tags = ?, metadata = ?, version = ?,
                       content_hash = ?, embedding_status = ?, updated_at = ?
                WHERE id = ?
                """).execute(
            arguments: [updated.path, updated.title, updated.content, Self.encodeTags(updated.tags),
                        JSONValue.encodeObject(updated.metadata), updated.version, updated.contentHash,
                        updated.embeddingStatus.rawValue, updated.updatedAt.storedValue, existing.id.key])
        if existing.tags != updated.tags {
            try db.cachedStatement(sql: "DELETE FROM document_tag WHERE document_id = ?").execute(arguments: [existing.id.key])
            try writeTags(updated.tags, documentID: existing.id, db: db)
        }
        return (updated, .updated)
    }

    /// Makes the document's chunks equal `drafts`, keeping the rows (and embeddings) of chunks
    /// whose content is unchanged. Returns how many chunks were added.
    @discardableResult
    func syncChunks(_ drafts: [ChunkDraft], documentID: UUID, db: Database) throws -> Int {
        let storedChunks = try db.cachedStatement(sql: "SELECT id, content_hash FROM chunk WHERE document_id = ? ORDER BY position")
        let stored = try Row.fetchAll(storedChunks, arguments: [documentID.key]).map { row in
            (id: row["id"] as Int64, contentHash: row["content_hash"] as String)
        }
        let plan = ChunkSyncPlan(stored: stored, drafts: drafts)
        for (id, position) in plan.kept {
            try db.cachedStatement(sql: "UPDATE chunk SET position = ? WHERE id = ?").execute(arguments: [position, id])
        }
        for draft in plan.added {
            try db.cachedStatement(sql: """
                INSERT INTO chunk (document_id, position, heading, text, token_count, content_hash)
                VALUES (?, ?, ?, ?, ?, ?)
                """).execute(
                arguments: [documentID.key, draft.position, draft.heading, draft.text, draft.tokenCount, draft.contentHash])
        }
        // Deleted last, so that no new chunk takes the id of a chunk this write removes.
        for id in plan.removed {
            try db.cachedStatement(sql: "DELETE FROM chunk WHERE id = ?").execute(arguments: [id])
        }
        return plan.added.count
    }

    private func writeTags(_ tags: [String], documentID: UUID, db: Database) throws {
        for tag in tags {
            try db.cachedStatement(sql: "INSERT INTO document_tag (document_id, tag) VALUES (?, ?)").execute(arguments: [documentID.key, tag])
        }
    }

    static func encodeTags(_ tags: [String]) -> String {
        let data = (try? JSONEncoder().encode(tags)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeTags(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}
