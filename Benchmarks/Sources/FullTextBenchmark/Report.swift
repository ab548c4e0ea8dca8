import Foundation

/// What one run measured, in the layout of reference_engines.py's JSON (snake_case keys).
struct Report: Encodable {
    struct Machine: Encodable {
        var cpu: String
        var cores: Int

        static func current() -> Machine {
            let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
            let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
                .flatMap { $0.split(separator: ":", maxSplits: 1).last }
                .map { $0.trimmingCharacters(in: .whitespaces) }
            return Machine(cpu: model ?? "unknown", cores: ProcessInfo.processInfo.activeProcessorCount)
        }
    }

    var corpus: String
    var documents: Int
    var queries: Int
    var sqliteVersion: String
    /// Engine name → figures, in the order they ran.
    var engines: [String: EngineResult]
    var order: [String]
    var loreP50OverRawP50: Double
    var machine = Machine.current()
    var date = ISO8601DateFormatter.string(from: Date(), timeZone: .current, formatOptions: [.withFullDate])

    enum CodingKeys: String, CodingKey {
        case corpus, documents, queries, sqliteVersion, engines, loreP50OverRawP50, machine, date
    }

    func printTable() {
        print("\(corpus): \(documents) documents, \(queries) queries, SQLite \(sqliteVersion)")
        print("engine".padding(toLength: 34, withPad: " ", startingAt: 0)
              + ["docs/s", "p50 ms", "p99 ms", "mean ms"].map { $0.leftPadded(9) }.joined())
        for name in order {
            guard let e = engines[name] else { continue }
            print(name.padding(toLength: 34, withPad: " ", startingAt: 0)
                  + String(format: "%.0f", e.indexDocsPerS).leftPadded(9)
                  + [e.latency.p50Ms, e.latency.p99Ms, e.latency.meanMs].map { String(format: "%.3f", $0).leftPadded(9) }.joined())
        }
        print(String(format: "Lore p50 / raw FTS5 p50: %.2f", loreP50OverRawP50))
    }

    func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try (encoder.encode(self) + Data("\n".utf8)).write(to: url)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
