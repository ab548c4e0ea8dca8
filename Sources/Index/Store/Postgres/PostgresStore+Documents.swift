import Foundation
import PostgresNIO

extension PostgresStore: DocumentStore {
    /// The columns of a whole document row.
    static let documentColumns = """
        d.id, d.project_id, d.path, d.title, d.content, d.tags, d.metadata::text AS metadata, d.version,
        d.content_hash, d.embedding_status, d.created_at, d.updated_at, \(sourceColumns)
        """
    /// A document's provenance (alias `d`): its source, repository path and the source's commit.
    static let sourceColumns = "d.source_id, d.source_path, (SELECT s.last_commit FROM source s WHERE s.id = d.source_id) AS source_commit"

    public func document(id: UUID, in projectID: UUID) async throws -> Document {
        try Self.single(try await rows("SELECT \(unescaped: Self.documentColumns) FROM document d WHERE d.id = \(id) AND d.project_id = \(projectID)"))
    }

    public func documentSources(_ documentIDs: [UUID]) async throws -> [UUID: DocumentSource] {
        guard !documentIDs.isEmpty else { return [:] }
        var sources: [UUID: DocumentSource] = [:]
        for row in try await rows("""
            SELECT d.id, \(unescaped: Self.sourceColumns) FROM document d WHERE d.id = ANY(\(documentIDs)) AND d.source_id IS NOT NULL
            """) {
            sources[try row.value("id", as: UUID.self)] = try Self.documentSource(from: row)
        }
        return sources
    }

    public func document(path: String, in projectID: UUID) async throws -> Document {
        let path = try DocumentPath.validate(path)
        return try Self.single(try await rows(
            "SELECT \(unescaped: Self.documentColumns) FROM document d WHERE d.project_id = \(projectID) AND d.path = \(path)"))
    }

    public func documents(in projectID: UUID, filter: DocumentFilter, sort: DocumentSort, page: PageRequest) async throws -> Page<DocumentSummary> {
        var sql = SQLBuilder()
        let conditions = ["d.project_id = \(sql.bind(projectID))"] + Self.filterConditions(filter, into: &sql)
        let whereClause = conditions.joined(separator: " AND ")
        let order = sort == .path ? "d.path" : "d.updated_at DESC, d.path"
        sql.append("""
            SELECT d.id, d.project_id, d.path, d.title, '' AS content, d.tags, d.metadata::text AS metadata, d.version,
                   d.content_hash, d.embedding_status, d.created_at, d.updated_at, \(Self.sourceColumns),
                   count(*) OVER () AS total
            FROM document d WHERE \(whereClause) ORDER BY \(order) LIMIT \(sql.bind(page.limit)) OFFSET \(sql.bind(page.offset))
            """)
        let rows = try await rows(sql.query)
        var total = try rows.first.map { Int(try $0.value("total", as: Int64.self)) } ?? 0
        if rows.isEmpty && page.offset > 0 {
            var count = SQLBuilder()
            let conditions = ["d.project_id = \(count.bind(projectID))"] + Self.filterConditions(filter, into: &count)
            count.append("SELECT count(*) AS total FROM document d WHERE \(conditions.joined(separator: " AND "))")
            total = Int(try await self.rows(count.query)[0].value("total", as: Int64.self))
        }
        return Page(items: try rows.map { DocumentSummary(try Self.document(from: $0)) },
                    offset: page.offset, limit: page.limit, total: total)
    }

    public func contentHashes(in projectID: UUID) async throws -> [String: String] {
        var hashes: [String: String] = [:]
        for row in try await rows("SELECT path, content_hash FROM document WHERE project_id = \(projectID)") {
            hashes[try row.value("path")] = try row.value("content_hash")
        }
        return hashes
    }

    // MARK: Helpers

    /// SQL conditions on the document alias `d` for a filter, with their values bound.
    static func filterConditions(_ filter: DocumentFilter, into sql: inout SQLBuilder) -> [String] {
        var conditions: [String] = []
        if let prefix = filter.pathPrefix, !prefix.isEmpty {
            conditions.append("starts_with(d.path, \(sql.bind(prefix)))")
        }
        if let tag = filter.tag {
            conditions.append("d.tags @> ARRAY[\(sql.bind(tag))]::text[]")
        }
        return conditions
    }

    static func single(_ rows: [PostgresRandomAccessRow]) throws -> Document {
        guard let row = rows.first else { throw IndexError.notFound(entity: "document") }
        return try document(from: row)
    }

    static func document(from row: PostgresRandomAccessRow) throws -> Document {
        Document(
            id: try row.value("id"), projectId: try row.value("project_id"), path: try row.value("path"),
            title: try row.value("title"), content: try row.value("content"), tags: try row.value("tags"),
            metadata: JSONValue.decodeObject(try row.value("metadata")), version: try row.value("version"),
            contentHash: try row.value("content_hash"),
            embeddingStatus: EmbeddingStatus(rawValue: try row.value("embedding_status")) ?? .pending,
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"), source: try documentSource(from: row))
    }

    /// The provenance of a row that has ``sourceColumns``.
    static func documentSource(from row: PostgresRandomAccessRow) throws -> DocumentSource? {
        guard let id = try row.value("source_id", as: UUID?.self) else { return nil }
        return DocumentSource(id: id, commit: try row.value("source_commit", as: String?.self) ?? "",
                              path: try row.value("source_path", as: String?.self) ?? "")
    }
}
