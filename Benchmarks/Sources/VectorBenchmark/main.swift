import Foundation
import Vectors

// Single-query latency of the fused scan and of sgemv against the memory-bandwidth floor, and
// batched throughput through sgemm tiles, at each size and OpenBLAS thread count.
//   swift build -c release --package-path Benchmarks --scratch-path Benchmarks/.build-vecindex
//   Benchmarks/.build-vecindex/release/VectorBenchmark --json Benchmarks/results/vectors.json

/// One size × thread-count measurement; times in seconds (medians).
struct VectorBenchmarkRow: Codable {
    var rows: Int
    var blasThreads: Int
    var matrixBytes: Int
    var floorSeconds: Double
    var floorGigabytesPerSecond: Double
    var floorAllThreadsSeconds: Double
    var fusedSeconds: Double
    var fusedRatio: Double
    var sgemvSeconds: Double
    var sgemvRatio: Double
    var fusedFilteredSeconds: Double
    var batchSeconds: Double
    var batchQueriesPerSecond: Double
    /// Fastest single runs, less sensitive than medians to other processes on the machine.
    var floorBestSeconds: Double
    var fusedBestSeconds: Double
    var sgemvBestSeconds: Double
    /// The 1-minute load average when the row was measured (other work competing for the cores).
    var loadAverage: Double
}

struct VectorBenchmarkReport: Codable {
    var date: String
    var cpu: String
    var blasCore: String
    var dimension: Int
    var k: Int
    var batchSize: Int
    var repetitions: Int
    var results: [VectorBenchmarkRow]
}

func loadAverage() -> Double {
    let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
    return Double(text.split(separator: " ").first ?? "") ?? .nan
}

func cpuModel() -> String {
    let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let line = info.split(separator: "\n").first { $0.hasPrefix("model name") }
    return line.map { String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces) } ?? "unknown"
}

func runBenchmark(_ options: VectorBenchmarkOptions) throws -> VectorBenchmarkReport {
    var results: [VectorBenchmarkRow] = []
    var sink: Float = 0
    var hitSink = 0
    for size in options.sizes {
        var random = RandomVectors(seed: UInt64(size))
        let built = try random.makeIndex(rows: size, dimension: options.dimension)
        let index = built.index
        let queries = (0..<max(options.batchSize, options.repetitions)).map { _ in random.vector(dimension: options.dimension) }
        // About 10% of the documents, for the filtered scan.
        let allowed = Set(built.documents.enumerated().filter { $0.offset % 10 == 3 }.map(\.element))
        let matrixBytes = index.withUnsafeMatrix { elements, _, _ in elements.count * MemoryLayout<Float>.stride }
        let repetitions = options.repetitions

        for threads in options.threadCounts {
            BLASInfo.setThreadCount(threads)
            var next = 0
            func single(_ strategy: SingleQueryStrategy, allowed: Set<UUID>? = nil) -> () throws -> Void {
                {
                    next = (next + 1) % queries.count
                    hitSink += try index.search(queries[next], k: options.k, allowedDocuments: allowed, strategy: strategy).count
                }
            }
            // Interleaved, so load from other processes falls on the floor and the scans alike.
            let samples = try Timing.interleave(repetitions: repetitions, [
                { sink += index.withUnsafeMatrix { elements, _, _ in MemoryFloor.sum(elements) } },
                { sink += index.withUnsafeMatrix { elements, _, _ in MemoryFloor.sum(elements, threads: threads) } },
                single(.fusedScan),
                single(.sgemv),
                single(.fusedScan, allowed: allowed),
            ])
            let floorSamples = samples[0], fusedSamples = samples[2], gemvSamples = samples[3]
            let floor = Timing.median(floorSamples)
            let floorBest = floorSamples.min() ?? .nan
            let floorAll = Timing.median(samples[1])
            let fused = Timing.median(fusedSamples)
            let gemv = Timing.median(gemvSamples)
            let filtered = Timing.median(samples[4])
            let batch = Array(queries.prefix(options.batchSize))
            let batchSeconds = Timing.median(try Timing.measure(repetitions: max(5, repetitions / 4)) {
                hitSink += try index.search(batch: batch, k: options.k).count
            })
            let row = VectorBenchmarkRow(
                rows: size, blasThreads: threads, matrixBytes: matrixBytes,
                floorSeconds: floor, floorGigabytesPerSecond: Double(matrixBytes) / floor / 1e9,
                floorAllThreadsSeconds: floorAll,
                fusedSeconds: fused, fusedRatio: fused / floor,
                sgemvSeconds: gemv, sgemvRatio: gemv / floor,
                fusedFilteredSeconds: filtered,
                batchSeconds: batchSeconds, batchQueriesPerSecond: Double(batch.count) / batchSeconds,
                floorBestSeconds: floorBest, fusedBestSeconds: fusedSamples.min() ?? .nan,
                sgemvBestSeconds: gemvSamples.min() ?? .nan, loadAverage: loadAverage())
            results.append(row)
            printRow(row)
        }
    }
    if sink.isNaN || hitSink < 0 { print("unreachable") }
    return VectorBenchmarkReport(
        date: ISO8601DateFormatter().string(from: Date()), cpu: cpuModel(), blasCore: BLASInfo.coreName,
        dimension: options.dimension, k: options.k, batchSize: options.batchSize,
        repetitions: options.repetitions, results: results)
}

func milliseconds(_ seconds: Double) -> String {
    String(format: "%8.3f", seconds * 1e3)
}

func printHeader(_ options: VectorBenchmarkOptions) {
    print("VectorBenchmark: dimension \(options.dimension), k \(options.k), batch \(options.batchSize), "
          + "p50 of \(options.repetitions) runs; CPU \(cpuModel()), OpenBLAS core \(BLASInfo.coreName)")
    print("ms; ratio = latency / 1-thread floor; floor = SIMD sum of the same bytes")
    print("    rows thr     floor   GB/s  floor(thr)     fused  ratio     sgemv  ratio  fused 10%  batch q/s  best fused/floor  load")
}

func printRow(_ row: VectorBenchmarkRow) {
    print(String(format: "%8d %3d", row.rows, row.blasThreads)
          + " " + milliseconds(row.floorSeconds) + String(format: " %6.1f", row.floorGigabytesPerSecond)
          + "    " + milliseconds(row.floorAllThreadsSeconds)
          + "  " + milliseconds(row.fusedSeconds) + String(format: " %5.2fx", row.fusedRatio)
          + " " + milliseconds(row.sgemvSeconds) + String(format: " %5.2fx", row.sgemvRatio)
          + "   " + milliseconds(row.fusedFilteredSeconds)
          + String(format: " %10.0f", row.batchQueriesPerSecond)
          + String(format: "  %16.2fx %5.1f", row.fusedBestSeconds / row.floorBestSeconds, row.loadAverage))
}

do {
    let options = try VectorBenchmarkOptions.parse(Array(CommandLine.arguments.dropFirst()))
    printHeader(options)
    let report = try runBenchmark(options)
    if let url = options.json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try encoder.encode(report).write(to: url)
        print("wrote \(url.path)")
    }
} catch {
    FileHandle.standardError.write(Data("VectorBenchmark: \(error)\n".utf8))
    exit(1)
}
