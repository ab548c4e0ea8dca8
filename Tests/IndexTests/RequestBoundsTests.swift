import Foundation
import Testing
@testable import Index

/// SPEC §9: every value from a request is bounded where it is read.
@Suite("Request bounds")
struct RequestBoundsTests {
    @Test(arguments: [Int.max, 1 << 62, 9_991, 10_000, Int.max - 5])
    func pagesPastTheWindowAreRefusedNamingOffset(offset: Int) {
        #expect(throws: IndexError.invalid(field: "offset", reason: "offset + limit must be at most 10000")) {
            try PageRequest(offset: offset, limit: 10)
        }
    }

    @Test func theLastPageOfTheWindowIsAccepted() throws {
        #expect(try PageRequest(offset: 9_900, limit: 100).offset == 9_900)
        #expect(throws: IndexError.self) { try PageRequest(offset: 0, limit: Int.max) }
        #expect(throws: IndexError.self) { try PageRequest(offset: Int.min, limit: 10) }
    }

    @Test func queriesAreBoundedInBytesNotCharacters() throws {
        let flood = "a" + String(repeating: "\u{0301}", count: 3_000)
        #expect(flood.count == 1)
        #expect(throws: IndexError.self) { try QueryParser().parse(flood) }
        #expect(try QueryParser().parse(String(repeating: "x ", count: 2_048)).optional.count == 256)
    }

    @Test func theFirst256TermsAfterStopWordsAreUsed() throws {
        let words = (0..<300).map { "the w\($0)" }.joined(separator: " ")
        let query = try QueryParser().parse(words)
        #expect(query.optional.count == 256)
        #expect(query.optional.first == .word("w0"))
    }

    @Test(arguments: ["docs/\u{202E}dm.exe", "a\u{200D}b.md", "\u{FEFF}readme.md", "x\u{2066}y.md", "soft\u{00AD}hyphen.md"])
    func pathsWithFormatCharactersAreRefused(path: String) {
        #expect(DocumentPath.problem(with: path) != nil)
    }

    @Test func metadataIsBoundedInSizeAndDepth() throws {
        let preparer = DocumentPreparer()
        let large: [String: JSONValue] = ["blob": .string(String(repeating: "m", count: 64 << 10))]
        #expect(throws: IndexError.self) { try preparer.prepare(NewDocument(path: "a.md", content: "x", metadata: large)) }
        var deep = JSONValue.string("leaf")
        for _ in 0..<16 { deep = .object(["k": deep]) }
        #expect(throws: IndexError.self) { try preparer.prepare(NewDocument(path: "a.md", content: "x", metadata: ["k": deep])) }
        var fits = JSONValue.string("leaf")
        for _ in 0..<15 { fits = .object(["k": fits]) }
        #expect(try preparer.prepare(NewDocument(path: "a.md", content: "x", metadata: ["k": fits])).metadata.count == 1)
    }

    @Test func tagsAreBoundedInCountAndLength() throws {
        let preparer = DocumentPreparer()
        #expect(try preparer.prepare(NewDocument(path: "a.md", content: "x", tags: (0..<64).map { "t\($0)" })).tags.count == 64)
        #expect(throws: IndexError.self) { try preparer.prepare(NewDocument(path: "a.md", content: "x", tags: (0..<65).map { "t\($0)" })) }
        #expect(throws: IndexError.self) { try preparer.prepare(NewDocument(path: "a.md", content: "x", tags: [String(repeating: "t", count: 65)])) }
        let marks = "e" + String(repeating: "\u{0301}", count: 100)
        #expect(throws: IndexError.self) { try preparer.prepare(NewDocument(path: "a.md", content: "x", tags: [marks])) }
    }

    /// A long heading is cut once, not copied whole into every passage of its section.
    @Test func headingTrailsAndTitlesAreCut() throws {
        let heading = String(repeating: "h", count: 400_000)
        let body = (0..<2_000).map { "word\($0)" }.joined(separator: " ")
        let prepared = try DocumentPreparer().prepare(NewDocument(path: "big.md", content: "## \(heading)\n\n\(body)"))
        #expect(prepared.chunks.count > 5)
        #expect(prepared.chunks.allSatisfy { $0.heading.unicodeScalars.count <= Chunker.maximumHeadingTrail })
        #expect(prepared.title.unicodeScalars.count <= DocumentTitle.maximumLength)
        let flood = "# a" + String(repeating: "\u{0301}", count: 10_000) + "\n\nbody"
        #expect(try DocumentPreparer().prepare(NewDocument(path: "t.md", content: flood)).title.unicodeScalars.count <= 300)
    }
}
