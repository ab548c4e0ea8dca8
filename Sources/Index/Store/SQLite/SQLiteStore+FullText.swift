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
            let passages = try await bestPassages(match: match, documentIDs: hits.map(\.documentId))
            for index in hits.indices {
                guard let passage = passages[hits[index].documentId] else { continue }
                hits[index].chunkId = passage.chunkId
                hits[index].chunkIndex = passage.position
                hits[index].chunkHeading = passage.heading
                hits[index].snippet = passage.snippet
            }
        }
        let fullTotal = hits.isEmpty && request.offset > 0 ? try await countMatches(match: match, request: request) : total
        return FullTextResults(hits: hits, total: fullTotal)
    }

    /// The passage that best shows why a document matched, with its highlighted snippet.
    struct Passage: Sendable {
        var chunkId: Int64
        var position: Int
        var heading: String
        var snippet: String
        /// BM25 of heading and body only, then of all columns (lower is better in SQLite).
        var order: (Double, Double, Int)
    }

    /// For each document, the chunk whose heading and body match best (title and path are the
    /// same for every chunk of a document, and would favour the shortest chunk), with a
    /// `<mark>`-highlighted excerpt of its body.
    private func bestPassages(match: String, documentIDs: [UUID]) async throws -> [UUID: Passage] {
        let placeholders = Array(repeating: "?", count: documentIDs.count).joined(separator: ", ")
        let sql = """
            SELECT chunk_fts.rowid AS chunk_id, c.document_id, c.position, c.heading,
                   snippet(chunk_fts, 3, ?, ?, '…', 32) AS snippet,
                   bm25(chunk_fts, 0.0, 0.0, 2.0, 1.0) AS passage,
                   bm25(chunk_fts, \(Self.columnWeights)) AS bm25
            FROM chunk_fts JOIN chunk c ON c.id = chunk_fts.rowid
            WHERE chunk_fts MATCH ? AND c.document_id IN (\(placeholders))
            """
        let values = [Snippet.openMarker.databaseValue, Snippet.closeMarker.databaseValue, match.databaseValue]
            + documentIDs.map(\.key.databaseValue)
        return try await read { db in
            var best: [UUID: Passage] = [:]
            for row in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(values)) {
                let passage = Passage(
                    chunkId: row["chunk_id"], position: row["position"], heading: row["heading"],
                    snippet: Snippet.html(fromMarked: row["snippet"] ?? ""),
                    order: (row["passage"], row["bm25"], row["position"]))
                let documentID = row.uuid("document_id")
                if let current = best[documentID], current.order <= passage.order { continue }
                best[documentID] = passage
            }
            return best
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
