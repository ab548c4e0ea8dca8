import Foundation
import GRDB

extension SQLiteStore {
    /// BM25 column weights of `chunk_fts` (title, path, heading, body): a word in the title
    /// counts five times one in the body.
    static let columnWeights = "5.0, 3.0, 2.0, 1.0"

    public func searchFullText(_ request: FullTextRequest) async throws -> FullTextResults {
        guard !request.projectIDs.isEmpty, request.limit > 0 else { return FullTextResults(hits: [], total: 0) }
        let match = FTS5Expression.render(request.query)
        var conditions = ["d.project_id IN (\(Array(repeating: "?", count: request.projectIDs.count).joined(separator: ", ")))"]
        var arguments: [any DatabaseValueConvertible] = [match] + request.projectIDs.map(\.key)
        Self.appendFilter(request.filter, to: &conditions, arguments: &arguments)
        let sql = """
            WITH matched AS (
                SELECT rowid AS chunk_id, bm25(chunk_fts, \(Self.columnWeights)) AS bm25
                FROM chunk_fts WHERE chunk_fts MATCH ?
            ), best AS (
                SELECT d.id, d.project_id, d.path, d.title, m.chunk_id, m.bm25, c.position, c.heading,
                       ROW_NUMBER() OVER (PARTITION BY d.id ORDER BY m.bm25, c.position) AS place
                FROM matched m
                JOIN chunk c ON c.id = m.chunk_id
                JOIN document d ON d.id = c.document_id
                WHERE \(conditions.joined(separator: " AND "))
            )
            SELECT *, COUNT(*) OVER () AS total FROM best WHERE place = 1
            ORDER BY bm25, path, project_id
            LIMIT ? OFFSET ?
            """
        arguments += [request.limit, request.offset]
        let values = arguments.map(\.databaseValue)
        let offset = request.offset
        var (hits, total) = try await read { db -> ([FullTextHit], Int) in
            let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(values))
            let hits = rows.enumerated().map { index, row in
                FullTextHit(
                    documentId: row.uuid("id"), projectId: row.uuid("project_id"), path: row["path"], title: row["title"],
                    score: -(row["bm25"] as Double), rank: offset + index + 1, chunkId: row["chunk_id"],
                    chunkIndex: row["position"], chunkHeading: row["heading"], snippet: "")
            }
            return (hits, rows.first?["total"] ?? 0)
        }
        if request.includesSnippets && !hits.isEmpty {
            let snippets = try await snippets(match: match, chunkIDs: hits.map(\.chunkId))
            for index in hits.indices { hits[index].snippet = snippets[hits[index].chunkId] ?? "" }
        }
        let fullTotal = hits.isEmpty && request.offset > 0 ? try await countMatches(match: match, request: request) : total
        return FullTextResults(hits: hits, total: fullTotal)
    }

    /// Highlighted body excerpts of the given chunks, by chunk id.
    private func snippets(match: String, chunkIDs: [Int64]) async throws -> [Int64: String] {
        let placeholders = Array(repeating: "?", count: chunkIDs.count).joined(separator: ", ")
        let sql = """
            SELECT rowid, snippet(chunk_fts, 3, ?, ?, '…', 32) AS snippet FROM chunk_fts
            WHERE chunk_fts MATCH ? AND rowid IN (\(placeholders))
            """
        let values = [Snippet.openMarker.databaseValue, Snippet.closeMarker.databaseValue, match.databaseValue]
            + chunkIDs.map(\.databaseValue)
        return try await read { db in
            var snippets: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(values)) {
                snippets[row["rowid"]] = Snippet.html(fromMarked: row["snippet"] ?? "")
            }
            return snippets
        }
    }

    /// The number of matching documents, for a page past the end of the results.
    private func countMatches(match: String, request: FullTextRequest) async throws -> Int {
        var count = request
        count.offset = 0
        count.limit = 1
        count.includesSnippets = false
        return try await searchFullText(count).total
    }

    public func rebuildFullText(projectID: UUID?, progress: @Sendable (Int, Int) -> Void) async throws {
        let ids = try await read { db in
            if let projectID {
                return try String.fetchAll(db, sql: "SELECT id FROM document WHERE project_id = ? ORDER BY id", arguments: [projectID.key])
            }
            return try String.fetchAll(db, sql: "SELECT id FROM document ORDER BY id")
        }
        var done = 0
        progress(0, ids.count)
        for batch in stride(from: 0, to: ids.count, by: 200).map({ Array(ids[$0..<min($0 + 200, ids.count)]) }) {
            try await write { db in
                for id in batch {
                    guard let row = try Row.fetchOne(db, sql: "SELECT path, content FROM document WHERE id = ?", arguments: [id]) else { continue }
                    let path: String = row["path"]
                    let content: String = row["content"]
                    let drafts = self.preparer.chunker.chunks(of: content, isMarkdown: Chunker.isMarkdown(path: path))
                    guard let documentID = UUID(uuidString: id) else { continue }
                    try self.syncChunks(drafts, documentID: documentID, db: db)
                    try db.execute(sql: "DELETE FROM chunk_fts WHERE rowid IN (SELECT id FROM chunk WHERE document_id = ?)", arguments: [id])
                    try db.execute(sql: """
                        INSERT INTO chunk_fts(rowid, title, path, heading, body)
                        SELECT c.id, d.title, d.path, c.heading, c.text FROM chunk c JOIN document d ON d.id = c.document_id
                        WHERE d.id = ?
                        """, arguments: [id])
                }
            }
            done += batch.count
            progress(done, ids.count)
        }
        if projectID == nil {
            // Entries whose chunk no longer exists (only possible after outside edits) go too.
            try await write { db in
                try db.execute(sql: "DELETE FROM chunk_fts WHERE rowid NOT IN (SELECT id FROM chunk)")
                try db.execute(sql: "INSERT INTO chunk_fts(chunk_fts) VALUES ('optimize')")
            }
        }
    }
}
