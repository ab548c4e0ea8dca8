import ArgumentParser
import Foundation
import Index
import Logging
import Search

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure retrieval quality on a BEIR-style folder (corpus.jsonl, queries.jsonl, qrels.tsv).",
        discussion: """
            Queries are read as plain words (syntax=plain): collections hold questions, not search syntax.
            Save two runs with --per-query --json and compare them with --compare A.json B.json: per mode and             measure, the mean difference and the p-value of a paired randomization test. Believe a change only             when it holds per query.
            """)

    @Argument(help: "The BEIR folder.") var directory: String?
    @Option(parsing: .upToNextOption, help: ArgumentHelp("Compare two saved --per-query --json reports (A, then B).",
                                                          valueName: "report"))
    var compare: [String] = []
    @Flag(help: "With --json, each query's measures too (for --compare).") var perQuery = false
    @Option(help: "Comma-separated modes: fulltext,semantic,hybrid.") var mode = "fulltext,semantic,hybrid"
    @Flag(help: "Print the report as JSON.") var json = false
    @Option(help: "An empty database to evaluate in (sqlite://… or postgres://…); default a temporary SQLite file.")
    var database: String?

    func validate() throws {
        _ = try modes()
        if compare.isEmpty {
            guard directory != nil else { throw ValidationError("pass the BEIR folder, or --compare A.json B.json") }
        } else {
            guard compare.count == 2, directory == nil else { throw ValidationError("--compare takes two reports and no folder") }
        }
    }

    func modes() throws -> [SearchMode] {
        try mode.split(separator: ",").map { name in
            guard let parsed = SearchMode(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("unknown mode '\(name)': use fulltext, semantic or hybrid")
            }
            return parsed
        }
    }

    func run() async throws {
        guard let directory else {
            try EvalComparison.run(a: compare[0], b: compare[1], json: json)
            return
        }
        let dataset = try BEIRDataset.load(from: URL(fileURLWithPath: directory))
        let modes = try modes()
        let options = try Settings().engineOptions(fullTextOnly: modes.allSatisfy { $0 == .fulltext })
        let evaluator = Evaluator()
        let embeddings = options.embedder.kind != .none
        let report: Evaluator.Report
        if let database {
            let store = try await DatabaseLocation.parse(database).openStore(embeddingsEnabled: embeddings, logger: Logger(label: "lore.eval"))
            report = try await evaluate(dataset, modes: modes, with: evaluator, in: store, options: options)
            await store.close()
        } else {
            report = try await evaluator.withTemporaryStore(embeddingsEnabled: embeddings) { store in
                try await evaluate(dataset, modes: modes, with: evaluator, in: store, options: options)
            }
        }
        if json {
            try JSONOutput.print(EvalJSON(report, perQuery: perQuery))
            return
        }
        print("\(report.dataset): \(report.documents) documents, \(report.queries) queries")
        print("mode       nDCG@10  MAP@100  Recall@100  MRR@10  median ms")
        for (mode, result) in report.modes {
            let metrics = result.metrics
            let name = mode.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
            print("\(name) " + String(format: "%7.4f  %7.4f  %10.4f  %6.4f  %9.2f", metrics.ndcgAt10, metrics.mapAt100,
                                      metrics.recallAt100, metrics.mrrAt10, result.medianLatencyMs))
            if let reason = result.fallbackReason { print("           (ran as \(result.ranAs.rawValue): \(reason))") }
        }
    }

    private func evaluate(
        _ dataset: BEIRDataset, modes: [SearchMode], with evaluator: Evaluator, in store: some LoreStore, options: EngineOptions
    ) async throws -> Evaluator.Report {
        let engine = await Engine.start(store: store, options: options, logger: Logger(label: "lore.eval"))
        let reporter = PhaseProgress()
        return try await evaluator.evaluate(dataset, modes: modes, engine: engine) { phase, done, total in
            reporter.update(phase: phase, done: done, total: total)
        }
    }
}

/// `lore eval --json`: `{"dataset", "documents", "queries", "modes": {mode: metrics}}`; with
/// `--per-query` each mode also has `perQuery: {queryId: metrics}`.
struct EvalJSON: Codable {
    struct Mode: Codable {
        var ndcg: Double
        var map: Double
        var recall: Double
        var mrr: Double
        var ranAs: SearchMode
        var fallbackReason: String?
        var medianLatencyMs: Double
        var perQuery: [String: RetrievalMetrics.Query]?

        enum CodingKeys: String, CodingKey {
            case ndcg = "ndcg@10", map = "map@100", recall = "recall@100", mrr = "mrr@10"
            case ranAs, fallbackReason, medianLatencyMs, perQuery
        }
    }

    var dataset: String
    var documents: Int
    var queries: Int
    var modes: [String: Mode]

    init(_ report: Evaluator.Report, perQuery: Bool) {
        dataset = report.dataset
        documents = report.documents
        queries = report.queries
        modes = Dictionary(uniqueKeysWithValues: report.modes.map { mode, result in
            (mode.rawValue, Mode(ndcg: result.metrics.ndcgAt10, map: result.metrics.mapAt100,
                                 recall: result.metrics.recallAt100, mrr: result.metrics.mrrAt10,
                                 ranAs: result.ranAs, fallbackReason: result.fallbackReason,
                                 medianLatencyMs: result.medianLatencyMs, perQuery: perQuery ? result.perQuery : nil))
        })
    }
}

/// `lore eval --compare A.json B.json`: every mode and measure both reports hold, compared per query.
enum EvalComparison {
    struct Row: Encodable {
        var mode: String
        var measure: String
        var comparison: PairedComparison
    }

    static func run(a pathA: String, b pathB: String, json: Bool) throws {
        let a = try load(pathA)
        let b = try load(pathB)
        var rows: [Row] = []
        for mode in a.modes.keys.sorted() {
            guard let left = a.modes[mode]?.perQuery, let right = b.modes[mode]?.perQuery else { continue }
            for measure in RetrievalMetrics.Query.measures {
                let comparison = PairedComparison(a: left.compactMapValues { $0.value(of: measure) },
                                                  b: right.compactMapValues { $0.value(of: measure) })
                rows.append(Row(mode: mode, measure: measure, comparison: comparison))
            }
        }
        guard !rows.isEmpty else {
            throw CLIError.message("the reports share no mode with per-query measures: make both with lore eval --per-query --json")
        }
        if json {
            try JSONOutput.print(rows)
            return
        }
        print("A: \(pathA)\nB: \(pathB)")
        print("mode       measure      queries  mean A   mean B   B - A     p      B better/worse/tied")
        for row in rows {
            let c = row.comparison
            print(row.mode.padding(toLength: 10, withPad: " ", startingAt: 0) + " "
                + row.measure.padding(toLength: 11, withPad: " ", startingAt: 0)
                + String(format: "  %7d  %6.4f   %6.4f   %+7.4f  %6.4f  %d/%d/%d", c.queries, c.meanA, c.meanB, c.difference,
                         c.pValue, c.better, c.worse, c.tied))
        }
    }

    private static func load(_ path: String) throws -> EvalJSON {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError.message("cannot read \(path)") }
        do {
            return try JSONDecoder().decode(EvalJSON.self, from: data)
        } catch {
            throw CLIError.message("\(path) is not a lore eval --json report: \(error)")
        }
    }
}
