import Foundation
import Testing
import LoreTestSupport

@Suite("The lore command line", .serialized)
struct CommandLineTests {
    @Test func helpExitsZero() async throws {
        let lore = try await LoreProcess.make()
        let outcome = try lore.run(["--help"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("import"))
    }

    @Test(arguments: [["search"], ["frobnicate"], ["search", "x"], ["search", "x", "--project", "p", "--limit", "many"],
                      ["import", "/definitely/not/here", "--project", "p"], ["eval", "/tmp", "--mode", "magic"],
                      ["keys", "list"], ["keys", "create", "--project", "p", "--name", "n", "--expires-in", "soon"],
                      ["keys", "create", "--project", "p", "--name", "n", "--expires-in", "0d"],
                      ["keys", "revoke", "--project", "p", "not-a-uuid"]])
    func usageErrorsExitTwo(_ arguments: [String]) async throws {
        let lore = try await LoreProcess.make()
        let outcome = try lore.run(arguments)
        #expect(outcome.status == 2, "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
    }

    @Test func failuresExitOneWithAMessageOnStderr() async throws {
        let lore = try await LoreProcess.make()
        let missing = try lore.run(["search", "anything", "--project", "nope"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("not found") && missing.stdout.isEmpty)
        let postgres = try lore.run(["migrate", "--database", "postgres://localhost/lore"])
        #expect(postgres.status == 1)
        let shortPassword = try lore.run(["users", "create", "--email", "a@b.io", "--name", "A", "--password-stdin"], stdin: "short\n")
        #expect(shortPassword.status == 1)
        let noTerminal = try lore.run(["users", "create", "--email", "a@b.io", "--name", "A"])
        #expect(noTerminal.status == 2)
    }

    @Test func importSearchAndReindexEndToEnd() async throws {
        let lore = try await LoreProcess.make()
        #expect(try lore.run(["migrate"]).status == 0)
        let user = try lore.run(["users", "create", "--email", "Dev@Example.com", "--name", "Dev", "--password-stdin"],
                                stdin: "correct horse battery\n")
        #expect(user.status == 0, "\(user.stderr)")
        let project = try lore.run(["projects", "create", "--owner", "dev@example.com", "--name", "Harbor Docs", "--json"])
        #expect(project.status == 0, "\(project.stderr)")
        let created = try JSONSerialization.jsonObject(with: Data(project.stdout.utf8)) as? [String: String]
        #expect(created?["slug"] == "harbor-docs")
        #expect(created?["apiKey"]?.hasPrefix("lore_") == true)

        let fixtures = LoreProcess.packageRoot.appendingPathComponent("fixtures/sample-project").path
        let first = try lore.run(["import", fixtures, "--project", "harbor-docs", "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any]
        #expect((report?["created"] as? Int ?? 0) >= 30)
        let second = try lore.run(["import", fixtures, "--project", "harbor-docs", "--json"])
        let again = try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any]
        #expect(again?["created"] as? Int == 0 && again?["updated"] as? Int == 0)

        let search = try lore.run(["search", "kafka consumer lag", "--project", "harbor-docs", "--json"])
        #expect(search.status == 0, "\(search.stderr)")
        let body = try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any]
        let hits = body?["data"] as? [[String: Any]]
        #expect(hits?.first?["path"] as? String == "runbooks/kafka-consumer-lag.md")
        let meta = body?["meta"] as? [String: Any]
        // The import embedded its documents before it exited: hybrid runs, no server needed.
        #expect(report?["embedded"] as? Int ?? 0 >= 30, "\(first.stderr)")
        #expect(meta?["mode"] as? String == "hybrid")
        #expect(meta?["requestedMode"] as? String == "hybrid")
        #expect(meta?["fallbackReason"] is NSNull)
        #expect(meta?["total"] as? Int ?? 0 >= 1)

        #expect(try lore.run(["reindex", "--fulltext"]).status == 0)
        let afterReindex = try lore.run(["search", "kafka consumer lag", "--project", "harbor-docs"])
        #expect(afterReindex.stdout.hasPrefix("1. runbooks/kafka-consumer-lag.md"))
    }

    @Test func evalReportsEveryMetricAsJSON() async throws {
        let lore = try await LoreProcess.make()
        let folder = lore.folder.appendingPathComponent("beir")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try """
            {"_id": "d1", "title": "Wing flutter", "text": "Flutter of swept wings at high speed."}
            {"_id": "d2", "title": "Boundary layers", "text": "Laminar boundary layer transition."}
            """.write(to: folder.appendingPathComponent("corpus.jsonl"), atomically: true, encoding: .utf8)
        try """
            {"_id": "1", "text": "wing flutter"}
            {"_id": "2", "text": "boundary layer transition"}
            """.write(to: folder.appendingPathComponent("queries.jsonl"), atomically: true, encoding: .utf8)
        try "query-id\tcorpus-id\tscore\n1\td1\t2\n2\td2\t1\n".write(
            to: folder.appendingPathComponent("qrels.tsv"), atomically: true, encoding: .utf8)
        let outcome = try lore.run(["eval", folder.path, "--mode", "fulltext", "--json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let body = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        #expect(body?["documents"] as? Int == 2 && body?["queries"] as? Int == 2)
        let fulltext = (body?["modes"] as? [String: Any])?["fulltext"] as? [String: Any]
        #expect(fulltext?["ndcg@10"] as? Double == 1.0)
        #expect(fulltext?["mrr@10"] as? Double == 1.0)
    }
}

@Suite("lore copy")
struct CopyCommandTests {
    /// SQLite → PostgreSQL → SQLite through the command line, when PostgreSQL is configured; SQLite
    /// → SQLite otherwise. Each copy is verified by counts, and the last one is searched.
    @Test func movesAnInstallationAndBack() async throws {
        let source = try await LoreProcess.make(.sqlite)
        #expect(try source.run(["users", "create", "--email", "a@b.io", "--name", "A", "--password-stdin"], stdin: "long enough pw\n").status == 0)
        let project = try source.run(["projects", "create", "--owner", "a@b.io", "--name", "Docs", "--json"])
        #expect(project.status == 0, "\(project.stderr)")
        let imported = try source.run(["import", LoreProcess.packageRoot.appendingPathComponent("fixtures/sample-project").path,
                                       "--project", "docs"])
        #expect(imported.status == 0, "\(imported.stderr)")

        let middle = try await LoreProcess.make(TestBackend.contract.contains(.postgres) ? .postgres : .sqlite)
        let last = try await LoreProcess.make(.sqlite)
        for (from, to) in [(source.databaseURL, middle.databaseURL), (middle.databaseURL, last.databaseURL)] {
            let copy = try source.run(["copy", "--from", from, "--to", to, "--json"])
            #expect(copy.status == 0, "\(copy.stderr)")
            #expect(copy.stdout.contains("\"documents\" : 37"), "\(copy.stdout)")
        }
        let again = try source.run(["copy", "--from", source.databaseURL, "--to", last.databaseURL])
        #expect(again.status == 1 && again.stderr.contains("the target is not empty"), "\(again.stderr)")
        let search = try last.run(["search", "rollback bad deploy", "--project", "docs", "--json"])
        #expect(search.status == 0 && search.stdout.contains("runbooks/rollback-deploy.md"), "\(search.stderr)")
    }
}
