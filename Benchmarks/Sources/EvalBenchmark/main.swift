import Foundation
import Search
import Vectors

// Retrieval quality of every mode on a BEIR folder, built in release so the encoder runs at
// full speed: the same Evaluator as `lore eval`, with the builtin model.
//   EvalBenchmark [--corpus DIR] [--model DIR] [--modes M,M] [--fusion rrf|linear] [--ratio R] [--json FILE]
let arguments = CommandLine.arguments
func option(_ name: String) -> String? {
    arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
}
// By default Cranfield from `../shared` beside the repository this file is in.
let corpus = option("--corpus").map { URL(fileURLWithPath: $0) }
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../../shared/data/cranfield").standardizedFileURL
let model = URL(fileURLWithPath: option("--model") ?? "models/all-MiniLM-L6-v2")

let dataset = try BEIRDataset.load(from: corpus)
let embedder = try MiniLMEmbedder(modelDirectory: model)
let started = Date()
var evaluator = Evaluator(embedder: embedder)
evaluator.fusion = option("--fusion").flatMap(FusionMethod.init(rawValue:)) ?? .rrf
evaluator.semanticRatio = option("--ratio").flatMap(Double.init) ?? 0.5
let modes = (option("--modes") ?? "fulltext,semantic,hybrid").split(separator: ",").compactMap { SearchMode(rawValue: String($0)) }
let report = try await evaluator.evaluate(dataset, modes: modes) { phase, done, total in
    if done == total { FileHandle.standardError.write(Data("\(phase): \(done)/\(total) after \(Int(Date().timeIntervalSince(started))) s\n".utf8)) }
}
print("\(report.dataset): \(report.documents) documents, \(report.queries) queries")
print("mode       nDCG@10  MAP@100  Recall@100  MRR@10  median ms")
var json: [String: [String: Double]] = [:]
for (mode, result) in report.modes {
    let m = result.metrics
    print(mode.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
          + String(format: " %7.4f  %7.4f  %10.4f  %6.4f  %9.2f", m.ndcgAt10, m.mapAt100, m.recallAt100, m.mrrAt10, result.medianLatencyMs)
          + (result.fallbackReason.map { "  (fell back: \($0))" } ?? ""))
    json[mode.rawValue] = ["ndcg@10": m.ndcgAt10, "map@100": m.mapAt100, "recall@100": m.recallAt100, "mrr@10": m.mrrAt10,
                           "medianLatencyMs": result.medianLatencyMs]
}
if let path = option("--json") {
    let data = try JSONSerialization.data(withJSONObject: ["dataset": report.dataset, "modes": json], options: [.sortedKeys, .prettyPrinted])
    try data.write(to: URL(fileURLWithPath: path))
}
