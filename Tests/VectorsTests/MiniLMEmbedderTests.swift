import Foundation
import Testing
@testable import Vectors

@Suite struct MiniLMEmbedderTests {
    @Test func describesTheModel() throws {
        let embedder = try MiniLMFixtures.loadedEmbedder()
        #expect(embedder.modelID == "all-MiniLM-L6-v2")
        #expect(embedder.dimension == 384)
        #expect(embedder.maximumTokens == 256)
    }

    @Test func everyEmbeddingMatchesTheReference() async throws {
        let items = try MiniLMFixtures.goldenItems()
        let vectors = try await MiniLMFixtures.singleEmbeddings.value
        var minimum = 1.0
        var worst = ""
        var largestDifference: Float = 0
        for (item, vector) in zip(items, vectors) {
            let cosine = MiniLMFixtures.cosine(vector, item.embedding)
            #expect(cosine >= 0.9999, "\(item.name): cosine \(cosine)")
            if cosine < minimum { (minimum, worst) = (cosine, item.name) }
            largestDifference = max(largestDifference, zip(vector, item.embedding).map { abs($0 - $1) }.max() ?? 0)
        }
        print("MiniLM: minimum cosine to golden \(minimum) (\(worst)), largest element difference \(largestDifference)")
        #expect(minimum >= 0.9999)
    }

    @Test func batchedResultsEqualOneByOneResults() async throws {
        let embedder = try MiniLMFixtures.loadedEmbedder()
        let texts = try MiniLMFixtures.goldenItems().map(\.text)
        let singles = try await MiniLMFixtures.singleEmbeddings.value
        let batched = try await embedder.embed(texts)
        #expect(batched.count == texts.count)
        var minimum = 1.0
        for (text, (single, vector)) in zip(texts, zip(singles, batched)) {
            let cosine = MiniLMFixtures.cosine(single, vector)
            #expect(cosine >= 0.99999, "\(text.prefix(40))")
            minimum = min(minimum, cosine)
        }
        print("MiniLM: minimum cosine between batched and one-by-one \(minimum)")
    }

    @Test func resultsDoNotDependOnBatchCompositionOrOrder() async throws {
        let small = try MiniLMEmbedder(modelDirectory: MiniLMFixtures.modelDirectory, maximumBatchTokens: 300)
        let items = try MiniLMFixtures.goldenItems()
        let singles = try await MiniLMFixtures.singleEmbeddings.value
        // Long and short texts mixed, in reverse order, in batches of at most 300 tokens.
        let chosen = [31, 0, 16, 28, 3, 10, 22, 5]
        let vectors = try await small.embed(chosen.map { items[$0].text })
        for (index, vector) in zip(chosen, vectors) {
            #expect(MiniLMFixtures.cosine(vector, singles[index]) >= 0.99999, "\(items[index].name)")
        }
    }

    @Test func embeddingsHaveUnitLength() async throws {
        let embedder = try MiniLMFixtures.loadedEmbedder()
        let vectors = try await embedder.embed(["hello world", "", String(repeating: "lift drag ", count: 300), "🚀"])
        for vector in vectors {
            #expect(vector.count == 384)
            let norm = vector.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(abs(norm - 1) < 1e-5)
        }
    }

    @Test func emptyTextIsTheEmbeddingOfClassifierAndSeparator() async throws {
        let embedder = try MiniLMFixtures.loadedEmbedder()
        let golden = try MiniLMFixtures.goldenItem(named: "empty")
        #expect(golden.tokens == ["[CLS]", "[SEP]"])
        let vector = try await embedder.embed([""])[0]
        #expect(MiniLMFixtures.cosine(vector, golden.embedding) >= 0.9999)
    }

    @Test func noTextsGiveNoVectors() async throws {
        #expect(try await MiniLMFixtures.loadedEmbedder().embed([]).isEmpty)
    }

    @Test func concurrentCallsGiveTheSameVectors() async throws {
        let embedder = try MiniLMFixtures.loadedEmbedder()
        let texts = ["wing lift at high speed", "boundary layer transition", "heat transfer in hypersonic flow"]
        let expected = try await embedder.embed(texts)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let vectors = try await embedder.embed(texts)
                    for (vector, reference) in zip(vectors, expected) {
                        #expect(MiniLMFixtures.cosine(vector, reference) >= 0.99999)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func aMissingModelFolderIsReported() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("lore-no-model-\(UUID().uuidString)")
        #expect {
            try MiniLMEmbedder(modelDirectory: missing)
        } throws: { error in
            if case VectorError.modelUnavailable = error { return true }
            return false
        }
    }
}
