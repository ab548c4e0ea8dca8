import ArgumentParser
import Foundation
import Index
import Logging
import Search

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure retrieval quality on a BEIR-style folder (corpus.jsonl, queries.jsonl, qrels.tsv).")

    @Argument(help: "The BEIR folder.") var directory: String
    @Option(help: "Comma-separated modes: fulltext,semantic,hybrid.") var mode = "fulltext,semantic,hybrid"
    @Flag(help: "Print the report as JSON.") var json = false
    @Option(help: "An empty database to evaluate in (sqlite://… or postgres://…); default a temporary SQLite file.")
    var database: String?

    func validate() throws {
        _ = try modes()
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
        let dataset = try BEIRDataset.load(from: URL(fileURLWithPath: directory))
        let modes = try modes()
        let options = try Settings().engineOptions(fullTextOnly: modes.allSatisfy { $0 == .fulltext })
        let evaluator = Evaluator()
        let store: any LoreStore
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lore-eval-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let embeddings = options.embedder.kind != .none
        if let database {
            store = try await DatabaseLocation.parse(database).openStore(embeddingsEnabled: embeddings, logger: Logger(label: "lore.eval"))
        } else {
            store = try SQLiteStore(path: folder.appendingPathComponent("eval.db").path,
                                    preparer: DocumentPreparer(chunker: evaluator.chunker), embeddingsEnabled: embeddings)
        }
        let report = try await evaluate(dataset, modes: modes, with: evaluator, in: store, options: options)
        await store.close()
        if json {
            try JSONOutput.print(EvalJSON(report))
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

/// `lore eval --json`: `{"dataset", "documents", "queries", "modes": {mode: metrics}}`.
struct EvalJSON: Encodable {
    struct Mode: Encodable {
        var ndcg: Double
        var map: Double
        var recall: Double
        var mrr: Double
        var ranAs: SearchMode
        var fallbackReason: String?
        var medianLatencyMs: Double

        enum CodingKeys: String, CodingKey {
            case ndcg = "ndcg@10", map = "map@100", recall = "recall@100", mrr = "mrr@10"
            case ranAs, fallbackReason, medianLatencyMs
        }
    }

    var dataset: String
    var documents: Int
    var queries: Int
    var modes: [String: Mode]

    init(_ report: Evaluator.Report) {
        dataset = report.dataset
        documents = report.documents
        queries = report.queries
        modes = Dictionary(uniqueKeysWithValues: report.modes.map { mode, result in
            (mode.rawValue, Mode(ndcg: result.metrics.ndcgAt10, map: result.metrics.mapAt100,
                                 recall: result.metrics.recallAt100, mrr: result.metrics.mrrAt10,
                                 ranAs: result.ranAs, fallbackReason: result.fallbackReason,
                                 medianLatencyMs: result.medianLatencyMs))
        })
    }
}

/// Progress of a run with several phases, each with its own bar.
final class PhaseProgress: @unchecked Sendable {
    private var phase = ""
    private var reporter: ProgressReporter?
    private let lock = NSLock()

    func update(phase: String, done: Int, total: Int) {
        lock.lock()
        if phase != self.phase {
            self.phase = phase
            reporter = ProgressReporter(label: phase)
        }
        let current = reporter
        lock.unlock()
        current?.update(done: done, total: total)
    }
}
