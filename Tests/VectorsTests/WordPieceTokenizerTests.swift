import Foundation
import Testing
@testable import Vectors

@Suite struct WordPieceTokenizerTests {
    @Test(arguments: MiniLMFixtures.goldenNames)
    func tokenIDsMatchTheReference(name: String) throws {
        let item = try MiniLMFixtures.goldenItem(named: name)
        let tokenizer = try MiniLMFixtures.loadedEmbedder().tokenizer
        #expect(tokenizer.encode(item.text) == item.tokenIDs)
        #expect(tokenizer.tokens(item.text) == item.tokens)
    }

    @Test func everyGoldenItemMatches() throws {
        let tokenizer = try MiniLMFixtures.loadedEmbedder().tokenizer
        let items = try MiniLMFixtures.goldenItems()
        let matches = items.filter { tokenizer.encode($0.text) == $0.tokenIDs }.count
        print("WordPiece: \(matches)/\(items.count) golden items have identical token ids")
        #expect(matches == items.count)
    }

    @Test func tokenCountIsUntruncatedAndIncludesSpecialTokens() throws {
        let embedder = try MiniLMFixtures.loadedEmbedder()
        for item in try MiniLMFixtures.goldenItems() {
            #expect(embedder.tokenCount(item.text) == item.nTokensUntruncated, "\(item.name)")
        }
        #expect(embedder.tokenCount("") == 2)
        #expect(embedder.tokenizer.wordPieceCount("") == 0)
    }

    @Test func longTextsKeepTheFirstPiecesBetweenClassifierAndSeparator() throws {
        let tokenizer = try MiniLMFixtures.loadedEmbedder().tokenizer
        let ids = tokenizer.encode(String(repeating: "token ", count: 600))
        #expect(ids.count == 256)
        #expect(ids.first == tokenizer.classifierID)
        #expect(ids.last == tokenizer.separatorID)
        #expect(ids.dropFirst().dropLast().allSatisfy { $0 == tokenizer.vocabulary.id(of: "token") })
    }

    @Test func unknownAndOverlongWordsBecomeUnknown() throws {
        let tokenizer = try MiniLMFixtures.loadedEmbedder().tokenizer
        #expect(tokenizer.tokens("🚀 ok") == ["[CLS]", "[UNK]", "ok", "[SEP]"])
        #expect(tokenizer.tokens(String(repeating: "a", count: 101)) == ["[CLS]", "[UNK]", "[SEP]"])
        #expect(tokenizer.tokens(String(repeating: "a", count: 100)).count > 3)
    }

    @Test func specialTokensWrittenInTheTextAreKept() throws {
        let tokenizer = try MiniLMFixtures.loadedEmbedder().tokenizer
        #expect(tokenizer.tokens("a [SEP] b[MASK]") == ["[CLS]", "a", "[SEP]", "b", "[MASK]", "[SEP]"])
        #expect(tokenizer.tokens("[sep]") == ["[CLS]", "[", "sep", "]", "[SEP]"])
    }

    @Test func greedyLongestMatchUsesContinuationPieces() throws {
        let vocabulary = try WordPieceVocabulary(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "unaff", "##a"])
        let tokenizer = try WordPieceTokenizer(vocabulary: vocabulary, maximumTokens: 16)
        #expect(tokenizer.tokens("unaffable") == ["[CLS]", "unaff", "##able", "[SEP]"])
        #expect(tokenizer.tokens("unaffablex") == ["[CLS]", "[UNK]", "[SEP]"])
    }

    @Test func vocabularyLookupsCompareBytesNotCanonicalEquivalence() throws {
        // "é" precomposed and "e" + U+0301 are equal Swift strings but different pieces.
        let vocabulary = try WordPieceVocabulary(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "\u{E9}"])
        #expect(vocabulary.id(of: "\u{E9}") == 4)
        #expect(vocabulary.id(of: "e\u{301}") == nil)
    }

    @Test func aVocabularyWithoutSpecialTokensIsRejected() throws {
        let vocabulary = try WordPieceVocabulary(tokens: ["hello"])
        #expect(throws: VectorError.malformedModel(reason: "the vocabulary has no [CLS] token")) {
            try WordPieceTokenizer(vocabulary: vocabulary, maximumTokens: 16)
        }
    }
}
