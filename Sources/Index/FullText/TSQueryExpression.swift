/// Renders a ``SearchQuery`` as a PostgreSQL `tsquery` expression.
///
/// User text only ever reaches PostgreSQL as a bound parameter of `phraseto_tsquery`, which reads
/// it as plain words (split as ``SearchText`` splits documents), never as tsquery syntax; the operators between terms (`||`, `&&`, `!!`)
/// are written here. A prefix term is the one place a tsquery string is built: from the term's
/// letters and digits only, each quoted, with `:*` on the last. The shape mirrors
/// ``FTS5Expression``: required phrases are ANDed and repeated inside the OR group, so that
/// optional words only add to the rank.
enum TSQueryExpression {
    /// The text-search configuration of documents and queries.
    static let configuration = "'english'::regconfig"

    /// `query AS (…)`: a one-row CTE with `q`, the tsquery that selects matches, and `r`, its
    /// positive part, which ranks and highlights them (`ts_rank` gives 0 to a query with `!!`).
    static func queryCTE(_ query: SearchQuery, into sql: inout SQLBuilder) -> String {
        let positive = renderPositive(query, into: &sql)
        guard !query.excluded.isEmpty else {
            return "query AS (SELECT r, r AS q FROM (SELECT \(positive) AS r) AS positive)"
        }
        let excluded = group(query.excluded.map { render($0, into: &sql) }, joinedBy: "||")
        return "query AS (SELECT r, r && !!\(excluded) AS q FROM (SELECT \(positive) AS r) AS positive)"
    }

    /// The words and phrases of the query, without its exclusions.
    static func renderPositive(_ query: SearchQuery, into sql: inout SQLBuilder) -> String {
        let optional = query.optional.map { render($0, into: &sql) }
        let required = query.required.map { render($0, into: &sql) }
        if required.isEmpty {
            return group(optional, joinedBy: "||")
        } else if optional.isEmpty {
            return group(required, joinedBy: "&&")
        }
        return group(required + [group(optional + required, joinedBy: "||")], joinedBy: "&&")
    }

    static func render(_ term: SearchQuery.Term, into sql: inout SQLBuilder) -> String {
        switch term {
        case .word(let text), .phrase(let text):
            return "phraseto_tsquery(\(configuration), \(sql.bind(SearchText.normalized(text))))"
        case .prefix(let text):
            return "to_tsquery(\(configuration), \(sql.bind(prefixQuery(text))))"
        }
    }

    /// `'rate' <-> 'lim':*` for `rate-lim`: the term's runs of letters and digits, in order.
    static func prefixQuery(_ text: String) -> String {
        let words = SearchText.normalized(text).split(separator: " ")
        guard !words.isEmpty else { return "''" }
        return words.map { "'\($0)'" }.joined(separator: " <-> ") + ":*"
    }

    private static func group(_ parts: [String], joinedBy operator: String) -> String {
        parts.count == 1 ? parts[0] : "(" + parts.joined(separator: " \(`operator`) ") + ")"
    }
}
