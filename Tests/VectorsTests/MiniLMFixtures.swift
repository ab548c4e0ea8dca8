import Foundation
import Testing
@testable import Vectors

/// Where the MiniLM tests find the model and the golden file, and the shared loaded embedder.
///
/// The model comes from `LORE_MODEL_DIR`, else `<package root>/models/all-MiniLM-L6-v2` (the
/// test script fetches it first); the golden file from `<package root>/../shared/data`. Both are
/// required: a missing file fails the tests rather than skipping them.
enum MiniLMFixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var modelDirectory: URL {
        if let path = ProcessInfo.processInfo.environment["LORE_MODEL_DIR"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return packageRoot.appendingPathComponent("models/all-MiniLM-L6-v2")
    }

    static let goldenURL = packageRoot.appendingPathComponent("../shared/data/minilm-golden.json").standardizedFileURL

    /// The embedder, loaded once for all tests (loading reads ~90 MB).
    static let embedder: Result<MiniLMEmbedder, any Error> = Result {
        try MiniLMEmbedder(modelDirectory: modelDirectory)
    }

    static let golden: Result<GoldenFile, any Error> = Result {
        try JSONDecoder().decode(GoldenFile.self, from: Data(contentsOf: goldenURL))
    }

    /// The golden texts embedded one at a time, computed once and shared by the tests that
    /// compare against them (a debug build encodes about 100 tokens a second).
    static let singleEmbeddings = Task<[[Float]], any Error> {
        let embedder = try loadedEmbedder()
        var vectors: [[Float]] = []
        for item in try goldenItems() {
            vectors.append(try await embedder.embed([item.text])[0])
        }
        return vectors
    }

    static func loadedEmbedder() throws -> MiniLMEmbedder {
        try embedder.get()
    }

    static func goldenItems() throws -> [GoldenFile.Item] {
        try golden.get().items
    }

    /// The golden items' names, for parameterised tests (empty if the file is missing, which
    /// `goldenFileIsPresent` then reports as a failure).
    static var goldenNames: [String] {
        (try? goldenItems().map(\.name)) ?? []
    }

    static func goldenItem(named name: String) throws -> GoldenFile.Item {
        try #require(goldenItems().first { $0.name == name })
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, normA = 0.0, normB = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            normA += Double(x) * Double(x)
            normB += Double(y) * Double(y)
        }
        return dot / (normA.squareRoot() * normB.squareRoot())
    }
}

/// `minilm-golden.json`: texts with the reference token ids and embeddings.
struct GoldenFile: Decodable {
    struct Item: Decodable {
        let name: String
        let text: String
        let tokens: [String]
        let tokenIDs: [Int32]
        let embedding: [Float]
        let nTokensUntruncated: Int

        enum CodingKeys: String, CodingKey {
            case name, text, tokens, embedding
            case tokenIDs = "token_ids"
            case nTokensUntruncated = "n_tokens_untruncated"
        }
    }

    let items: [Item]
}

@Suite struct MiniLMFixtureTests {
    @Test func modelAndGoldenFileArePresent() throws {
        _ = try MiniLMFixtures.loadedEmbedder()
        #expect(try MiniLMFixtures.goldenItems().count == 32)
    }
}
