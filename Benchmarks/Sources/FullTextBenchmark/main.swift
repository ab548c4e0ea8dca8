import Foundation

// Full-text speed of Lore against raw SQLite FTS5 on one BEIR folder, in one process.
do {
    let options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
    let corpus = try Corpus.load(from: options.corpus, limit: options.documents)
    guard !corpus.documents.isEmpty, !corpus.queries.isEmpty else { throw BenchmarkError("empty corpus or queries") }
    let workdir = FileManager.default.temporaryDirectory.appendingPathComponent("lore-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: workdir, withIntermediateDirectories: true)
    // LORE_BENCH_KEEP=1 keeps the databases for inspection (the path goes to stderr).
    let keep = ProcessInfo.processInfo.environment["LORE_BENCH_KEEP"] != nil
    if keep { FileHandle.standardError.write(Data("databases in \(workdir.path)\n".utf8)) }
    defer { if !keep { try? FileManager.default.removeItem(at: workdir) } }

    let order = ["lore", "raw-fts5", "raw-fts5-stop-words-dropped"]
    var engines: [String: EngineResult] = [:]
    engines["lore"] = try await LoreEngine.run(corpus, in: workdir)
    engines["raw-fts5"] = try await RawFTS5Engine.run(corpus, in: workdir, dropsStopWords: false)
    engines["raw-fts5-stop-words-dropped"] = try await RawFTS5Engine.run(corpus, in: workdir, dropsStopWords: true)

    let report = Report(
        corpus: options.corpus.path, documents: corpus.documents.count, queries: corpus.queries.count,
        sqliteVersion: try RawFTS5Engine.sqliteVersion(), engines: engines, order: order,
        loreP50OverRawP50: engines["lore"]!.latency.p50Ms / engines["raw-fts5"]!.latency.p50Ms)
    report.printTable()
    if let json = options.json { try report.write(to: json) }
} catch {
    FileHandle.standardError.write(Data("FullTextBenchmark: \(error)\n".utf8))
    exit(1)
}
