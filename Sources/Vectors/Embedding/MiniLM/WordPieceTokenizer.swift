import Foundation

/// Turns text into the token ids BERT reads: `[CLS]`, the word pieces of the text, `[SEP]`.
///
/// Words come from `BertBasicTokenizer`; each is then split greedily into the longest pieces
/// found in the vocabulary, left to right, continuation pieces carrying `##` (`rockets` →
/// `rocket`, `##s`). A word longer than 100 scalars, or with a part that matches no piece,
/// becomes `[UNK]`. The special tokens written literally in the text (`[CLS]`, `[SEP]`, `[PAD]`,
/// `[UNK]`, `[MASK]`) are kept as such, as in the reference tokenizer. Inputs are truncated to
/// `maximumTokens` ids in all, special tokens included, by keeping the first word pieces.
///
/// Matches Hugging Face `tokenizers` 0.23 on `all-MiniLM-L6-v2` id for id (checked against the
/// golden file). Thread-safe: a value type with immutable state.
public struct WordPieceTokenizer: Sendable {
    /// The vocabulary pieces are looked up in.
    public let vocabulary: WordPieceVocabulary
    /// The word splitter that runs first.
    public let basicTokenizer: BertBasicTokenizer
    /// The most ids `encode(_:)` returns, `[CLS]` and `[SEP]` included.
    public let maximumTokens: Int
    /// Words with more Unicode scalars than this become `[UNK]` without being split.
    public let maximumScalarsPerWord: Int
    /// The id of `[CLS]`, which starts every sequence.
    public let classifierID: Int32
    /// The id of `[SEP]`, which ends every sequence.
    public let separatorID: Int32
    /// The id of `[UNK]`, given to words that cannot be split into known pieces.
    public let unknownID: Int32
    /// The id of `[PAD]`.
    public let paddingID: Int32
    private let specialTokens: [(bytes: [UInt8], id: Int32)]

    /// The number of special tokens `encode(_:)` adds around the word pieces.
    public static let specialTokenCount = 2

    /// Creates a tokenizer over `vocabulary`.
    ///
    /// - Throws: `VectorError.malformedModel` when the vocabulary lacks `[CLS]`, `[SEP]`, `[UNK]`
    ///   or `[PAD]`, or when `maximumTokens` leaves no room for a word piece.
    public init(
        vocabulary: WordPieceVocabulary,
        maximumTokens: Int,
        basicTokenizer: BertBasicTokenizer = BertBasicTokenizer(),
        maximumScalarsPerWord: Int = 100
    ) throws {
        func special(_ token: String) throws -> Int32 {
            guard let id = vocabulary.id(of: token) else {
                throw VectorError.malformedModel(reason: "the vocabulary has no \(token) token")
            }
            return id
        }
        guard maximumTokens > Self.specialTokenCount else {
            throw VectorError.malformedModel(reason: "maximum sequence length \(maximumTokens) is too small")
        }
        self.vocabulary = vocabulary
        self.basicTokenizer = basicTokenizer
        self.maximumTokens = maximumTokens
        self.maximumScalarsPerWord = maximumScalarsPerWord
        classifierID = try special("[CLS]")
        separatorID = try special("[SEP]")
        unknownID = try special("[UNK]")
        paddingID = try special("[PAD]")
        specialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].compactMap { token in
            vocabulary.id(of: token).map { (Array(token.utf8), $0) }
        }
    }

    /// The ids of `text` as the model reads them: `[CLS]`, at most `maximumTokens - 2` word
    /// pieces, `[SEP]`. Empty text gives `[CLS] [SEP]`.
    public func encode(_ text: String) -> [Int32] {
        var ids: [Int32] = [classifierID]
        ids.reserveCapacity(min(maximumTokens, text.utf8.count / 3 + 8))
        ids.append(contentsOf: wordPieceIDs(text, limit: maximumTokens - Self.specialTokenCount))
        ids.append(separatorID)
        return ids
    }

    /// The word-piece ids of `text`, without `[CLS]`/`[SEP]` and without truncation, unless
    /// `limit` is given: then at most `limit` ids, and the work stops there.
    public func wordPieceIDs(_ text: String, limit: Int = .max) -> [Int32] {
        var ids: [Int32] = []
        for segment in segments(of: text) {
            switch segment {
            case .special(let id):
                ids.append(id)
            case .text(let part):
                for word in basicTokenizer.words(in: String(part)) {
                    appendPieces(of: word, to: &ids)
                    if ids.count >= limit { break }
                }
            }
            if ids.count >= limit { break }
        }
        if ids.count > limit { ids.removeLast(ids.count - limit) }
        return ids
    }

    /// The number of word pieces in `text`, without `[CLS]`/`[SEP]` and without truncation.
    ///
    /// The text is embedded whole when this is at most `maximumTokens - 2`. Counts of
    /// paragraphs add up to the count of their concatenation (words never span paragraphs).
    public func wordPieceCount(_ text: String) -> Int {
        wordPieceIDs(text).count
    }

    /// The token strings of `encode(_:)`, for debugging and tests.
    public func tokens(_ text: String) -> [String] {
        encode(text).map { vocabulary.tokens[Int($0)] }
    }

    private func appendPieces(of word: String, to ids: inout [Int32]) {
        let bytes = Array(word.utf8)
        // Piece boundaries must fall between scalars; record where each one starts.
        var boundaries: [Int] = []
        boundaries.reserveCapacity(bytes.count + 1)
        for (offset, byte) in bytes.enumerated() where byte & 0xC0 != 0x80 {
            boundaries.append(offset)
        }
        guard boundaries.count <= maximumScalarsPerWord else {
            ids.append(unknownID)
            return
        }
        boundaries.append(bytes.count)
        let start = ids.count
        var first = 0
        while first < boundaries.count - 1 {
            var last = boundaries.count - 1
            var match: Int32?
            while last > first {
                if let id = vocabulary.id(ofPiece: bytes[boundaries[first]..<boundaries[last]], continues: first > 0) {
                    match = id
                    break
                }
                last -= 1
            }
            guard let id = match else {
                ids.removeLast(ids.count - start)
                ids.append(unknownID)
                return
            }
            ids.append(id)
            first = last
        }
    }

    private enum Segment {
        case text(Substring)
        case special(Int32)
    }

    /// Splits `text` at literal special tokens, which the reference tokenizer matches before
    /// normalizing (so `[cls]` is ordinary text but `[CLS]` is the token).
    private func segments(of text: String) -> [Segment] {
        guard text.utf8.contains(UInt8(ascii: "[")) else { return [.text(Substring(text))] }
        var segments: [Segment] = []
        let utf8 = text.utf8
        var textStart = utf8.startIndex
        var index = utf8.startIndex
        while index != utf8.endIndex {
            if utf8[index] == UInt8(ascii: "["),
               let special = specialTokens.first(where: { utf8[index...].starts(with: $0.bytes) }) {
                if textStart != index { segments.append(.text(text[textStart..<index])) }
                segments.append(.special(special.id))
                index = utf8.index(index, offsetBy: special.bytes.count)
                textStart = index
            } else {
                index = utf8.index(after: index)
            }
        }
        if textStart != utf8.endIndex { segments.append(.text(text[textStart...])) }
        return segments
    }
}
