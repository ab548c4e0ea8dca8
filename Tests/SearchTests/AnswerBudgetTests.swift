import Foundation
import Index
import LoreTestSupport
@testable import Search
import Testing
import Vectors

/// `maxTokens` (SPEC §10): the hits an answer carries never take more tokens than asked, counted
/// with the model's WordPiece tokenizer over the JSON the front doors send.
@Suite("Token budgets")
struct AnswerBudgetTests {
    static var tokens: AnswerTokens {
        get throws {
            let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("models/all-MiniLM-L6-v2").path
            let folder = ProcessInfo.processInfo.environment["LORE_MODEL_DIR"] ?? directory
            return try #require(AnswerTokens.wordPiece(modelDirectory: folder), "the model's vocab.txt is needed (scripts/setup)")
        }
    }

    @Test func randomQueriesAndBudgetsNeverExceedTheBudget() async throws {
        let tokens = try Self.tokens
        #expect(tokens.kind == "wordpiece")
        let database = try await TestDatabase.create(.sqlite)
        try await Self.randomBudgets(try await database.openStore(embeddingsEnabled: true), tokens: tokens)
    }

    static func randomBudgets(_ store: some LoreStore, tokens: AnswerTokens) async throws {
        let project = try await TenantIsolationTests.project(in: store, owner: "owner@example.com")
        let engine = Engine(store: store, embedder: WordHashEmbedder(), answerTokens: tokens)
        var random = SeededGenerator(seed: 0xB0D6E7)
        let words = ["rocket", "fuel", "budget", "deploy", "kafka", "tls", "certificate", "rotate", "cache", "naïve",
                     "日本語", "x&y", "<tag>", "\"quoted\"", "émigré", "multi-word", "v1.2", "snake_case"]
        for index in 0..<120 {
            let body = (0..<Int.random(in: 5...300, using: &random)).map { _ in words.randomElement(using: &random)! }
            _ = try await engine.indexer.createDocument(NewDocument(
                path: "docs/\(index % 7)/note-\(index).md",
                content: "# \(body.prefix(3).joined(separator: " "))\n\n\(body.joined(separator: " "))"), in: project.id)
        }
        _ = try await engine.embedPending()
        let access = engine.access(project, scope: .full)
        var truncatedCount = 0
        for round in 0..<300 {
            let budget = Int.random(in: AnswerBudget.allowed.lowerBound...2_000, using: &random)
            let query = (0..<Int.random(in: 1...3, using: &random)).map { _ in words.randomElement(using: &random)! }
                .joined(separator: " ")
            let mode = SearchMode.allCases.randomElement(using: &random)!
            let limit = Int.random(in: 1...100, using: &random)
            let whole = try await access.search(SearchRequest(text: query, projectIDs: [], mode: mode, limit: limit))
            let cut = try await access.search(SearchRequest(text: query, projectIDs: [], mode: mode, limit: limit, maxTokens: budget))
            let used = tokens.count(AnswerBudget.json(cut.hits))
            #expect(used <= budget, "round \(round): \(used) tokens for a budget of \(budget)")
            #expect(!whole.truncated)
            if cut.truncated {
                truncatedCount += 1
                #expect(tokens.count(AnswerBudget.json(whole.hits)) > budget, "round \(round): cut though the whole answer fits")
            } else {
                #expect(cut.hits == whole.hits, "round \(round): not truncated, yet the hits differ")
            }
            // What is kept is the best hits, in order; only the last may have a shortened snippet.
            #expect(cut.hits.map(\.documentId) == Array(whole.hits.prefix(cut.hits.count).map(\.documentId)))
            for (kept, original) in zip(cut.hits.dropLast(), whole.hits) { #expect(kept == original) }
            if let last = cut.hits.last, last.snippet != whole.hits[cut.hits.count - 1].snippet {
                #expect(last.snippet.isEmpty || last.snippet.hasSuffix("…"))
                #expect(last.snippet.components(separatedBy: "<mark>").count == last.snippet.components(separatedBy: "</mark>").count,
                        "round \(round): an unbalanced <mark> in \(last.snippet)")
            }
            #expect(cut.total == whole.total, "round \(round): the total counts matches, not what fits")
        }
        #expect(truncatedCount > 50, "the budgets were too generous to test cutting")
    }

    @Test func theUpperBoundNeverUndercountsWordPiece() throws {
        let tokens = try Self.tokens
        var random = SeededGenerator(seed: 42)
        let alphabet = Array("abcdefghij klmnop,.;:!?-_/\\\"'<>&é日本語😀\u{301}\t\n0123456789")
        for _ in 0..<2_000 {
            let text = String((0..<Int.random(in: 0...80, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            #expect(AnswerTokens.upperBound.count(text) >= tokens.count(text), "\(text.debugDescription)")
        }
    }

    @Test func snippetsAreCutBetweenWordsAndKeepTheirMarksBalanced() throws {
        let hit = SearchHit(documentId: UUID(), projectId: UUID(), path: "a.md", title: "A", score: 1,
                            snippet: "one <mark>two three</mark> four &amp; five <mark>six</mark> seven",
                            matchedBy: ["fulltext"], ranks: ["fulltext": 1], chunk: .init(index: 0, heading: ""))
        let tokens = try Self.tokens
        let whole = AnswerBudget(tokens: tokens, maxTokens: 10_000).count(hit)
        var seen = Set<String>()
        for budget in stride(from: whole + 2, through: 2, by: -1) {
            let (hits, truncated) = AnswerBudget(tokens: tokens, maxTokens: budget).fit([hit])
            #expect(truncated == (budget < whole + 2))
            guard let kept = hits.first else { continue }
            #expect(tokens.count(AnswerBudget.json(hits)) <= budget)
            seen.insert(kept.snippet)
            #expect(!kept.snippet.contains("&amp…") && !kept.snippet.contains("<mar…"))
            #expect(kept.snippet.components(separatedBy: "<mark>").count == kept.snippet.components(separatedBy: "</mark>").count)
        }
        #expect(seen.contains("one <mark>two</mark>…"))
        #expect(seen.contains(""))
    }
}
