import Foundation

/// `[--sizes 10000,100000,1000000] [--threads 1,2] [--repetitions N] [--k N] [--batch N] [--json FILE]`
struct VectorBenchmarkOptions {
    var sizes = [10_000, 100_000, 1_000_000]
    var threadCounts = [1, 2]
    /// Timed single queries per strategy, size and thread count (after warm-up).
    var repetitions = 41
    var k = 10
    var batchSize = 64
    var dimension = 384
    var json: URL?

    static let usage = """
        usage: VectorBenchmark [--sizes N,N,…] [--threads N,N,…] [--repetitions N] [--k N] \
        [--batch N] [--json FILE]
        """

    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(_ arguments: [String]) throws -> VectorBenchmarkOptions {
        var options = VectorBenchmarkOptions()
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw UsageError(description: usage) }
            switch flag {
            case "--sizes": options.sizes = try positiveList(value, flag)
            case "--threads": options.threadCounts = try positiveList(value, flag)
            case "--repetitions": options.repetitions = try positiveList(value, flag)[0]
            case "--k": options.k = try positiveList(value, flag)[0]
            case "--batch": options.batchSize = try positiveList(value, flag)[0]
            case "--json": options.json = URL(fileURLWithPath: value)
            default: throw UsageError(description: usage)
            }
        }
        return options
    }

    private static func positiveList(_ text: String, _ flag: String) throws -> [Int] {
        let values = text.split(separator: ",").compactMap { Int($0) }
        guard !values.isEmpty, values.allSatisfy({ $0 > 0 }) else {
            throw UsageError(description: "\(flag): expected positive numbers separated by commas")
        }
        return values
    }
}
