import Foundation
import Vectors

/// Counts the tokens of an answer, for the `maxTokens` budgets of SPEC §10.
///
/// Two counters: the model's WordPiece tokenizer (all-MiniLM-L6-v2's `vocab.txt`), the one
/// agents are promised; and, when that vocabulary cannot be read, an upper bound of it — one
/// token per non-whitespace Unicode scalar (every word piece, punctuation mark and `[UNK]`
/// covers at least one) — so a budget is never exceeded, only used less well.
public struct AnswerTokens: Sendable {
    /// Where the count comes from: `wordpiece` or `upper-bound`.
    public let kind: String
    private let counter: @Sendable (String) -> Int

    public func count(_ text: String) -> Int { counter(text) }

    /// The model's WordPiece tokenizer, from the `vocab.txt` in `modelDirectory`; `nil` when it
    /// cannot be read.
    public static func wordPiece(modelDirectory: String) -> AnswerTokens? {
        let file = URL(fileURLWithPath: modelDirectory).appendingPathComponent("vocab.txt")
        guard let vocabulary = try? WordPieceVocabulary(contentsOf: file),
              let tokenizer = try? WordPieceTokenizer(vocabulary: vocabulary, maximumTokens: 512) else { return nil }
        return wordPiece(tokenizer)
    }

    public static func wordPiece(_ tokenizer: WordPieceTokenizer) -> AnswerTokens {
        AnswerTokens(kind: "wordpiece", counter: { tokenizer.wordPieceCount($0) })
    }

    public static let upperBound = AnswerTokens(kind: "upper-bound") { text in
        text.unicodeScalars.reduce(0) { $0 + ($1.properties.isWhitespace ? 0 : 1) }
    }
}
