import Foundation
import Search

/// A BEIR folder's documents and queries; `qrels.tsv` is not needed (throughput only).
struct Corpus {
    var documents: [BEIRDataset.Document]
    var queries: [BEIRDataset.Query]

    static func load(from directory: URL, limit: Int?) throws -> Corpus {
        var documents = try readJSONLines(BEIRDataset.Document.self, at: directory.appendingPathComponent("corpus.jsonl"))
        if let limit { documents = Array(documents.prefix(limit)) }
        let queries = try readJSONLines(BEIRDataset.Query.self, at: directory.appendingPathComponent("queries.jsonl"))
        return Corpus(documents: documents, queries: queries)
    }

    private static func readJSONLines<T: Decodable>(_ type: T.Type, at url: URL) throws -> [T] {
        let decoder = JSONDecoder()
        return try String(decoding: Data(contentsOf: url), as: UTF8.self)
            .split(whereSeparator: \.isNewline)
            .filter { !$0.allSatisfy(\.isWhitespace) }
            .map { try decoder.decode(T.self, from: Data($0.utf8)) }
    }
}
