import Foundation
import PostgresNIO

extension PostgresStore {
    /// `ts_rank` weights {D, C, B, A} = body, heading, path, title. Chosen on Cranfield
    /// (nDCG@10): {0.2, 0.4, 0.6, 1.0} 0.362, {0.3, 0.5, 0.7, 1.0} 0.370, {0.4, 0.6, 0.8, 1.0} 0.371.
    static let rankWeights = "'{0.4, 0.6, 0.8, 1.0}'::float4[]"
    /// Weights that score a chunk by its own heading and body only, to pick a hit's passage.
    static let passageWeights = "'{0.2, 0.4, 0, 0}'::float4[]"
    /// `ts_rank` normalisation 32, rank / (rank + 1): a term's score saturates as it repeats, as
    /// BM25's does. Measured on Cranfield (nDCG@10): 0 → 0.350, 1 (log length) → 0.348,
    /// 2 (length) → 0.284, 16 → 0.349, 32 → 0.362 (all with weights {0.2, 0.4, 0.6, 1.0}).
    static let rankNormalization = 32
    /// `ts_headline` options: about 32 words around the matches, marked with private-use
    /// characters that ``Snippet`` turns into `<mark>` after escaping the text.
    static let headlineOptions =
        "StartSel=\(Snippet.openMarker), StopSel=\(Snippet.closeMarker), MaxWords=32, MinWords=12"

    /// Punctuation that PostgreSQL's parser glues words with (`resp.headers`, `a/b`, `x@y`,
    /// `rate-limit`) or drops (`<b>` as an HTML tag). `ts_headline` gets the text with each
    /// replaced by a private-use stand-in, which it reads as a plain separator, so it finds the
    /// same words as the index (see ``SearchText``); the snippet gets them back after.
    static let headlinePunctuation = Array("<>.-/@_:+~&=%#?\\")
    static let headlineStandIns = headlinePunctuation.indices.map { Character(Unicode.Scalar(0xE010 + UInt32($0))!) }

    /// The `ts_headline` of chunk `c` for the query CTE's `r`, on its text with the gluing
    /// punctuation swapped out (restore it with ``snippet(fromHeadline:)``).
    static func headline(into sql: inout SQLBuilder) -> String {
        let text = "translate(c.text, \(sql.bind(String(headlinePunctuation))), \(sql.bind(String(headlineStandIns))))"
        return "ts_headline(\(TSQueryExpression.configuration), \(text), query.r, \(sql.bind(headlineOptions)))"
    }

    /// The HTML snippet of a `ts_headline` result: punctuation restored, text escaped, matches marked.
    static func snippet(fromHeadline headline: String) -> String {
        let restore = Dictionary(uniqueKeysWithValues: zip(headlineStandIns, headlinePunctuation))
        return Snippet.html(fromMarked: String(headline.map { restore[$0] ?? $0 }))
    }

    /// Ranks documents by their best chunk's BM25-like score over the GIN-indexed `tsvector`.
    ///
    /// `ts_rank` weighs how often and where (title, path, heading, body) a term occurs, with
    /// length normalisation, but knows nothing of how rare a term is. So each ranking term is
    /// scored on its own and weighted by its inverse document frequency among the projects'
    /// chunks (counted in a first round trip), as BM25 does. On Cranfield's long queries this
    /// lifts nDCG@10 from 0.314 (one `ts_rank` of the whole query) to 0.348, and the weights and
    /// normalisation below to 0.371 (SQLite's FTS5 BM25: 0.378).
    ///
    /// Then one statement: matching chunks of the projects (the GIN index finds them), each
    /// document's best score and the chunk whose heading and body match best, the total from a
    /// window count, and headlines computed only for the page.
    public func searchFullText(_ request: FullTextRequest) async throws -> FullTextResults {
        guard !request.projectIDs.isEmpty, request.limit > 0 else { return FullTextResults(hits: [], total: 0) }
        let terms = request.query.optional + request.query.required
        let weights = try await inverseDocumentFrequencies(of: terms, projectIDs: request.projectIDs)
        var sql = SQLBuilder()
        let queryCTE = TSQueryExpression.queryCTE(request.query, into: &sql)
        var termScores: [String] = []
        for (term, weight) in zip(terms, weights) where weight > 0 {
            let tsquery = TSQueryExpression.render(term, into: &sql)
            termScores.append("\(sql.bind(weight)) * ts_rank(\(Self.rankWeights), c.search, \(tsquery), \(Self.rankNormalization))")
        }
        let score = termScores.isEmpty ? "0::float8" : termScores.joined(separator: " + ")
        let projects = sql.bind(request.projectIDs)
        let filters = Self.filterConditions(request.filter, into: &sql)
        let documentJoin = filters.isEmpty ? "" : "JOIN document d ON d.id = c.document_id"
        let filterClause = filters.map { " AND \($0)" }.joined()
        let limit = sql.bind(request.limit)
        let offset = sql.bind(request.offset)
        let snippet = request.includesSnippets
            ? Self.headline(into: &sql)
            : "''"
        sql.append("""
            WITH \(queryCTE),
            matches AS (
                SELECT c.id, c.document_id, c.position, c.heading,
                       (\(score))::float8 AS score,
                       ts_rank(\(Self.passageWeights), c.search, query.r, \(Self.rankNormalization)) AS passage
                FROM chunk c \(documentJoin) CROSS JOIN query
                WHERE c.project_id = ANY(\(projects)) AND c.search @@ query.q\(filterClause)
            ),
            best AS (
                SELECT DISTINCT ON (document_id) id, document_id, position, heading,
                       max(score) OVER (PARTITION BY document_id) AS score
                FROM matches ORDER BY document_id, passage DESC, score DESC, position
            ),
            page AS (
                SELECT best.*, d.project_id, d.path, d.title, count(*) OVER () AS total
                FROM best JOIN document d ON d.id = best.document_id
                ORDER BY best.score DESC, d.path, d.project_id LIMIT \(limit) OFFSET \(offset)
            )
            SELECT page.*, \(snippet) AS snippet
            FROM page JOIN chunk c ON c.id = page.id CROSS JOIN query
            ORDER BY page.score DESC, page.path, page.project_id
            """)
        let rows = try await rows(sql.query)
        var total = try rows.first.map { Int(try $0.value("total", as: Int64.self)) } ?? 0
        if rows.isEmpty && request.offset > 0 {
            total = try await countDocuments(request)
        }
        var hits: [FullTextHit] = []
        for (index, row) in rows.enumerated() {
            hits.append(FullTextHit(
                documentId: try row.value("document_id"), projectId: try row.value("project_id"),
                path: try row.value("path"), title: try row.value("title"),
                score: try row.value("score", as: Double.self), rank: request.offset + index + 1,
                chunkId: try row.value("id"), chunkIndex: try row.value("position"), chunkHeading: try row.value("heading"),
                snippet: Self.snippet(fromHeadline: try row.value("snippet"))))
        }
        return FullTextResults(hits: hits, total: total)
    }

    /// BM25's inverse document frequency of each term among the chunks of the projects,
    /// ln(1 + (N − df + ½) / (df + ½)), counted with the GIN index in one round trip.
    func inverseDocumentFrequencies(of terms: [SearchQuery.Term], projectIDs: [UUID]) async throws -> [Double] {
        guard !terms.isEmpty else { return [] }
        var sql = SQLBuilder()
        let projects = sql.bind(projectIDs)
        var columns = ["(SELECT count(*) FROM chunk WHERE project_id = ANY(\(projects))) AS n"]
        for (index, term) in terms.enumerated() {
            let tsquery = TSQueryExpression.render(term, into: &sql)
            columns.append("(SELECT count(*) FROM chunk WHERE project_id = ANY(\(projects)) AND search @@ \(tsquery)) AS df\(index)")
        }
        sql.append("SELECT " + columns.joined(separator: ", "))
        let row = try await rows(sql.query)[0]
        let total = Double(try row.value("n", as: Int64.self))
        return try terms.indices.map { index in
            let frequency = Double(try row.value("df\(index)", as: Int64.self))
            return frequency == 0 ? 0 : log(1 + (total - frequency + 0.5) / (frequency + 0.5))
        }
    }

    /// The number of documents with a matching chunk that pass the filter.
    private func countDocuments(_ request: FullTextRequest) async throws -> Int {
        var sql = SQLBuilder()
        let queryCTE = TSQueryExpression.queryCTE(request.query, into: &sql)
        let projects = sql.bind(request.projectIDs)
        let filters = Self.filterConditions(request.filter, into: &sql)
        sql.append("""
            WITH \(queryCTE)
            SELECT count(DISTINCT c.document_id) AS total FROM chunk c JOIN document d ON d.id = c.document_id CROSS JOIN query
            WHERE c.project_id = ANY(\(projects)) AND c.search @@ query.q\(filters.map { " AND \($0)" }.joined())
            """)
        return Int(try await rows(sql.query)[0].value("total", as: Int64.self))
    }

    public func snippets(for query: SearchQuery, projectIDs: [UUID], chunkIDs: [Int64]) async throws -> [Int64: String] {
        guard !chunkIDs.isEmpty, !projectIDs.isEmpty else { return [:] }
        var sql = SQLBuilder()
        let queryCTE = TSQueryExpression.queryCTE(query, into: &sql)
        let headline = Self.headline(into: &sql)
        let chunks = sql.bind(chunkIDs)
        let projects = sql.bind(projectIDs)
        sql.append("""
            WITH \(queryCTE)
            SELECT c.id, \(headline) AS snippet
            FROM chunk c CROSS JOIN query
            WHERE c.id = ANY(\(chunks)) AND c.project_id = ANY(\(projects)) AND c.search @@ query.q
            """)
        var snippets: [Int64: String] = [:]
        for row in try await rows(sql.query) {
            snippets[try row.value("id")] = Self.snippet(fromHeadline: try row.value("snippet"))
        }
        return snippets
    }

    public func rebuildFullText(projectID: UUID?, progress: @Sendable (Int, Int) -> Void) async throws {
        let query: PostgresQuery = projectID.map { "SELECT id FROM document WHERE project_id = \($0) ORDER BY id" }
            ?? "SELECT id FROM document ORDER BY id"
        let ids: [UUID] = try await rows(query).map { try $0.value("id") }
        var done = 0
        progress(0, ids.count)
        for start in stride(from: 0, to: ids.count, by: 200) {
            let batch = Array(ids[start..<min(start + 200, ids.count)])
            try await transaction { connection in
                for id in batch {
                    guard let row = try await self.rows("""
                        SELECT \(unescaped: Self.documentColumns) FROM document d WHERE d.id = \(id) FOR UPDATE
                        """, on: connection).first else { continue }
                    let document = try Self.document(from: row)
                    let drafts = self.preparer.chunks(of: document.content, path: document.path, title: document.title)
                    try await self.syncChunks(drafts, of: document, on: connection)
                    try await self.refreshSearchVectors(of: document, on: connection)
                }
            }
            done += batch.count
            progress(done, ids.count)
        }
    }
}
