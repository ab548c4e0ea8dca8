import Foundation

/// The sizes of a BERT encoder, read from a model folder's `config.json`, and the sequence
/// length it is used with, read from `sentence_bert_config.json`.
///
/// The sequence length deliberately does not come from `tokenizer.json`, which for
/// all-MiniLM-L6-v2 says 128 while the model was trained and evaluated at 256.
public struct BertConfiguration: Sendable, Hashable {
    /// The width of every token vector (384 for MiniLM-L6).
    public var hiddenSize: Int
    /// The number of transformer layers.
    public var layerCount: Int
    /// The number of attention heads; divides `hiddenSize`.
    public var headCount: Int
    /// The width of the feed-forward layer.
    public var intermediateSize: Int
    /// The number of rows of the word-embedding table.
    public var vocabularySize: Int
    /// The number of learned positions; bounds `maximumSequenceLength`.
    public var maximumPositions: Int
    /// The number of token types (segments).
    public var tokenTypeCount: Int
    /// The epsilon added to the variance in every LayerNorm.
    public var layerNormEpsilon: Float
    /// The most tokens one input may have, `[CLS]` and `[SEP]` included.
    public var maximumSequenceLength: Int

    /// The width of one attention head.
    public var headSize: Int { hiddenSize / headCount }

    /// Creates a configuration from explicit sizes.
    public init(
        hiddenSize: Int, layerCount: Int, headCount: Int, intermediateSize: Int, vocabularySize: Int,
        maximumPositions: Int, tokenTypeCount: Int, layerNormEpsilon: Float, maximumSequenceLength: Int
    ) {
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.vocabularySize = vocabularySize
        self.maximumPositions = maximumPositions
        self.tokenTypeCount = tokenTypeCount
        self.layerNormEpsilon = layerNormEpsilon
        self.maximumSequenceLength = maximumSequenceLength
    }

    /// Reads `config.json` and `sentence_bert_config.json` (when present; else the sequence
    /// length is `max_position_embeddings`) from `directory`.
    ///
    /// - Throws: `VectorError.modelUnavailable` when `config.json` cannot be read;
    ///   `VectorError.malformedModel` when it is not a BERT with exact GELU and consistent sizes.
    public init(modelDirectory directory: URL) throws {
        let config: ConfigFile = try Self.decode(directory.appendingPathComponent("config.json"))
        var sequenceLength = config.maxPositionEmbeddings
        let sentenceConfigURL = directory.appendingPathComponent("sentence_bert_config.json")
        if FileManager.default.fileExists(atPath: sentenceConfigURL.path) {
            let sentenceConfig: SentenceConfigFile = try Self.decode(sentenceConfigURL)
            sequenceLength = sentenceConfig.maxSeqLength
        }
        guard config.modelType == nil || config.modelType == "bert" else {
            throw VectorError.malformedModel(reason: "model_type \(config.modelType ?? "") is not bert")
        }
        // The tanh approximation ("gelu_new") moves embeddings by ~5e-4: only exact GELU is supported.
        guard config.hiddenAct == "gelu" else {
            throw VectorError.malformedModel(reason: "hidden_act \(config.hiddenAct) is not the exact gelu")
        }
        self.init(
            hiddenSize: config.hiddenSize, layerCount: config.numHiddenLayers, headCount: config.numAttentionHeads,
            intermediateSize: config.intermediateSize, vocabularySize: config.vocabSize,
            maximumPositions: config.maxPositionEmbeddings, tokenTypeCount: config.typeVocabSize,
            layerNormEpsilon: config.layerNormEps ?? 1e-12, maximumSequenceLength: sequenceLength)
        try validate()
    }

    /// Checks that the sizes are positive and fit together.
    ///
    /// - Throws: `VectorError.malformedModel` naming the first inconsistency.
    public func validate() throws {
        let sizes = [hiddenSize, layerCount, headCount, intermediateSize, vocabularySize, maximumPositions, tokenTypeCount]
        guard sizes.allSatisfy({ $0 > 0 }) else {
            throw VectorError.malformedModel(reason: "config.json has a size that is not positive")
        }
        guard hiddenSize % headCount == 0 else {
            throw VectorError.malformedModel(reason: "hidden_size \(hiddenSize) is not a multiple of \(headCount) heads")
        }
        guard maximumSequenceLength > 2, maximumSequenceLength <= maximumPositions else {
            throw VectorError.malformedModel(
                reason: "max_seq_length \(maximumSequenceLength) is outside 3...\(maximumPositions)")
        }
    }

    private static func decode<Value: Decodable>(_ url: URL) throws -> Value {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw VectorError.modelUnavailable(path: url.path, reason: "\(error)")
        }
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return try decoder.decode(Value.self, from: data)
        } catch {
            throw VectorError.malformedModel(reason: "\(url.lastPathComponent): \(error)")
        }
    }

    private struct ConfigFile: Decodable {
        var modelType: String?
        var hiddenAct: String
        var hiddenSize: Int
        var numHiddenLayers: Int
        var numAttentionHeads: Int
        var intermediateSize: Int
        var vocabSize: Int
        var maxPositionEmbeddings: Int
        var typeVocabSize: Int
        var layerNormEps: Float?
    }

    private struct SentenceConfigFile: Decodable {
        var maxSeqLength: Int
    }
}
