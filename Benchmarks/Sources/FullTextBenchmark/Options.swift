import Foundation

/// `--corpus DIR [--json FILE] [--documents N]`
struct Options {
    var corpus: URL
    var json: URL?
    var documents: Int?

    static let usage = "usage: FullTextBenchmark --corpus DIR [--json FILE] [--documents N]"

    static func parse(_ arguments: [String]) throws -> Options {
        var values: [String: String] = [:]
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard ["--corpus", "--json", "--documents"].contains(flag), let value = rest.popFirst() else {
                throw BenchmarkError(usage)
            }
            values[flag] = value
        }
        guard let corpus = values["--corpus"] else { throw BenchmarkError(usage) }
        let documents = try values["--documents"].map { text in
            guard let count = Int(text), count > 0 else { throw BenchmarkError("--documents: expected a positive number") }
            return count
        }
        return Options(corpus: URL(fileURLWithPath: corpus), json: values["--json"].map(URL.init(fileURLWithPath:)),
                       documents: documents)
    }
}
