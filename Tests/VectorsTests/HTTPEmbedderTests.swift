import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
@testable import Vectors

/// A real HTTP server that speaks OpenAI's `/v1/embeddings`, with deterministic vectors and
/// scripted failures.
final class FakeEmbeddingServer: Sendable {
    let requests = Mutex(0)
    /// Status codes to answer before succeeding, in order.
    let failures: Mutex<[Int]>

    init(failures: [Int] = []) {
        self.failures = Mutex(failures)
    }

    struct Input: Decodable {
        var model: String
        var input: [String]
    }

    /// A vector derived from the text: the counts of its letters a–h, unnormalised.
    static func vector(for text: String) -> [Float] {
        var vector = [Float](repeating: 0.5, count: 8)
        for scalar in text.lowercased().unicodeScalars where ("a"..."h").contains(scalar) {
            vector[Int(scalar.value - 97)] += 1
        }
        return vector
    }

    func makeApplication() -> some ApplicationProtocol {
        let router = Router()
        router.post("v1/embeddings") { request, context -> Response in
            self.requests.withLock { $0 += 1 }
            if let status = self.failures.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
                return Response(status: .init(code: status))
            }
            guard request.headers[.authorization] == "Bearer secret-key" else { return Response(status: .unauthorized) }
            let input = try await request.decode(as: Input.self, context: context)
            // Answer out of order: clients must sort by index.
            let items = input.input.enumerated().reversed().map { index, text in
                "{\"object\": \"embedding\", \"index\": \(index), \"embedding\": \(Self.vector(for: text))}"
            }
            let body = "{\"object\": \"list\", \"model\": \"\(input.model)\", \"data\": [\(items.joined(separator: ","))]}"
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }
}

@Suite("OpenAI-compatible embedder")
struct HTTPEmbedderTests {
    func configuration(port: Int) -> HTTPEmbedder.Configuration {
        var configuration = HTTPEmbedder.Configuration(baseURL: "http://127.0.0.1:\(port)/v1", apiKey: "secret-key", model: "fake-embed")
        configuration.batchSize = 3
        configuration.timeout = .seconds(5)
        return configuration
    }

    @Test func embedsInBatchesInOrderAndNormalised() async throws {
        let server = FakeEmbeddingServer()
        try await server.makeApplication().test(.live) { client in
            let embedder = try await HTTPEmbedder.connect(configuration(port: client.port!))
            #expect(embedder.dimension == 8 && embedder.modelID == "openai:fake-embed")
            let texts = ["aaa", "bbb", "ccc", "abc", "hhh", "ggg", "a"]
            let vectors = try await embedder.embed(texts)
            #expect(vectors.count == texts.count)
            for (text, vector) in zip(texts, vectors) {
                let expected = HTTPEmbedder.normalized(FakeEmbeddingServer.vector(for: text))
                #expect(zip(vector, expected).allSatisfy { abs($0 - $1) < 1e-6 }, "\(text)")
                #expect(abs(vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
            }
            #expect(server.requests.withLock { $0 } == 1 + 3, "a probe, then batches of 3")
        }
    }

    @Test func retriesRateLimitsAndServerErrors() async throws {
        let server = FakeEmbeddingServer(failures: [429, 503])
        try await server.makeApplication().test(.live) { client in
            let embedder = try await HTTPEmbedder.connect(configuration(port: client.port!))
            #expect(try await embedder.embed(["abc"]).count == 1)
            #expect(server.requests.withLock { $0 } == 4)
        }
    }

    @Test func clientErrorsFailAtOnce() async throws {
        let server = FakeEmbeddingServer()
        try await server.makeApplication().test(.live) { client in
            var wrongKey = configuration(port: client.port!)
            wrongKey.apiKey = "wrong"
            await #expect(throws: VectorError.self) { try await HTTPEmbedder.connect(wrongKey) }
            #expect(server.requests.withLock { $0 } == 1, "a 401 is not retried")
        }
    }

    @Test func anUnreachableServerIsAnError() async throws {
        var configuration = configuration(port: 9)
        configuration.maximumRetries = 1
        await #expect(throws: VectorError.self) { try await HTTPEmbedder.connect(configuration) }
    }
}
