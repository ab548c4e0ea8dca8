import Foundation

/// Parses user search text: words, `"exact phrases"`, `-excluded` terms and `prefix*`.
///
/// Anything else is read as words: operators of the underlying engines (`AND`, `NEAR(`, `col:`,
/// `^`, parentheses) have no meaning here and can never reach MATCH or tsquery. Every input
/// either parses or fails with `IndexError.invalid(field:reason:)`; nothing else can happen.
/// English stop words are dropped from the optional words (unless nothing else is left), and a
/// repeated word is kept twice, so it weighs more in BM25, as it should for long questions.
public struct QueryParser: Sendable {
    /// The longest accepted query, in UTF-8 bytes (not characters: one character can carry
    /// any number of combining marks).
    public static let maximumBytes = 4_096
    /// Terms beyond this count, after stop words are dropped, are ignored: questions from agents
    /// and test collections run past 300 words, so the bound sits well above them.
    public static let maximumTerms = 256

    public var field: String
    public var dropsStopWords: Bool

    public init(field: String = "q", dropsStopWords: Bool = true) {
        self.field = field
        self.dropsStopWords = dropsStopWords
    }

    /// Parses `text` in `syntax`; throws when it is empty, too long, or holds nothing searchable.
    public func parse(_ text: String, syntax: QuerySyntax = .standard) throws(IndexError) -> SearchQuery {
        guard text.utf8.count <= Self.maximumBytes else {
            throw .invalid(field: field, reason: "must be at most \(Self.maximumBytes) bytes of UTF-8")
        }
        let tokens = lex(text, syntax: syntax)
        guard !tokens.isEmpty else {
            throw .invalid(field: field, reason: "must contain at least one word to search for")
        }
        var query = SearchQuery()
        var words: [SearchQuery.Term] = []
        for token in tokens {
            guard let term = token.term else { continue }
            if token.excluded {
                query.excluded.append(term)
            } else if case .phrase = term {
                query.required.append(term)
            } else {
                words.append(term)
            }
        }
        if dropsStopWords {
            let meaningful = words.filter { !StopWords.isStopWord($0) }
            if !meaningful.isEmpty || !query.required.isEmpty { words = meaningful }
        }
        // The term budget goes to required phrases first, then exclusions, then optional words.
        query.required = Array(query.required.prefix(Self.maximumTerms))
        query.excluded = Array(query.excluded.prefix(Self.maximumTerms - query.required.count))
        query.optional = Array(words.prefix(Self.maximumTerms - query.required.count - query.excluded.count))
        guard !query.optional.isEmpty || !query.required.isEmpty else {
            throw .invalid(field: field, reason: "must contain at least one word to search for, not only exclusions")
        }
        return query
    }

    // MARK: Lexing

    struct Token {
        var excluded: Bool
        var term: SearchQuery.Term?
    }

    func lex(_ text: String, syntax: QuerySyntax = .standard) -> [Token] {
        var tokens: [Token] = []
        let plain = syntax == .plain
        // Plain text has no phrases: a quote is a space, as is a control character.
        let characters = Array(text.map { $0.isSearchControl || (plain && $0 == "\"") ? " " : $0 })
        var index = 0
        while index < characters.count {
            if characters[index].isWhitespace {
                index += 1
                continue
            }
            var excluded = false
            if !plain, characters[index] == "-", index + 1 < characters.count, !characters[index + 1].isWhitespace {
                excluded = true
                index += 1
            }
            if characters[index] == "\"" {
                let start = index + 1
                var end = start
                while end < characters.count && characters[end] != "\"" { end += 1 }
                let phrase = String(characters[start..<end])
                index = end + 1
                tokens.append(Token(excluded: excluded, term: Self.searchable(phrase).map(SearchQuery.Term.phrase)))
                continue
            }
            let start = index
            while index < characters.count && !characters[index].isWhitespace && characters[index] != "\"" {
                index += 1
            }
            var word = String(characters[start..<index])
            var isPrefix = false
            if !plain, word.hasSuffix("*") {
                isPrefix = true
                while word.hasSuffix("*") { word.removeLast() }
            }
            let cleaned = Self.searchable(word)
            let term = cleaned.map { isPrefix ? SearchQuery.Term.prefix($0) : .word($0) }
            tokens.append(Token(excluded: excluded, term: term))
        }
        return tokens.filter { $0.term != nil }
    }

    /// The text with `*` and quotes removed, or `nil` when it has no letter or digit to match.
    static func searchable(_ text: String) -> String? {
        let cleaned = String(text.unicodeScalars.filter { $0 != "*" && $0 != "\"" }.map(Character.init))
            .trimmingCharacters(in: .whitespaces)
        guard cleaned.unicodeScalars.contains(where: \.isTokenCharacter) else { return nil }
        return cleaned
    }
}

extension Character {
    /// Control characters (NUL included) are read as spaces.
    fileprivate var isSearchControl: Bool {
        unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }
}

extension Unicode.Scalar {
    /// Whether the full-text tokenizers keep this scalar in a token: letters, digits and private
    /// use characters (SQLite's unicode61 categories `L* N* Co`).
    var isTokenCharacter: Bool {
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber, .privateUse:
            true
        default:
            false
        }
    }
}
