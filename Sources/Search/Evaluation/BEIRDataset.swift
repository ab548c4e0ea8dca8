import Foundation

/// A retrieval test collection in BEIR layout: `corpus.jsonl`, `queries.jsonl`, `qrels.tsv`.
public struct BEIRDataset: Sendable {
    public struct Document: Sendable, Decodable {
        public var id: String
        public var title: String
        public var text: String

        enum CodingKeys: String, CodingKey { case id = "_id", title, text }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            title = try container.decodeIfPresent(String.self, forKey: .title) ?? ""
            text = try container.decodeIfPresent(String.self, forKey: .text) ?? ""
        }
    }

    public struct Query: Sendable, Decodable {
        public var id: String
        public var text: String

        enum CodingKeys: String, CodingKey { case id = "_id", text }
    }

    public var name: String
    public var documents: [Document]
    public var queries: [Query]
    /// Graded judgments: query id → document id → gain (0 = judged not relevant).
    public var judgments: [String: [String: Int]]

    /// Reads the folder; throws ``EvaluationError`` naming the file and line that is wrong.
    public static func load(from directory: URL) throws -> BEIRDataset {
        let documents = try readJSONLines(Document.self, at: directory.appendingPathComponent("corpus.jsonl"))
        let queries = try readJSONLines(Query.self, at: directory.appendingPathComponent("queries.jsonl"))
        let judgments = try readJudgments(at: directory.appendingPathComponent("qrels.tsv"))
        return BEIRDataset(name: directory.lastPathComponent, documents: documents, queries: queries, judgments: judgments)
    }

    static func readLines(at url: URL) throws -> [Substring] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw EvaluationError.unreadable(file: url.path)
        }
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
    }

    static func readJSONLines<T: Decodable>(_ type: T.Type, at url: URL) throws -> [T] {
        let decoder = JSONDecoder()
        return try readLines(at: url).enumerated().compactMap { number, line in
            guard !line.allSatisfy(\.isWhitespace) else { return nil }
            do {
                return try decoder.decode(T.self, from: Data(line.utf8))
            } catch {
                throw EvaluationError.malformed(file: url.lastPathComponent, line: number + 1)
            }
        }
    }

    static func readJudgments(at url: URL) throws -> [String: [String: Int]] {
        var judgments: [String: [String: Int]] = [:]
        for (number, line) in try readLines(at: url).enumerated() where number > 0 {
            let columns = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            guard columns.count >= 3, let gain = Int(columns[columns.count - 1]) else {
                throw EvaluationError.malformed(file: url.lastPathComponent, line: number + 1)
            }
            judgments[String(columns[0]), default: [:]][String(columns[1])] = gain
        }
        return judgments
    }
}

/// Why an evaluation could not run.
public enum EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(file: String)
    case malformed(file: String, line: Int)

    public var description: String {
        switch self {
        case .unreadable(let file): "cannot read \(file)"
        case .malformed(let file, let line): "\(file), line \(line): not in the expected format"
        }
    }
}
