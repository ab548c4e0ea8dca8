import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The `openai` embedder: any server that speaks OpenAI's `POST /v1/embeddings` (OpenAI,
/// Ollama, text-embeddings-inference, vLLM, …).
///
/// Inputs are sent in batches of `batchSize`; each request has a timeout, and rate limits (429),
/// server errors (5xx) and transport failures are retried with exponential backoff (0.5, 1, 2 s …)
/// up to `maximumRetries` times. Other 4xx answers fail at once. Vectors are L2-normalised on
/// arrival, so any server's output is usable for cosine similarity.
public struct HTTPEmbedder: Embedder {
    public struct Configuration: Sendable {
        /// The API root, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`.
        public var baseURL: String
        public var apiKey: String?
        public var model: String
        public var batchSize = 64
        public var timeout: Duration = .seconds(30)
        public var maximumRetries = 3
        public var maximumTokens = 512

        public init(baseURL: String, apiKey: String?, model: String) {
            self.baseURL = baseURL
            self.apiKey = apiKey
            self.model = model
        }
    }

    public let configuration: Configuration
    public let dimension: Int
    public var modelID: String { "openai:\(configuration.model)" }
    public var maximumTokens: Int { configuration.maximumTokens }
    let client: HTTPClient

    /// Connects to the server and learns the vector dimension from one probe request.
    public static func connect(_ configuration: Configuration, client: HTTPClient = .shared) async throws -> HTTPEmbedder {
        let probe = HTTPEmbedder(configuration: configuration, dimension: 0, client: client)
        guard let vector = try await probe.request(["dimension probe"]).first, !vector.isEmpty else {
            throw VectorError.embedderFailed(reason: "the server returned no vector", retryable: false)
        }
        return HTTPEmbedder(configuration: configuration, dimension: vector.count, client: client)
    }

    init(configuration: Configuration, dimension: Int, client: HTTPClient) {
        self.configuration = configuration
        self.dimension = dimension
        self.client = client
    }

    public func tokenCount(_ text: String) -> Int? { nil }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        for start in stride(from: 0, to: texts.count, by: configuration.batchSize) {
            let batch = Array(texts[start..<min(start + configuration.batchSize, texts.count)])
            let embedded = try await request(batch)
            if dimension > 0, let wrong = embedded.first(where: { $0.count != dimension }) {
                throw VectorError.dimensionMismatch(expected: dimension, actual: wrong.count)
            }
            vectors += embedded
        }
        return vectors
    }

    struct RequestBody: Encodable {
        var model: String
        var input: [String]
    }

    struct ResponseBody: Decodable {
        struct Item: Decodable {
            var index: Int
            var embedding: [Float]
        }

        var data: [Item]
    }

    /// One `/embeddings` call with retries; the vectors in input order, normalised.
    func request(_ inputs: [String]) async throws -> [[Float]] {
        var attempt = 0
        while true {
            do {
                return try await send(inputs)
            } catch let error as VectorError {
                guard case .embedderFailed(_, let retryable) = error, retryable, attempt < configuration.maximumRetries else { throw error }
            } catch {
                guard attempt < configuration.maximumRetries else {
                    throw VectorError.embedderFailed(reason: "\(error)", retryable: true)
                }
            }
            attempt += 1
            try await Task.sleep(for: .milliseconds(250 << attempt))
        }
    }

    private func send(_ inputs: [String]) async throws -> [[Float]] {
        let url = configuration.baseURL.hasSuffix("/") ? configuration.baseURL + "embeddings" : configuration.baseURL + "/embeddings"
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let key = configuration.apiKey, !key.isEmpty {
            request.headers.add(name: "Authorization", value: "Bearer \(key)")
        }
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(RequestBody(model: configuration.model, input: inputs))))
        let seconds = configuration.timeout.components.seconds
        let response = try await client.execute(request, timeout: .seconds(seconds))
        let body = try await response.body.collect(upTo: 256 << 20)
        switch response.status.code {
        case 200..<300:
            break
        case 429, 500..<600:
            throw VectorError.embedderFailed(reason: "the embedding server answered \(response.status.code)", retryable: true)
        default:
            throw VectorError.embedderFailed(
                reason: "the embedding server answered \(response.status.code): \(String(buffer: body).prefix(200))", retryable: false)
        }
        let decoded: ResponseBody
        do {
            decoded = try JSONDecoder().decode(ResponseBody.self, from: Data(body.readableBytesView))
        } catch {
            throw VectorError.embedderFailed(reason: "the embedding server's answer is not an embeddings response", retryable: false)
        }
        guard decoded.data.count == inputs.count else {
            throw VectorError.embedderFailed(reason: "asked for \(inputs.count) vectors, got \(decoded.data.count)", retryable: false)
        }
        return decoded.data.sorted { $0.index < $1.index }.map { Self.normalized($0.embedding) }
    }

    static func normalized(_ vector: [Float]) -> [Float] {
        let norm = vector.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? vector.map { $0 / norm } : vector
    }
}
