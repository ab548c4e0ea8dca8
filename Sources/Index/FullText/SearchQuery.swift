/// A user's search text, parsed into terms that are safe to hand to a full-text engine.
///
/// Produced by ``QueryParser``; the SQLite and PostgreSQL stores render it into their own
/// syntax (FTS5 MATCH, tsquery) without ever seeing the raw text.
public struct SearchQuery: Sendable, Equatable {
    /// One searchable unit of the query.
    public enum Term: Sendable, Equatable, Hashable {
        /// A word, possibly with inner `-`, `/`, `.` or `_` (`rate-limit`, `v1.2`): matched as
        /// written, i.e. as the phrase of its parts.
        case word(String)
        /// A quoted phrase: its words in order.
        case phrase(String)
        /// A word ending in `*`: any token starting with it.
        case prefix(String)

        /// The text of the term, without quotes or `*`.
        public var text: String {
            switch self {
            case .word(let text), .phrase(let text), .prefix(let text): text
            }
        }
    }

    /// Words and prefixes that rank documents; a document needs at least one of them (or every
    /// required phrase, when there are phrases).
    public var optional: [Term]
    /// Phrases every result must contain.
    public var required: [Term]
    /// Terms no result may contain.
    public var excluded: [Term]

    public init(optional: [Term] = [], required: [Term] = [], excluded: [Term] = []) {
        self.optional = optional
        self.required = required
        self.excluded = excluded
    }

    /// Every term that can match (required and optional), for highlighting.
    public var matchingTerms: [Term] { required + optional }
}

/// How search text is read.
public enum QuerySyntax: String, Sendable, Codable, CaseIterable {
    /// Words, `"exact phrases"` (required), `-excluded` terms and `prefix*`.
    case standard
    /// Words only: quotes, a leading `-` and a trailing `*` mean nothing. For natural-language
    /// questions (where quotes are emphasis, not a demand) and evaluation collections.
    case plain
}
