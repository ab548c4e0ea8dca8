import Foundation
import Testing
import LoreTestSupport
@testable import Index

@Suite("Query parser")
struct QueryParserTests {
    let parser = QueryParser()

    @Test(arguments: [
        ("kafka consumer lag", SearchQuery(optional: [.word("kafka"), .word("consumer"), .word("lag")])),
        ("the kafka", SearchQuery(optional: [.word("kafka")])),
        ("the who", SearchQuery(optional: [.word("the"), .word("who")])),
        ("\"exact phrase\" words", SearchQuery(optional: [.word("words")], required: [.phrase("exact phrase")])),
        ("redis -cluster", SearchQuery(optional: [.word("redis")], excluded: [.word("cluster")])),
        ("redis -\"hot key\"", SearchQuery(optional: [.word("redis")], excluded: [.phrase("hot key")])),
        ("auth*", SearchQuery(optional: [.prefix("auth")])),
        ("rate-limit", SearchQuery(optional: [.word("rate-limit")])),
        ("docs/architecture", SearchQuery(optional: [.word("docs/architecture")])),
        ("v1.2 max_tokens", SearchQuery(optional: [.word("v1.2"), .word("max_tokens")])),
        ("lag lag", SearchQuery(optional: [.word("lag"), .word("lag")])),
        ("a - b", SearchQuery(optional: [.word("b")])),
        ("\"unclosed phrase", SearchQuery(required: [.phrase("unclosed phrase")])),
        ("NEAR(a b) AND c", SearchQuery(optional: [.word("NEAR(a"), .word("b)"), .word("c")])),
        ("title:secret", SearchQuery(optional: [.word("title:secret")])),
        ("c++ *", SearchQuery(optional: [.word("c++")])),
    ])
    func parses(_ text: String, _ expected: SearchQuery) throws {
        #expect(try parser.parse(text) == expected)
    }

    @Test(arguments: ["", "   ", "-foo", "-\"a b\"", "***", "\"\"", "- -", "+++ ---", "\u{0}\u{1}", "!@#$%^&()"])
    func rejectsQueriesWithNothingToMatch(_ text: String) {
        #expect(throws: IndexError.self) { try parser.parse(text) }
    }

    @Test func rejectsOverLongQueries() {
        #expect(throws: IndexError.self) { try parser.parse(String(repeating: "a ", count: 3_000)) }
    }

    @Test func rendersEveryTermQuoted() throws {
        let query = try parser.parse("\"hot key\" redis auth* -cluster")
        #expect(FTS5Expression.render(query)
            == "(\"hot key\" AND (\"redis\" OR \"auth\" * OR \"hot key\")) NOT \"cluster\"")
    }

    @Test func doublesQuotesScalarByScalar() {
        // `"` followed by a combining accent is one Character, but FTS5 reads bytes.
        #expect(FTS5Expression.quoted("a\"\u{301}b") == "\"a\"\"\u{301}b\"")
        #expect(FTS5Expression.quoted("\"\"") == "\"\"\"\"\"\"")
    }

    @Test func leavesTheScopeOutOnlyWhenAsked() throws {
        let query = try parser.parse("redis")
        #expect(FTS5Expression.render(query, scopes: ["1", "2"])
            == "scope : (\"1\" OR \"2\") AND {title path heading body} : (\"redis\")")
        #expect(FTS5Expression.render(query, scopes: nil) == "{title path heading body} : (\"redis\")")
    }

    /// Thousands of junk strings: each either parses and searches, or is a validation error.
    @Test(arguments: TestBackend.contract) func randomJunkNeverBreaksTheEngine(backend: TestBackend) async throws {
        let temporary = try await TemporaryStore.make(backend)
        let project = try await temporary.makeProject()
        _ = try await temporary.store.createDocument(
            NewDocument(path: "a.md", content: "# Alpha\nrate-limit v1.2 max_tokens \"quoted\" c++ NEAR AND OR NOT"), in: project.id)
        let alphabet = Array("abc xyz-_./\\\"'*:^()[]{}+~!?,;@#$%&|<>=0123456789 \t\néü日本\u{0}\u{1}\u{7F}\u{200B}\u{E000}\u{301}ANDORNEAR")
        var generator = SeededGenerator(seed: 42)
        var searched = 0
        for _ in 0..<3_000 {
            let length = Int.random(in: 0...24, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            let query: SearchQuery
            do {
                query = try parser.parse(text)
            } catch {
                continue
            }
            _ = try await temporary.store.searchFullText(FullTextRequest(query: query, projectIDs: [project.id]))
            searched += 1
        }
        #expect(searched > 1_000)
    }
}
