import Foundation
import GRDB

extension SQLiteStore: DocumentStore {
    public func document(id: UUID, in projectID: UUID) async throws -> Document {
        try await read { db in
            try self.fetchDocument(sql: "\(Self.documentSelect) WHERE id = ? AND project_id = ?",
                                   arguments: [id.key, projectID.key], db: db)
        }
    }

    public func document(path: String, in projectID: UUID) async throws -> Document {
        let path = try DocumentPath.validate(path)
        return try await read { db in
            try self.fetchDocument(sql: "\(Self.documentSelect) WHERE project_id = ? AND path = ?",
                                   arguments: [projectID.key, path], db: db)
        }
    }

    public func documents(in projectID: UUID, filter: DocumentFilter, sort: DocumentSort, page: PageRequest) async throws -> Page<DocumentSummary> {
        var conditions = ["d.project_id = ?"]
        var arguments: [any DatabaseValueConvertible] = [projectID.key]
        Self.appendFilter(filter, to: &conditions, arguments: &arguments)
        let whereClause = conditions.joined(separator: " AND ")
        let order = sort == .path ? "d.path" : "d.updated_at DESC, d.path"
        let values = arguments.map(\.databaseValue)
        return try await read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document d WHERE \(whereClause)",
                                         arguments: StatementArguments(values)) ?? 0
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.id, d.project_id, d.path, d.title, d.tags, d.metadata, d.version, d.content_hash,
                           d.embedding_status, d.created_at, d.updated_at, '' AS content, d.source_id, d.source_path,
                           \(Self.sourceCommitColumn)
                    FROM document d WHERE \(whereClause) ORDER BY \(order) LIMIT ? OFFSET ?
                    """,
                arguments: StatementArguments(values + [page.limit.databaseValue, page.offset.databaseValue]))
            return Page(items: rows.map { DocumentSummary(Self.document(from: $0)) },
                        offset: page.offset, limit: page.limit, total: total)
        }
    }

    public func contentHashes(in projectID: UUID) async throws -> [String: String] {
        try await read { db in
            var hashes: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT path, content_hash FROM document WHERE project_id = ?",
                                        arguments: [projectID.key]) {
                hashes[row["path"]] = row["content_hash"]
            }
            return hashes
        }
    }

    // MARK: Helpers

    /// The commit a document's source was last synced at, as the column `source_commit`.
    public func documentSources(_ documentIDs: [UUID]) async throws -> [UUID: DocumentSource] {
        guard !documentIDs.isEmpty else { return [:] }
        return try await read { db in
            var sources: [UUID: DocumentSource] = [:]
            for row in try Row.fetchAll(db.cachedStatement(sql: """
                SELECT d.id, d.source_id, d.source_path, \(Self.sourceCommitColumn) FROM document d
                WHERE d.id IN (SELECT value FROM json_each(?)) AND d.source_id IS NOT NULL
                """), arguments: [Self.jsonList(documentIDs)]) {
                sources[row.uuid("id")] = Self.documentSource(from: row)
            }
            return sources
        }
    }

    static let sourceCommitColumn = "(SELECT s.last_commit FROM source s WHERE s.id = d.source_id) AS source_commit"
    /// Every column of a document (alias `d`) and its source's commit.
    static let documentSelect = "SELECT d.*, \(sourceCommitColumn) FROM document d"

    /// Adds the SQL conditions of `filter` on the document alias `d`.
    static func appendFilter(_ filter: DocumentFilter, to conditions: inout [String], arguments: inout [any DatabaseValueConvertible]) {
        if let prefix = filter.pathPrefix, !prefix.isEmpty {
            conditions.append("substr(d.path, 1, length(?)) = ?")
            arguments += [prefix, prefix]
        }
        if let tag = filter.tag {
            conditions.append("EXISTS (SELECT 1 FROM document_tag t WHERE t.document_id = d.id AND t.tag = ?)")
            arguments.append(tag)
        }
    }

    func fetchDocumentIfAny(sql: String, arguments: StatementArguments, db: Database) throws -> Document? {
        try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments).map(Self.document(from:))
    }

    func fetchDocument(sql: String, arguments: StatementArguments, db: Database) throws -> Document {
        guard let document = try fetchDocumentIfAny(sql: sql, arguments: arguments, db: db) else {
            throw IndexError.notFound(entity: "document")
        }
        return document
    }

    static func document(from row: Row) -> Document {
        Document(
            id: row.uuid("id"), projectId: row.uuid("project_id"), path: row["path"], title: row["title"],
            content: row["content"], tags: decodeTags(row["tags"]), metadata: JSONValue.decodeObject(row["metadata"]),
            version: row["version"], contentHash: row["content_hash"],
            embeddingStatus: EmbeddingStatus(rawValue: row["embedding_status"]) ?? .pending,
            createdAt: row.date("created_at"), updatedAt: row.date("updated_at"), source: documentSource(from: row))
    }

    /// The provenance of a row that has `source_id`, `source_path` and `source_commit`.
    static func documentSource(from row: Row) -> DocumentSource? {
        guard let id = (row["source_id"] as String?).flatMap(UUID.init(uuidString:)) else { return nil }
        return DocumentSource(id: id, commit: row["source_commit"] ?? "", path: row["source_path"] ?? "")
    }
}
