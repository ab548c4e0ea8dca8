import Foundation
import GRDB
import Index

/// SQLite FTS5 used directly, configured as reference_engines.py configures it.
enum RawFTS5Engine {
    static func sqliteVersion() throws -> String {
        try DatabaseQueue().read { db in try String.fetchOne(db, sql: "SELECT sqlite_version()") ?? "?" }
    }

    /// - Parameter dropsStopWords: drop the words Lore's `QueryParser` drops (unless none is left).
    static func run(_ corpus: Corpus, in directory: URL, dropsStopWords: Bool) async throws -> EngineResult {
        let name = dropsStopWords ? "fts-nostop.sqlite" : "fts.sqlite"
        let queue = try DatabaseQueue(path: directory.appendingPathComponent(name).path)

        let clock = ContinuousClock()
        let started = clock.now
        try queue.inDatabase { db in
            try db.execute(sql: "CREATE VIRTUAL TABLE fts USING fts5(title, text, tokenize='porter unicode61')")
            try db.inTransaction {
                let insert = try db.makeStatement(sql: "INSERT INTO fts(rowid, title, text) VALUES (?, ?, ?)")
                for (index, document) in corpus.documents.enumerated() {
                    try insert.execute(arguments: [index + 1, document.title, document.text])
                }
                return .commit
            }
        }
        let indexS = started.duration(to: clock.now).seconds

        let ids = corpus.documents.map(\.id)
        let stopWords = dropsStopWords ? stopWordsOfLore(among: corpus.queries.flatMap { words(of: $0.text) }) : []
        let sql = "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT 10"
        let latency = try await Latency.measure(corpus.queries.map(\.text)) { text in
            var terms = words(of: text)
            let meaningful = terms.filter { !stopWords.contains($0) }
            if !meaningful.isEmpty { terms = meaningful }
            guard !terms.isEmpty else { return }
            let match = terms.map { "\"\($0)\"" }.joined(separator: " OR ")
            _ = try queue.inDatabase { db in
                try Int64.fetchAll(db.cachedStatement(sql: sql), arguments: [match]).map { ids[Int($0) - 1] }
            }
        }
        return EngineResult(indexDocsPerS: Double(corpus.documents.count) / indexS, indexS: indexS, latency: latency)
    }

    /// Lower-cased `\w+` runs (letters, digits, `_`), as reference_engines.py splits queries.
    static func words(of text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init)
    }

    /// The given words that Lore's `QueryParser` drops as stop words (asked of the parser
    /// itself, so the list stays Lore's).
    static func stopWordsOfLore(among words: [String]) -> Set<String> {
        let parser = QueryParser()
        return Set(words.filter { word in
            (try? parser.parse("\(word) zzzsentinel").optional.map(\.text)) == ["zzzsentinel"]
        })
    }
}
