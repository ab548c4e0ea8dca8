import Dispatch
import Foundation
import Synchronization

/// The `builtin` embedder: all-MiniLM-L6-v2 run natively over BLAS — WordPiece tokens, a
/// 6-layer BERT, mean pooling and L2 normalisation — giving the same 384-dimensional vectors as
/// sentence-transformers (cosine ≥ 0.9999 on the golden file).
///
/// Concurrency: `embed(_:)` tokenizes on the caller's task, then runs the encoder on one of
/// `lanes` private serial dispatch queues (one per core by default), never on Swift's cooperative
/// pool, whose few threads must stay free for I/O while a batch computes for seconds. Up to
/// `lanes` batches run at once — a search's query batch need not wait behind the embedding
/// worker's; each batch uses as many cores as OpenBLAS is allowed (`BLASInfo.setThreadCount`).
/// Cancellation is checked between batches. Memory: ~90 MB of weights, plus a scratch of about
/// 14 KB per token of the batch being encoded (~57 MB at the default 4,096-token batches).
public final class MiniLMEmbedder: Embedder {
    /// `"all-MiniLM-L6-v2"`.
    public let modelID = "all-MiniLM-L6-v2"
    /// The tokenizer, with the model's vocabulary and its 256-token limit.
    public let tokenizer: WordPieceTokenizer
    /// The encoder's sizes, from `config.json` and `sentence_bert_config.json`.
    public let configuration: BertConfiguration
    /// The most tokens encoded in one BLAS batch (sequences are never split across batches).
    public let maximumBatchTokens: Int
    private let encoder: BertEncoder
    private let lanes: EncoderLanes

    /// The length of every vector (384).
    public var dimension: Int { configuration.hiddenSize }
    /// The most tokens one input may have, `[CLS]` and `[SEP]` included (256); the first 254
    /// word pieces of a longer text are kept.
    public var maximumTokens: Int { configuration.maximumSequenceLength }

    /// Loads the model from a folder holding `config.json`, `vocab.txt` and `model.safetensors`
    /// (and `sentence_bert_config.json`, whose `max_seq_length` sets the token limit;
    /// `tokenizer.json`'s 128-token truncation is deliberately ignored).
    ///
    /// - Parameter maximumBatchTokens: how many tokens one BLAS batch may hold; larger batches
    ///   use more memory (~14 KB per token) for little extra speed beyond a few thousand.
    /// - Throws: `VectorError.modelUnavailable` when a file is missing or unreadable,
    ///   `.malformedModel`, `.missingTensor`, `.tensorShapeMismatch` or `.unsupportedTensorType`
    ///   when the files do not describe a BERT encoder.
    public init(modelDirectory: URL, maximumBatchTokens: Int = 4096, lanes: Int? = nil) throws {
        let configuration = try BertConfiguration(modelDirectory: modelDirectory)
        let vocabulary = try WordPieceVocabulary(contentsOf: modelDirectory.appendingPathComponent("vocab.txt"))
        guard vocabulary.count <= configuration.vocabularySize else {
            throw VectorError.malformedModel(
                reason: "vocab.txt has \(vocabulary.count) tokens for \(configuration.vocabularySize) embeddings")
        }
        let weights = try BertWeights(
            SafeTensors(contentsOf: modelDirectory.appendingPathComponent("model.safetensors")),
            configuration: configuration)
        self.configuration = configuration
        self.tokenizer = try WordPieceTokenizer(vocabulary: vocabulary, maximumTokens: configuration.maximumSequenceLength)
        self.encoder = BertEncoder(weights: weights)
        self.maximumBatchTokens = max(maximumBatchTokens, configuration.maximumSequenceLength)
        self.lanes = EncoderLanes(count: max(1, lanes ?? ProcessInfo.processInfo.activeProcessorCount))
    }

    /// Embeds `texts` in order: one unit vector of 384 floats each. An empty text gives the
    /// embedding of `[CLS] [SEP]`; an empty array gives an empty array.
    ///
    /// - Throws: `CancellationError` when the task is cancelled between batches.
    public func embed(_ texts: [String]) async throws -> [[Float]] {
        let sequences = texts.map(tokenizer.encode)
        var results: [[Float]] = []
        results.reserveCapacity(sequences.count)
        for batch in batches(of: sequences) {
            try Task.checkCancellation()
            let batchSequences = Array(sequences[batch])
            let encoder = self.encoder
            let vectors = await lanes.run { encoder.embeddings(of: batchSequences) }
            results.append(contentsOf: vectors)
        }
        return results
    }

    /// The number of tokens `text` takes, `[CLS]` and `[SEP]` included and before truncation:
    /// the text is embedded whole exactly when this is at most `maximumTokens`.
    ///
    /// Word-piece counts add up over paragraphs (plus 2 per call for the special tokens); use
    /// `tokenizer.wordPieceCount(_:)` to count without them.
    public func tokenCount(_ text: String) -> Int? {
        tokenizer.wordPieceCount(text) + WordPieceTokenizer.specialTokenCount
    }

    /// Consecutive runs of `sequences` holding at most `maximumBatchTokens` tokens in all.
    private func batches(of sequences: [[Int32]]) -> [Range<Int>] {
        var batches: [Range<Int>] = []
        var start = 0
        var tokens = 0
        for (index, sequence) in sequences.enumerated() {
            if tokens + sequence.count > maximumBatchTokens && index > start {
                batches.append(start..<index)
                start = index
                tokens = 0
            }
            tokens += sequence.count
        }
        if start < sequences.count { batches.append(start..<sequences.count) }
        return batches
    }
}

/// Serial dispatch queues that encoder batches run on, each taken by one batch at a time.
final class EncoderLanes: Sendable {
    private let queues: [DispatchQueue]
    private let free: Mutex<(lanes: [Int], waiting: [CheckedContinuation<Int, Never>])>

    init(count: Int) {
        queues = (0..<count).map { DispatchQueue(label: "lore.vectors.minilm.\($0)", qos: .userInitiated) }
        free = Mutex((Array(0..<count), []))
    }

    /// Runs `work` on a free lane (waiting for one, in arrival order) and returns its result.
    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        let lane = await withCheckedContinuation { (continuation: CheckedContinuation<Int, Never>) in
            let lane: Int? = free.withLock { state in
                if let lane = state.lanes.popLast() { return lane }
                state.waiting.append(continuation)
                return nil
            }
            if let lane { continuation.resume(returning: lane) }
        }
        let result = await withCheckedContinuation { continuation in
            queues[lane].async { continuation.resume(returning: work()) }
        }
        let next: CheckedContinuation<Int, Never>? = free.withLock { state in
            if state.waiting.isEmpty {
                state.lanes.append(lane)
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume(returning: lane)
        return result
    }
}
