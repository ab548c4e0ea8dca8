/// Counts how many tokens a text takes in the embedder, so chunks fit its limit.
///
/// The default ``TokenEstimator/wordPiece`` approximates BERT WordPiece without a vocabulary:
/// one token per punctuation mark, and one per word plus one more per 7 characters beyond the
/// first (long and rare words split into several pieces). An embedder with a real tokenizer can
/// supply an exact counter instead.
public struct TokenEstimator: Sendable {
    public let count: @Sendable (Substring) -> Int

    public init(count: @escaping @Sendable (Substring) -> Int) {
        self.count = count
    }

    /// An approximation of BERT WordPiece counts that errs on the high side for English prose.
    public static let wordPiece = TokenEstimator { text in
        var tokens = 0
        var wordLength = 0
        func endWord() {
            if wordLength > 0 { tokens += 1 + (wordLength - 1) / 7 }
            wordLength = 0
        }
        for character in text {
            if character.isLetter || character.isNumber {
                wordLength += 1
            } else {
                endWord()
                if !character.isWhitespace { tokens += 1 }
            }
        }
        endWord()
        return tokens
    }
}
