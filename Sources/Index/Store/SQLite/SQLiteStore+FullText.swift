import Foundation
import GRDB

extension SQLiteStore {
    /// BM25 column weights of `chunk_fts` (title, path, heading, body, scope): a word in the
    /// title counts five times one in the body; the scope token never scores.
    static let columnWeights = "5.0, 3.0, 2.0, 1.0, 0.0"
    /// Weights that score a chunk by its own heading and body only, to pick a hit's passage.
    static let passageWeights = "0.0, 0.0, 2.0, 1.0, 0.0"

    /// Ranks documents by their best chunk's BM25, in two phases so that only the best chunks
    /// are ever joined to their documents.
    ///
    /// Phase one asks FTS5 for the top K chunks of the scoped MATCH (SQLite keeps a bounded
    /// heap for `ORDER BY … LIMIT`); phase two joins just those to their documents, applies the
    /// filters and keeps each document's best chunk. A page is final once every document on it
    /// scores strictly better than the K-th chunk (nothing outside the top K can outrank or tie
    /// it); otherwise K grows fourfold. Everything runs in one read, so the page, the total and
    /// the snippets come from the same snapshot.
    public func searchFullText(_ request: FullTextRequest) async throws -> FullTextResults {
        guard !request.projectIDs.isEmpty, request.limit > 0 else { return FullTextResults(hits: [], total: 0) }
        return try await read(deadline: Self.searchTimeout) { db in
            let match = try Self.matchExpression(for: request.query, in: request.projectIDs, db: db)
            let needed = request.offset + request.limit
            // Twice the page (at least 24 chunks) is enough for most queries; the loop deepens
            // when it is not. Measured on Cranfield: 4.16 ms p50 against 4.56 ms with 64 / 4×.
            var depth = max(24, needed * 2)
            var ranking: RankedCandidates
            while true {
                ranking = try Self.rankCandidates(match: match, filter: request.filter, depth: depth, db: db)
                if ranking.exhausted || ranking.certainCount >= needed { break }
                // `needed` is at most PageRequest.maximumWindow; the cap keeps the growth finite.
                depth = min(depth, 1 << 40) * 4
            }
            let page = Array(ranking.documents.dropFirst(request.offset).prefix(request.limit))
            var hits = page.enumerated().map { index, candidate in
                FullTextHit(
                    documentId: candidate.documentID, projectId: candidate.projectID, path: candidate.path,
                    title: candidate.title, score: -candidate.bm25, rank: request.offset + index + 1,
                    chunkId: candidate.chunkID, chunkIndex: candidate.position, chunkHeading: candidate.heading, snippet: "")
            }
            if request.includesSnippets && !hits.isEmpty {
                let chunkIDs = page.flatMap { ranking.chunksByDocument[$0.documentID] ?? [] }
                let passages = try Self.bestPassages(query: request.query, chunkIDs: chunkIDs, db: db)
                for index in hits.indices {
                    guard let passage = passages[hits[index].documentId] else { continue }
                    hits[index].chunkId = passage.chunkId
                    hits[index].chunkIndex = passage.position
                    hits[index].chunkHeading = passage.heading
                    hits[index].snippet = passage.snippet
                }
            }
            let total = ranking.exhausted ? ranking.documents.count
                : try Self.countDocuments(match: match, filter: request.filter, db: db)
            return FullTextResults(hits: hits, total: total)
        }
    }

    /// The MATCH expression for a search in these projects. The projects' scope tokens are left
    /// out when no other project has a document, as on a single-project installation: every
    /// chunk in the index is then theirs, and ANDing the scope would only walk a doclist as long
    /// as the index (measured on 100k documents: 21 ms against 15 ms for the top-K).
    static func matchExpression(for query: SearchQuery, in projectIDs: [UUID], db: Database) throws -> String {
        let othersHaveDocuments = try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT EXISTS (SELECT 1 FROM project p WHERE p.id NOT IN (SELECT value FROM json_each(?))
                           AND EXISTS (SELECT 1 FROM document d WHERE d.project_id = p.id))
            """), arguments: [jsonList(projectIDs)]) ?? true
        return FTS5Expression.render(query, scopes: othersHaveDocuments ? projectIDs.map(SearchScope.token(for:)) : nil)
    }

    /// A JSON array for `json_each(?)`: a list travels as one bound value, so a statement's
    /// text, and its compiled form in GRDB's statement cache, stays the same whatever the list's
    /// length.
    static func jsonList(_ numbers: [Int64]) -> String {
        "[" + numbers.map(String.init).joined(separator: ",") + "]"
    }

    /// A JSON array of UUID keys (hex digits and dashes: nothing to escape).
    static func jsonList(_ ids: [UUID]) -> String {
        "[" + ids.map { "\"\($0.key)\"" }.joined(separator: ",") + "]"
    }

    /// One document's best chunk among the top-K candidates.
    struct Candidate: Sendable {
        var documentID: UUID
        var projectID: UUID
        var path: String
        var title: String
        var chunkID: Int64
        var position: Int
        var heading: String
        var bm25: Double
    }

    /// The documents found among the top K chunks, best first.
    struct RankedCandidates {
        var documents: [Candidate]
        /// Every candidate chunk of each document, for choosing passages.
        var chunksByDocument: [UUID: [Int64]]
        /// Whether FTS5 had fewer than K matching chunks: the ranking is then complete.
        var exhausted: Bool
        /// How many leading documents are certainly in their final places.
        var certainCount: Int
    }

    static func rankCandidates(match: String, filter: DocumentFilter, depth: Int, db: Database) throws -> RankedCandidates {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = [match, depth]
        appendFilter(filter, to: &conditions, arguments: &arguments)
        let allowed = conditions.isEmpty ? "1" : conditions.joined(separator: " AND ")
        let sql = """
            WITH top AS (
                SELECT rowid AS chunk_id, bm25(chunk_fts, \(columnWeights)) AS bm25
                FROM chunk_fts WHERE chunk_fts MATCH ? ORDER BY bm25 LIMIT ?
            )
            SELECT top.chunk_id, top.bm25, c.position, c.heading, d.id, d.project_id, d.path, d.title,
                   (\(allowed)) AS allowed
            FROM top JOIN chunk c ON c.id = top.chunk_id JOIN document d ON d.id = c.document_id
            ORDER BY top.bm25, d.path, d.project_id, c.position
            """
        let rows = try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(arguments))
        var documents: [Candidate] = []
        var chunksByDocument: [UUID: [Int64]] = [:]
        for row in rows where row["allowed"] as Bool {
            let documentID = row.uuid("id")
            let chunkID: Int64 = row["chunk_id"]
            if chunksByDocument[documentID] == nil {
                documents.append(Candidate(
                    documentID: documentID, projectID: row.uuid("project_id"), path: row["path"], title: row["title"],
                    chunkID: chunkID, position: row["position"], heading: row["heading"], bm25: row["bm25"]))
            }
            chunksByDocument[documentID, default: []].append(chunkID)
        }
        let exhausted = rows.count < depth
        let boundary: Double = rows.last?["bm25"] ?? 0
        let certain = exhausted ? documents.count : documents.prefix { $0.bm25 < boundary }.count
        return RankedCandidates(documents: documents, chunksByDocument: chunksByDocument, exhausted: exhausted, certainCount: certain)
    }

    public func snippets(for query: SearchQuery, projectIDs: [UUID], chunkIDs: [Int64]) async throws -> [Int64: String] {
        guard !chunkIDs.isEmpty, !projectIDs.isEmpty else { return [:] }
        return try await read(deadline: Self.searchTimeout) { db in
            try Self.bestPassages(query: query, chunkIDs: chunkIDs, db: db).values.reduce(into: [:]) { result, passage in
                result[passage.chunkId] = passage.snippet
            }
        }
    }

    /// The number of documents with at least one matching chunk that pass the filter, counted
    /// by their numbers in the narrow `chunk_owner` table (see `SQLiteMigrations.v3`).
    static func countDocuments(match: String, filter: DocumentFilter, db: Database) throws -> Int {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = [match]
        appendFilter(filter, to: &conditions, arguments: &arguments)
        let sql = conditions.isEmpty
            ? """
              SELECT COUNT(DISTINCT o.document_number) FROM chunk_fts
              JOIN chunk_owner o ON o.chunk_id = chunk_fts.rowid
              WHERE chunk_fts MATCH ?
              """
            : """
              SELECT COUNT(DISTINCT o.document_number) FROM chunk_fts
              JOIN chunk_owner o ON o.chunk_id = chunk_fts.rowid
              JOIN document_number n ON n.number = o.document_number JOIN document d ON d.id = n.document_id
              WHERE chunk_fts MATCH ? AND \(conditions.joined(separator: " AND "))
              """
        return try Int.fetchOne(db.cachedStatement(sql: sql), arguments: StatementArguments(arguments)) ?? 0
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

    /// For each document, the candidate chunk whose heading and body match best (title and path
    /// are the same for every chunk of a document, and would favour the shortest chunk), with a
    /// `<mark>`-highlighted excerpt of its body.
    ///
    /// The unary `+` keeps SQLite from handing the rowid list to FTS5, which would re-run the whole
    /// query once per rowid (measured: 10 ms for 12 chunks on Cranfield); instead the matches
    /// are scanned once and `snippet()` runs only for the listed chunks (1.7 ms). The listed
    /// chunks already belong to the right projects, so the MATCH needs no scope.
    static func bestPassages(query: SearchQuery, chunkIDs: [Int64], db: Database) throws -> [UUID: Passage] {
        let match = FTS5Expression.render(query, scopes: nil)
        let sql = """
            SELECT chunk_fts.rowid AS chunk_id, c.document_id, c.position, c.heading,
                   snippet(chunk_fts, 3, ?, ?, '…', 32) AS snippet,
                   bm25(chunk_fts, \(passageWeights)) AS passage,
                   bm25(chunk_fts, \(columnWeights)) AS bm25
            FROM chunk_fts JOIN chunk c ON c.id = chunk_fts.rowid
            WHERE chunk_fts MATCH ? AND +chunk_fts.rowid IN (SELECT value FROM json_each(?))
            """
        let arguments: StatementArguments = [Snippet.openMarker, Snippet.closeMarker, match, jsonList(chunkIDs)]
        var best: [UUID: Passage] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments) {
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
                    guard let row = try Row.fetchOne(db, sql: "SELECT path, title, content FROM document WHERE id = ?", arguments: [id]),
                          let documentID = UUID(uuidString: id) else { continue }
                    let path: String = row["path"]
                    let content: String = row["content"]
                    let drafts = self.preparer.chunks(of: content, path: path, title: row["title"])
                    try self.syncChunks(drafts, documentID: documentID, db: db)
                    try db.execute(sql: "DELETE FROM chunk_fts WHERE rowid IN (SELECT id FROM chunk WHERE document_id = ?)", arguments: [id])
                    try db.execute(sql: """
                        INSERT INTO chunk_fts(rowid, title, path, heading, body, scope)
                        SELECT c.id, d.title, d.path, c.heading, c.text, p.search_token
                        FROM chunk c JOIN document d ON d.id = c.document_id JOIN project p ON p.id = d.project_id
                        WHERE d.id = ?
                        """, arguments: [id])
                }
            }
            done += batch.count
            progress(done, ids.count)
        }
        if projectID == nil {
            // Entries whose chunk no longer exists (only possible after outside edits) go too, and
            // the chunk owners that counting relies on are derived again.
            try await write { db in
                try db.execute(sql: "DELETE FROM chunk_fts WHERE rowid NOT IN (SELECT id FROM chunk)")
                try db.execute(sql: """
                    INSERT INTO document_number(document_id)
                    SELECT id FROM document WHERE id NOT IN (SELECT document_id FROM document_number);
                    DELETE FROM chunk_owner;
                    INSERT INTO chunk_owner(chunk_id, document_number)
                    SELECT c.id, n.number FROM chunk c JOIN document_number n ON n.document_id = c.document_id;
                    """)
                try db.execute(sql: "INSERT INTO chunk_fts(chunk_fts) VALUES ('optimize')")
            }
        }
    }
}
