import Foundation
import Vectors

// Encoding throughput of the builtin MiniLM embedder on a BEIR corpus (Cranfield by default):
// every document's `text` in batches of 32, with 1 and with 2 OpenBLAS threads.
//   swift run -c release --package-path Benchmarks EmbeddingBenchmark [--corpus FILE]
//       [--documents N] [--batch 32] [--threads 1,2] [--json FILE]
// The model comes from LORE_MODEL_DIR, else <repository>/models/all-MiniLM-L6-v2.

struct Options {
    /// `../shared` beside the repository this file is in, unless `--corpus` says otherwise.
    var corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../../shared/data/cranfield/corpus.jsonl").standardizedFileURL
    var documents = Int.max
    var batch = 32
    var threads = [1, 2]
    var json: URL?

    static let usage = "usage: EmbeddingBenchmark [--corpus FILE] [--documents N] [--batch N] [--threads 1,2] [--json FILE]"

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw BenchmarkFailure(usage) }
            switch flag {
            case "--corpus": options.corpus = URL(fileURLWithPath: value)
            case "--documents": options.documents = try positive(value, flag)
            case "--batch": options.batch = try positive(value, flag)
            case "--threads": options.threads = try value.split(separator: ",").map { try positive(String($0), flag) }
            case "--json": options.json = URL(fileURLWithPath: value)
            default: throw BenchmarkFailure(usage)
            }
        }
        return options
    }

    private static func positive(_ text: String, _ flag: String) throws -> Int {
        guard let value = Int(text), value > 0 else { throw BenchmarkFailure("\(flag): expected a positive number") }
        return value
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One measured configuration.
struct Run: Codable {
    let threads: Int
    let seconds: Double
    let cpuSeconds: Double
    let documentsPerSecond: Double
    let tokensPerSecond: Double
    let gflopsPerSecond: Double
    let percentOfSgemmPeak: Double
    let speedupOverPyTorch: Double?
}

struct Report: Codable {
    let corpus: String
    let documents: Int
    let tokens: Int
    let meanTokensPerDocument: Double
    let gflopPerDocument: Double
    let batch: Int
    let blasCore: String
    let runs: [Run]
}

/// Single-core sgemm speed measured on this machine (STACK.md), and PyTorch's reference speed.
let sgemmPeakPerCore = 89.0
let pytorchDocumentsPerSecond = [1: 11.3, 2: 19.1]

func loadTexts(_ url: URL, limit: Int) throws -> [String] {
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").prefix(limit)
    return try lines.map { line in
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let text = object["text"] as? String
        else { throw BenchmarkFailure("\(url.lastPathComponent): a line without a text field") }
        return text
    }
}

func modelDirectory() -> URL {
    if let path = ProcessInfo.processInfo.environment["LORE_MODEL_DIR"], !path.isEmpty {
        return URL(fileURLWithPath: path)
    }
    let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return repository.appendingPathComponent("models/all-MiniLM-L6-v2")
}

/// User plus system CPU time of this process so far: on a busy machine, wall-clock speed at one
/// thread understates the encoder, and documents per CPU-second shows what it costs.
func cpuSeconds() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

func format(_ value: Double, _ digits: Int = 1) -> String {
    String(format: "%.\(digits)f", value)
}

do {
    let options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
    let texts = try loadTexts(options.corpus, limit: options.documents)
    guard !texts.isEmpty else { throw BenchmarkFailure("empty corpus") }
    // One forward pass per batch of `options.batch` documents, as the PyTorch reference does.
    let embedder = try MiniLMEmbedder(
        modelDirectory: modelDirectory(), maximumBatchTokens: options.batch * 256)
    let lengths = texts.map { embedder.tokenizer.encode($0).count }
    let tokens = lengths.reduce(0, +)
    let cost = EncoderCost(configuration: embedder.configuration)
    let flops = lengths.reduce(0) { $0 + cost.flops(length: $1) }
    let batches = stride(from: 0, to: texts.count, by: options.batch).map {
        Array(texts[$0 ..< min($0 + options.batch, texts.count)])
    }
    print("corpus \(options.corpus.path): \(texts.count) documents, \(tokens) tokens "
          + "(\(format(Double(tokens) / Double(texts.count))) a document after the 256 cut), "
          + "\(format(flops / Double(texts.count) / 1e9, 2)) GFLOP a document, batches of \(options.batch), "
          + "OpenBLAS core \(BLASInfo.coreName)")

    var runs: [Run] = []
    for threads in options.threads {
        BLASInfo.setThreadCount(threads)
        _ = try await embedder.embed(batches[0])  // warm-up: page in weights, start BLAS threads
        let start = ContinuousClock.now
        let cpuStart = cpuSeconds()
        for batch in batches {
            _ = try await embedder.embed(batch)
        }
        let elapsed = ContinuousClock.now - start
        let cpu = cpuSeconds() - cpuStart
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let gflops = flops / seconds / 1e9
        let documentsPerSecond = Double(texts.count) / seconds
        let run = Run(
            threads: threads, seconds: seconds, cpuSeconds: cpu, documentsPerSecond: documentsPerSecond,
            tokensPerSecond: Double(tokens) / seconds, gflopsPerSecond: gflops,
            percentOfSgemmPeak: 100 * gflops / (sgemmPeakPerCore * Double(threads)),
            speedupOverPyTorch: pytorchDocumentsPerSecond[threads].map { documentsPerSecond / $0 })
        runs.append(run)
        print("threads \(threads): \(format(seconds, 2)) s (CPU \(format(cpu, 2)) s), \(format(run.documentsPerSecond)) documents/s, "
              + "\(format(run.tokensPerSecond, 0)) tokens/s, \(format(gflops)) GFLOP/s = "
              + "\(format(run.percentOfSgemmPeak, 0))% of the \(format(sgemmPeakPerCore * Double(threads), 0)) GFLOP/s sgemm peak"
              + (run.speedupOverPyTorch.map { ", \(format($0, 2))× PyTorch (\(pytorchDocumentsPerSecond[threads]!) documents/s)" } ?? ""))
    }
    if let json = options.json {
        let report = Report(
            corpus: options.corpus.path, documents: texts.count, tokens: tokens,
            meanTokensPerDocument: Double(tokens) / Double(texts.count), gflopPerDocument: flops / Double(texts.count) / 1e9,
            batch: options.batch, blasCore: BLASInfo.coreName, runs: runs)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileManager.default.createDirectory(at: json.deletingLastPathComponent(), withIntermediateDirectories: true)
        try encoder.encode(report).write(to: json)
    }
} catch {
    FileHandle.standardError.write(Data("EmbeddingBenchmark: \(error)\n".utf8))
    exit(1)
}
