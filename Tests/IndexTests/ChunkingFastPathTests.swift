import Crypto
import Foundation
import Testing
import LoreTestSupport
@testable import Index

/// The chunker's fast paths must give exactly what the slower code they replaced gave: chunk
/// hashes and token counts are stored, and a different result would re-chunk (and re-embed)
/// unchanged documents.
@Suite("Chunking fast paths")
struct ChunkingFastPathTests {
    static func randomText(from alphabet: [Character], using generator: inout SeededGenerator) -> String {
        String((0..<Int.random(in: 0...60, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
    }

    @Test func asciiCountsEqualCharacterCounts() throws {
        let alphabet = Array("abcXYZ019 \t\n\r\u{B}\u{C}\u{0}\u{1C}\u{7F}.,;:!?-_/\\\"'()[]{}<>@#$%^&*+=|~`") + ["\r\n"]
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<5_000 {
            let text = Substring(Self.randomText(from: alphabet, using: &generator))
            let fast = try #require(TokenEstimator.asciiWordPieceCount(text.utf8))
            #expect(fast == TokenEstimator.characterWordPieceCount(text), "\(text.debugDescription)")
        }
    }

    @Test func theSampleProjectCountsTheSameEitherWay() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fixtures/sample-project")
        let files = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "md" }
        #expect(files.count > 20)
        for file in files {
            for paragraph in try String(contentsOf: file, encoding: .utf8).split(separator: "\n\n") {
                #expect(TokenEstimator.wordPiece.count(paragraph) == TokenEstimator.characterWordPieceCount(paragraph))
            }
        }
    }

    @Test func anyNonASCIIByteFallsBackToCharacters() {
        #expect(TokenEstimator.asciiWordPieceCount(Substring("café").utf8) == nil)
        // `e` + U+0301 is one letter; byte by byte it would be a word and a mark.
        #expect(TokenEstimator.wordPiece.count("cafe\u{301} au lait") == 3)
    }

    @Test func whitespaceClassesEqualFoundationsForEveryScalar() {
        var differing: [UInt32] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if WhitespaceTrimming.isSpace(scalar) != CharacterSet.whitespaces.contains(scalar)
                || WhitespaceTrimming.isWhitespaceOrNewline(scalar) != CharacterSet.whitespacesAndNewlines.contains(scalar) {
                differing.append(value)
            }
        }
        #expect(differing.isEmpty)
    }

    @Test func trimmingEqualsFoundations() {
        let alphabet: [Character] = [" ", "\t", "\n", "\r\n", "\u{A0}", "\u{2003}", "\u{200B}", "\u{2028}", "\u{85}",
                                     "a", "é", "\u{301}", "日", "#", "😀"]
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<5_000 {
            let text = Self.randomText(from: alphabet, using: &generator)
            #expect(text.trimmingSpaces() == text.trimmingCharacters(in: .whitespaces), "\(text.debugDescription)")
            #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(text.debugDescription)")
        }
        #expect(" \u{301}x ".trimmingSpaces() == "\u{301}x")
    }

    @Test func hexDigestsEqualTheFormattedOnes() {
        #expect(SHA256.hash(data: Data()).hexString == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        for text in ["", "a", "lore", String(repeating: "x", count: 1_000)] {
            let digest = SHA256.hash(data: Data(text.utf8))
            #expect(digest.hexString == digest.map { String(format: "%02x", $0) }.joined())
        }
    }
}
