/// Renders a ``SearchQuery`` as an SQLite FTS5 MATCH expression.
///
/// Every term becomes a double-quoted FTS5 string, so its text is only ever tokenized, never
/// parsed as syntax (<https://sqlite.org/fts5.html#full_text_query_syntax>): `rate-limit` becomes
/// the phrase `"rate-limit"` = tokens `rate limit` in order. Required phrases are ANDed and
/// repeated inside the OR group so that optional words only add to the score.
enum FTS5Expression {
    /// The columns user terms may match (never `scope`).
    static let searchableColumns = "{title path heading body}"

    /// The full MATCH expression: the user's query over the searchable columns, inside the
    /// given projects' scope tokens, or over the whole index when `scopes` is nil (for callers
    /// that know no other project has chunks: the scope's doclist then only costs time).
    static func render(_ query: SearchQuery, scopes: [String]?) -> String {
        let terms = "\(searchableColumns) : (\(render(query)))"
        guard let scopes else { return terms }
        return "scope : (\(scopes.map(quoted).joined(separator: " OR "))) AND \(terms)"
    }

    static func render(_ query: SearchQuery) -> String {
        let optional = query.optional.map(render)
        let required = query.required.map(render)
        var expression: String
        if required.isEmpty {
            expression = group(optional, joinedBy: "OR")
        } else if optional.isEmpty {
            expression = group(required, joinedBy: "AND")
        } else {
            expression = group(required + [group(optional + required, joinedBy: "OR")], joinedBy: "AND")
        }
        if !query.excluded.isEmpty {
            expression = "\(expression) NOT \(group(query.excluded.map(render), joinedBy: "OR"))"
        }
        return expression
    }

    static func render(_ term: SearchQuery.Term) -> String {
        switch term {
        case .word(let text), .phrase(let text): quoted(text)
        case .prefix(let text): quoted(text) + " *"
        }
    }

    static func quoted(_ text: String) -> String {
        // Scalar by scalar: FTS5 reads bytes, so a quote followed by a combining mark (one
        // `Character`) must still be doubled.
        var result = String.UnicodeScalarView()
        result.append("\"")
        for scalar in text.unicodeScalars {
            result.append(scalar)
            if scalar == "\"" { result.append(scalar) }
        }
        result.append("\"")
        return String(result)
    }

    private static func group(_ parts: [String], joinedBy keyword: String) -> String {
        parts.count == 1 ? parts[0] : "(" + parts.joined(separator: " \(keyword) ") + ")"
    }
}
