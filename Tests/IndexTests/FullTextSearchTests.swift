import Foundation
import Testing
import LoreTestSupport
@testable import Index

@Suite("Full-text search")
struct FullTextSearchTests {
    let parser = QueryParser()

    func search(_ text: String, in temporary: TemporaryStore, projects: [UUID], filter: DocumentFilter = .init(),
                offset: Int = 0, limit: Int = 10) async throws -> FullTextResults {
        try await temporary.store.searchFullText(FullTextRequest(
            query: try parser.parse(text), projectIDs: projects, filter: filter, offset: offset, limit: limit))
    }

    func makeCorpus(_ backend: TestBackend) async throws -> (TemporaryStore, Project) {
        let temporary = try await TemporaryStore.make(backend)
        let project = try await temporary.makeProject()
        let documents = [
            NewDocument(path: "api/rate-limits.md", content: "# Rate limits\nThe rate-limit is 100 requests. Use <b>backoff</b> & retry.", tags: ["api"]),
            NewDocument(path: "api/auth.md", content: "# Authentication\n## Tokens\nBearer tokens expire; refresh them.", tags: ["api", "security"]),
            NewDocument(path: "docs/architecture/overview.md", content: "# Overview\nSee docs/architecture for v1.2 and max_tokens.", tags: []),
            NewDocument(path: "runbooks/redis.md", content: "# Redis\nA redis cluster with hot key trouble.", tags: ["ops"]),
            NewDocument(path: "runbooks/redis-single.md", content: "# Redis single\nOne redis node, no replicas.", tags: ["ops"]),
        ]
        for document in documents {
            _ = try await temporary.store.createDocument(document, in: project.id)
        }
        return (temporary, project)
    }

    @Test(arguments: TestBackend.contract) func highlightsMatchesInEscapedSnippets(backend: TestBackend) async throws {
        let (temporary, project) = try await makeCorpus(backend)
        let results = try await search("backoff", in: temporary, projects: [project.id])
        #expect(results.hits.count == 1)
        #expect(results.hits[0].snippet.contains("&lt;b&gt;<mark>backoff</mark>&lt;/b&gt; &amp; retry"))
    }

    @Test(arguments: [
        ("rate-limit", "api/rate-limits.md"),
        ("docs/architecture", "docs/architecture/overview.md"),
        ("v1.2", "docs/architecture/overview.md"),
        ("max_tokens", "docs/architecture/overview.md"),
        ("authent*", "api/auth.md"),
        ("\"hot key\"", "runbooks/redis.md"),
    ].flatMap { query, expected in TestBackend.contract.map { ($0, query, expected) } })
    func termsWithPunctuationAreSearchableAsWritten(_ backend: TestBackend, _ query: String, _ expected: String) async throws {
        let (temporary, project) = try await makeCorpus(backend)
        let results = try await search(query, in: temporary, projects: [project.id])
        #expect(results.hits.first?.path == expected)
    }

    @Test(arguments: TestBackend.contract) func exclusionsRemoveDocuments(backend: TestBackend) async throws {
        let (temporary, project) = try await makeCorpus(backend)
        let all = try await search("redis", in: temporary, projects: [project.id])
        #expect(Set(all.hits.map(\.path)) == ["runbooks/redis.md", "runbooks/redis-single.md"])
        let excluded = try await search("redis -cluster", in: temporary, projects: [project.id])
        #expect(excluded.hits.map(\.path) == ["runbooks/redis-single.md"])
    }

    @Test(arguments: TestBackend.contract) func filtersByPathPrefixAndTag(backend: TestBackend) async throws {
        let (temporary, project) = try await makeCorpus(backend)
        let byPrefix = try await search("redis tokens", in: temporary, projects: [project.id], filter: .init(pathPrefix: "api/"))
        #expect(byPrefix.hits.map(\.path) == ["api/auth.md"])
        let byTag = try await search("tokens redis", in: temporary, projects: [project.id], filter: .init(tag: "ops"))
        #expect(Set(byTag.hits.map(\.path)) == ["runbooks/redis.md", "runbooks/redis-single.md"])
    }

    @Test(arguments: TestBackend.contract) func reportsTheBestChunkWithItsHeadingTrail(backend: TestBackend) async throws {
        let (temporary, project) = try await makeCorpus(backend)
        let results = try await search("refresh", in: temporary, projects: [project.id])
        #expect(results.hits.first?.chunkHeading == "Tokens")
        #expect(results.hits.first?.chunkIndex == 0)
    }

    @Test(arguments: TestBackend.contract) func pagesNeitherRepeatNorSkip(backend: TestBackend) async throws {
        let temporary = try await TemporaryStore.make(backend)
        let project = try await temporary.makeProject()
        for index in 0..<25 {
            // Identical bodies tie on score: the path must break the tie.
            _ = try await temporary.store.createDocument(NewDocument(path: "same/\(index).md", content: "lighthouse"), in: project.id)
        }
        var seen: [String] = []
        for page in 0..<3 {
            let results = try await search("lighthouse", in: temporary, projects: [project.id], offset: page * 10, limit: 10)
            #expect(results.total == 25)
            seen += results.hits.map(\.path)
            #expect(results.hits.map(\.rank) == Array((page * 10 + 1)...(page * 10 + results.hits.count)))
        }
        #expect(seen == seen.sorted() && Set(seen).count == 25)
        let beyond = try await search("lighthouse", in: temporary, projects: [project.id], offset: 50, limit: 10)
        #expect(beyond.hits.isEmpty && beyond.total == 25)
    }

    /// Hundreds of matching chunks with varied scores: the order is the query's alone, so pages
    /// of any size, at any offset, give the same sequence, each document once, and the total
    /// counts every match (a ranking that refines only some candidates must keep this).
    @Test(arguments: TestBackend.contract) func pagesAreStablePastTheRefinedChunks(backend: TestBackend) async throws {
        let temporary = try await TemporaryStore.make(backend)
        let project = try await temporary.makeProject()
        let count = 340
        for index in 0..<count {
            let lighthouse = Array(repeating: "lighthouse", count: index % 7 + 1).joined(separator: " ")
            let keeper = Array(repeating: "keeper", count: index % 5).joined(separator: " ")
            _ = try await temporary.store.createDocument(
                NewDocument(path: "coast/\(index).md", content: "# Light \(index)\n\(lighthouse) \(keeper) unique\(index) words"), in: project.id)
        }
        func sequence(pageSize: Int) async throws -> [String] {
            var paths: [String] = []
            for offset in stride(from: 0, to: count + pageSize, by: pageSize) {
                let page = try await search("lighthouse keeper", in: temporary, projects: [project.id], offset: offset, limit: pageSize)
                #expect(page.total == count, "total at offset \(offset): \(page.total)")
                paths += page.hits.map(\.path)
            }
            return paths
        }
        let byForty = try await sequence(pageSize: 40)
        #expect(byForty.count == count && Set(byForty).count == count, "every document once: \(byForty.count), \(Set(byForty).count) distinct")
        let byThirtySeven = try await sequence(pageSize: 37)
        #expect(byThirtySeven == byForty, "the order does not depend on the page size")
        let best = try await search("lighthouse keeper", in: temporary, projects: [project.id], limit: 5)
        #expect(best.hits.map(\.path) == Array(byForty.prefix(5)))
    }

    @Test(arguments: TestBackend.contract) func searchesOnlyTheGivenProjects(backend: TestBackend) async throws {
        let (temporary, project) = try await makeCorpus(backend)
        let other = try await temporary.makeProject(name: "Other")
        _ = try await temporary.store.createDocument(NewDocument(path: "redis.md", content: "redis elsewhere"), in: other.id)
        let mine = try await search("redis", in: temporary, projects: [project.id])
        #expect(mine.hits.allSatisfy { $0.projectId == project.id })
        let both = try await search("redis", in: temporary, projects: [project.id, other.id])
        #expect(both.total == 3)
    }

    /// Markdown whose three sections are each long enough to be chunks of their own, and all
    /// mention `lighthouse`.
    static func threeChunkDocument(_ index: Int) -> String {
        (1...3).map { section in
            let filler = (0..<180).map { "filler\(index)x\(section)x\($0)" }.joined(separator: " ")
            return "## Section \(section)\nlighthouse \(filler)"
        }.joined(separator: "\n\n")
    }

    /// More matching chunks than the first top-K holds, so the total is counted, not read off
    /// the ranking; with another project's documents both in and out of the index.
    @Test(arguments: TestBackend.contract) func countsEachDocumentOnceWhateverItsMatchingChunks(backend: TestBackend) async throws {
        let temporary = try await TemporaryStore.make(backend)
        let project = try await temporary.makeProject()
        for index in 0..<30 {
            _ = try await temporary.store.createDocument(
                NewDocument(path: "long/\(index).md", content: Self.threeChunkDocument(index)), in: project.id)
        }
        #expect(try await temporary.count("chunk") >= 90)
        #expect(try await search("lighthouse", in: temporary, projects: [project.id], limit: 1).total == 30)
        #expect(try await search("lighthouse", in: temporary, projects: [project.id], filter: .init(pathPrefix: "long/1"), limit: 1).total == 11)

        let other = try await temporary.makeProject(name: "Other")
        for index in 0..<12 {
            _ = try await temporary.store.createDocument(
                NewDocument(path: "elsewhere/\(index).md", content: Self.threeChunkDocument(index)), in: other.id)
        }
        let mine = try await search("lighthouse", in: temporary, projects: [project.id], limit: 5)
        #expect(mine.total == 30 && mine.hits.allSatisfy { $0.projectId == project.id })
        #expect(try await search("lighthouse", in: temporary, projects: [other.id], limit: 1).total == 12)
        #expect(try await search("lighthouse", in: temporary, projects: [project.id, other.id], limit: 1).total == 42)

        try await temporary.store.deleteProject(id: other.id)
        let removed = try await temporary.store.document(path: "long/0.md", in: project.id)
        try await temporary.store.deleteDocument(id: removed.id, in: project.id)
        let changed = try await temporary.store.document(path: "long/1.md", in: project.id)
        _ = try await temporary.store.updateDocument(id: changed.id, in: project.id, with: DocumentUpdate(content: "no longer"))
        #expect(try await search("lighthouse", in: temporary, projects: [project.id], limit: 1).total == 28)
    }

    @Test(arguments: TestBackend.contract) func renamedDocumentsAreFoundByTheirNewTitleOnly(backend: TestBackend) async throws {
        let (temporary, project) = try await makeCorpus(backend)
        let document = try await temporary.store.document(path: "runbooks/redis.md", in: project.id)
        _ = try await temporary.store.updateDocument(
            id: document.id, in: project.id, with: DocumentUpdate(content: document.content, title: "Valkey migration"))
        #expect(try await search("valkey", in: temporary, projects: [project.id]).hits.map(\.path) == ["runbooks/redis.md"])
    }

    @Test(arguments: TestBackend.contract) func rebuildingTheIndexKeepsResults(backend: TestBackend) async throws {
        let (temporary, project) = try await makeCorpus(backend)
        let before = try await search("redis tokens rate", in: temporary, projects: [project.id])
        try await temporary.store.rebuildFullText(projectID: nil) { _, _ in }
        let after = try await search("redis tokens rate", in: temporary, projects: [project.id])
        #expect(before.hits.map(\.path) == after.hits.map(\.path))
        #expect(try await temporary.count("search_entries") == temporary.count("chunk"))
    }
}
