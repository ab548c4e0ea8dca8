import Foundation

/// Which embedder to run, from `LORE_EMBEDDER` and its companion settings (SPEC §6).
public struct EmbedderSettings: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case builtin, openai, none
    }

    public var kind: Kind
    /// `LORE_MODEL_DIR` (default `models/all-MiniLM-L6-v2`).
    public var modelDirectory: String
    public var openAIBaseURL: String?
    public var openAIAPIKey: String?
    public var openAIModel: String?
    /// `LORE_QUERY_CACHE_SIZE`: query embeddings kept in memory (default 10,000; 0 turns the
    /// cache off).
    public var queryCacheEntries = 10_000
    /// `LORE_QUERY_ENCODERS`: query batches that may run at once (default: the active cores).
    public var queryEncoders: Int?

    /// Reads `LORE_EMBEDDER` (default `builtin`), `LORE_MODEL_DIR`, `LORE_OPENAI_BASE_URL`,
    /// `LORE_OPENAI_API_KEY`, `LORE_OPENAI_MODEL`; an unknown kind is an error.
    public init(environment: [String: String]) throws {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let name = value("LORE_EMBEDDER") ?? "builtin"
        guard let kind = Kind(rawValue: name.lowercased()) else {
            throw VectorError.embedderFailed(reason: "LORE_EMBEDDER must be builtin, openai or none (got '\(name)')", retryable: false)
        }
        self.kind = kind
        modelDirectory = value("LORE_MODEL_DIR") ?? Self.defaultModelDirectory()
        openAIBaseURL = value("LORE_OPENAI_BASE_URL")
        openAIAPIKey = value("LORE_OPENAI_API_KEY")
        openAIModel = value("LORE_OPENAI_MODEL")
        if let text = value("LORE_QUERY_CACHE_SIZE") {
            guard let entries = Int(text), (0...10_000_000).contains(entries) else {
                throw VectorError.embedderFailed(reason: "LORE_QUERY_CACHE_SIZE must be 0 (off) to 10000000 entries (got '\(text)')", retryable: false)
            }
            queryCacheEntries = entries
        }
        if let text = value("LORE_QUERY_ENCODERS") {
            guard let encoders = Int(text), (1...256).contains(encoders) else {
                throw VectorError.embedderFailed(reason: "LORE_QUERY_ENCODERS must be 1 to 256 (got '\(text)')", retryable: false)
            }
            queryEncoders = encoders
        }
    }

    /// `models/all-MiniLM-L6-v2` under the working directory, or else beside the repository the
    /// running `lore` was built in (`<repo>/.build/<config>/lore`), so that `lore` works from
    /// any folder after `scripts/run`.
    static func defaultModelDirectory() -> String {
        let relative = "models/all-MiniLM-L6-v2"
        if FileManager.default.fileExists(atPath: relative) { return relative }
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            folder = folder.deletingLastPathComponent()
            let candidate = folder.appendingPathComponent(relative)
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("model.safetensors").path) {
                return candidate.path
            }
        }
        return relative
    }

    public init(kind: Kind, modelDirectory: String = "models/all-MiniLM-L6-v2") {
        self.kind = kind
        self.modelDirectory = modelDirectory
    }

    /// The configured embedder, or `nil` for `none`. Throws when the model cannot be loaded or
    /// the OpenAI-compatible server is misconfigured or unreachable.
    public func makeEmbedder() async throws -> (any Embedder)? {
        switch kind {
        case .none:
            return nil
        case .builtin:
            return try MiniLMEmbedder(modelDirectory: URL(fileURLWithPath: modelDirectory), lanes: queryEncoders)
        case .openai:
            guard let baseURL = openAIBaseURL else {
                throw VectorError.embedderFailed(reason: "LORE_OPENAI_BASE_URL is required with LORE_EMBEDDER=openai", retryable: false)
            }
            let configuration = HTTPEmbedder.Configuration(
                baseURL: baseURL, apiKey: openAIAPIKey, model: openAIModel ?? "text-embedding-3-small")
            return try await HTTPEmbedder.connect(configuration)
        }
    }
}
