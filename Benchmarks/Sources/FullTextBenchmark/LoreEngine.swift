import Foundation
import Index
import Search

/// Lore as the HTTP API runs it: `writeDocuments` in batches, `SearchService` in full-text mode.
enum LoreEngine {
    static let batchSize = 500

    static func run(_ corpus: Corpus, in directory: URL) async throws -> EngineResult {
        let store = try SQLiteStore(path: directory.appendingPathComponent("lore.sqlite").path)
        let user = try await store.createUser(NewUser(email: "bench@example.com", name: "Bench", passwordHash: "-"))
        let project = try await store.createProject(NewProject(ownerId: user.id, name: "Benchmark")).project

        let clock = ContinuousClock()
        let started = clock.now
        for start in stride(from: 0, to: corpus.documents.count, by: batchSize) {
            let batch = corpus.documents[start..<min(start + batchSize, corpus.documents.count)].map {
                NewDocument(path: "corpus/\($0.id).txt", content: $0.text, title: $0.title)
            }
            for item in try await store.writeDocuments(batch, mode: .upsert, in: project.id) {
                if case .failure(let error) = item.result { throw BenchmarkError("\(item.path): \(error)") }
            }
        }
        let indexS = started.duration(to: clock.now).seconds

        let service = SearchService(store: store)
        let latency = try await Latency.measure(corpus.queries.map(\.text)) { text in
            let request = try SearchRequest(text: text, projectIDs: [project.id], mode: .fulltext, limit: 10)
            _ = try await service.search(request).hits.map(\.path)
        }
        return EngineResult(indexDocsPerS: Double(corpus.documents.count) / indexS, indexS: indexS, latency: latency)
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
