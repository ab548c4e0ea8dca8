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
    ///
    /// ASCII text is counted byte by byte, which gives the same count as the `Character` walk
    /// (each ASCII byte is one character, except CR LF, which is whitespace either way) at a
    /// fraction of the cost: the walk was a quarter of an import's time.
    public static let wordPiece = TokenEstimator { text in
        asciiWordPieceCount(text.utf8) ?? characterWordPieceCount(text)
    }

    /// The word-piece count of `text` walked by `Character`: right for any text.
    static func characterWordPieceCount(_ text: Substring) -> Int {
        var counter = WordPieceCounter()
        for character in text {
            if character.isLetter || character.isNumber {
                counter.wordCharacter()
            } else {
                counter.separator(isWhitespace: character.isWhitespace)
            }
        }
        return counter.finish()
    }

    /// The word-piece count of ASCII `bytes`, or nil when they hold anything else.
    static func asciiWordPieceCount(_ bytes: Substring.UTF8View) -> Int? {
        var counter = WordPieceCounter()
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                counter.wordCharacter()
            case 0x09...0x0D, UInt8(ascii: " "):
                counter.separator(isWhitespace: true)
            case 0x80...:
                return nil
            default:
                counter.separator(isWhitespace: false)
            }
        }
        return counter.finish()
    }

    /// Words and punctuation seen so far.
    private struct WordPieceCounter {
        private var tokens = 0
        private var wordLength = 0

        mutating func wordCharacter() {
            wordLength += 1
        }

        mutating func separator(isWhitespace: Bool) {
            endWord()
            if !isWhitespace { tokens += 1 }
        }

        mutating func finish() -> Int {
            endWord()
            return tokens
        }

        private mutating func endWord() {
            if wordLength > 0 { tokens += 1 + (wordLength - 1) / 7 }
            wordLength = 0
        }
    }
}
