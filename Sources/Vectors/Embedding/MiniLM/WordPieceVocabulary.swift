import Foundation

/// A WordPiece vocabulary: token strings and their ids, as listed one per line in `vocab.txt`.
///
/// Lookups compare UTF-8 bytes, not Swift `String`s: Swift equates canonically equivalent
/// strings, so a decomposed Hangul jamo sequence would otherwise match a precomposed syllable
/// that the reference tokenizer never matches.
public struct WordPieceVocabulary: Sendable {
    /// The token of each id (`tokens[101] == "[CLS]"`).
    public let tokens: [String]
    private let wordIDs: [[UInt8]: Int32]
    private let continuationIDs: [[UInt8]: Int32]

    /// The prefix that marks a piece continuing a word (`##ing`).
    public static let continuationPrefix = "##"

    /// Creates a vocabulary from tokens in id order.
    ///
    /// A token listed twice keeps its last id, as both reference tokenizers do.
    /// - Throws: `VectorError.malformedModel` when `tokens` is empty.
    public init(tokens: [String]) throws {
        guard !tokens.isEmpty else { throw VectorError.malformedModel(reason: "the vocabulary is empty") }
        self.tokens = tokens
        var wordIDs: [[UInt8]: Int32] = [:]
        var continuationIDs: [[UInt8]: Int32] = [:]
        let prefix = Array(Self.continuationPrefix.utf8)
        for (id, token) in tokens.enumerated() {
            let bytes = Array(token.utf8)
            wordIDs[bytes] = Int32(id)
            if bytes.count > prefix.count && bytes.starts(with: prefix) {
                continuationIDs[Array(bytes[prefix.count...])] = Int32(id)
            }
        }
        self.wordIDs = wordIDs
        self.continuationIDs = continuationIDs
    }

    /// Reads `vocab.txt`: one token per line, the line number (from 0) being its id.
    ///
    /// - Throws: `VectorError.modelUnavailable` when the file cannot be read,
    ///   `VectorError.malformedModel` when it is not UTF-8 or is empty.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw VectorError.modelUnavailable(path: url.path, reason: "\(error)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw VectorError.malformedModel(reason: "\(url.lastPathComponent) is not UTF-8")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        if lines.last == "" { lines.removeLast() }
        try self.init(tokens: lines)
    }

    /// The number of tokens.
    public var count: Int { tokens.count }

    /// The id of a whole token (`"[CLS]"`, `"hello"`, `"##ing"`), or nil.
    public func id(of token: String) -> Int32? {
        wordIDs[Array(token.utf8)]
    }

    /// The id of the piece made of `bytes`: a word start, or a continuation when `continues`
    /// (then `bytes` omit the `##` prefix).
    func id(ofPiece bytes: ArraySlice<UInt8>, continues: Bool) -> Int32? {
        let key = Array(bytes)
        return continues ? continuationIDs[key] : wordIDs[key]
    }
}
