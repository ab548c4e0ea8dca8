import Testing
@testable import Index

@Suite("Chunking")
struct ChunkerTests {
    @Test func splitsMarkdownAtHeadingsWithTheirTrail() {
        let content = """
            # Guide
            Intro text.

            ## Auth
            About auth.

            ### Tokens
            Token text.

            ## Limits
            Limit text.
            """
        let chunks = Chunker().chunks(of: content, isMarkdown: true)
        #expect(chunks.map(\.heading) == ["", "Auth", "Auth > Tokens", "Limits"])
        #expect(chunks.map(\.text) == ["Intro text.", "About auth.", "Token text.", "Limit text."])
        #expect(chunks.map(\.position) == [0, 1, 2, 3])
    }

    @Test func hashLinesInsideCodeFencesAreNotHeadings() {
        let content = "# Title\n```sh\n# a comment\necho hi\n```\nafter"
        let chunks = Chunker().chunks(of: content, isMarkdown: true)
        #expect(chunks.count == 1)
        #expect(chunks[0].heading == "")
        #expect(chunks[0].text.contains("# a comment"))
    }

    @Test func laterTopLevelHeadingsJoinTheTrail() {
        let chunks = Chunker().chunks(of: "intro\n# Part one\n## Detail\ntext", isMarkdown: true)
        #expect(chunks.map(\.heading) == ["", "Part one > Detail"])
    }

    @Test func plainTextIgnoresHashes() {
        let chunks = Chunker().chunks(of: "# not a heading\ntext", isMarkdown: false)
        #expect(chunks.count == 1)
        #expect(chunks[0].heading == "")
    }

    @Test func longSectionsAreBoundedAndOverlap() {
        let words = (0..<2_000).map { "word\($0)" }
        let chunker = Chunker(maximumTokens: 100, overlapTokens: 20)
        let chunks = chunker.chunks(of: words.joined(separator: " "), isMarkdown: false)
        #expect(chunks.count > 10)
        for chunk in chunks {
            #expect(chunk.tokenCount <= 100)
        }
        for (previous, next) in zip(chunks, chunks.dropFirst()) {
            let lastWord = previous.text.split(whereSeparator: \.isWhitespace).last!
            #expect(next.text.contains(lastWord), "consecutive chunks overlap")
        }
        let covered = Set(chunks.flatMap { $0.text.split(whereSeparator: \.isWhitespace).map(String.init) })
        #expect(covered.symmetricDifference(words).isEmpty, "no word is lost or invented")
    }

    @Test func manyParagraphsArePackedUpToTheLimit() {
        let paragraphs = (0..<50).map { "Paragraph \($0) has a handful of words in it." }
        let chunks = Chunker(maximumTokens: 60, overlapTokens: 10).chunks(of: paragraphs.joined(separator: "\n\n"), isMarkdown: true)
        #expect(chunks.count > 5 && chunks.count < 50)
        #expect(chunks.allSatisfy { $0.tokenCount <= 60 })
    }

    @Test func unchangedPassagesKeepTheirIdentity() {
        let before = Chunker().chunks(of: "# A\none\n## B\ntwo\n## C\nthree", isMarkdown: true)
        let after = Chunker().chunks(of: "# A\none\n## B\ntwo changed\n## C\nthree", isMarkdown: true)
        #expect(before[0].contentHash == after[0].contentHash)
        #expect(before[1].contentHash != after[1].contentHash)
        #expect(before[2].contentHash == after[2].contentHash)
    }

    @Test func blankDocumentsHaveNoChunks() {
        #expect(Chunker().chunks(of: "  \n\n ", isMarkdown: true).isEmpty)
    }

    @Test(arguments: [
        ("# Title\nbody", "a.md", "Title"),
        ("intro\n## Second level\nbody", "a.md", "Second level"),
        ("```\n# not this\n```\n# Real", "a.md", "Real"),
        ("no heading", "dir/file-name.md", "file-name"),
        ("no heading", "dir/.hidden", ".hidden"),
    ])
    func derivesTitles(_ content: String, _ path: String, _ expected: String) {
        #expect(DocumentTitle.derive(given: nil, content: content, path: path) == expected)
    }

    @Test func givenTitleWins() {
        #expect(DocumentTitle.derive(given: "  Given  ", content: "# Heading", path: "a.md") == "Given")
    }
}
