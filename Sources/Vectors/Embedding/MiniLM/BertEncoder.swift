import CBLAS

/// The BERT forward pass with mean pooling: token ids in, one unit vector per sequence out.
///
/// Sequences of a batch are *packed*: their tokens are stacked end to end into one matrix
/// with no padding, so every linear layer (the query/key/value, output and feed-forward
/// projections, ~92% of the FLOPs) is a single `cblas_sgemm` over all tokens of the batch,
/// and attention runs per sequence and head over exactly that sequence's tokens. A token can
/// therefore only attend to tokens of its own sequence — what an attention mask achieves on a
/// padded batch — and no work is spent on padding. Results do not depend on how sequences are
/// batched, up to float rounding in BLAS.
///
/// See [Devlin et al., BERT](https://arxiv.org/abs/1810.04805) and
/// [Reimers & Gurevych, Sentence-BERT](https://arxiv.org/abs/1908.10084) for the pooling.
/// Thread-safe (immutable weights; every call allocates its own workspace). Each call uses as
/// many threads as OpenBLAS is set to: BLAS for the linear layers, Dispatch for attention heads
/// and the row-wise steps.
struct BertEncoder: Sendable {
    /// How attention is computed.
    enum AttentionMethod: Sendable {
        /// `BertAttentionKernel`, heads spread over the encoder's threads; needs 32-wide heads.
        case fused
        /// Two `cblas_sgemm` calls and a softmax per head, one head at a time; any head width.
        case blas
    }

    /// The model's parameters.
    let weights: BertWeights
    /// How attention is computed; `.fused` whenever the head width allows it.
    let attentionMethod: AttentionMethod

    /// The model's sizes.
    var configuration: BertConfiguration { weights.configuration }

    /// Creates an encoder over loaded weights; `attentionMethod` defaults to the fastest that
    /// fits the head width (`.blas` is kept for other widths and for cross-checking in tests).
    init(weights: BertWeights, attentionMethod: AttentionMethod? = nil) {
        self.weights = weights
        let fits = weights.configuration.headSize == BertAttentionKernel.headSize
        self.attentionMethod = fits ? (attentionMethod ?? .fused) : .blas
    }

    /// The mean-pooled, L2-normalised last hidden states of `sequences`, one per sequence.
    ///
    /// Every sequence must be non-empty (it normally starts with `[CLS]` and ends with `[SEP]`),
    /// at most `maximumPositions` long, and hold ids below `vocabularySize`.
    func embeddings(of sequences: [[Int32]]) -> [[Float]] {
        guard !sequences.isEmpty else { return [] }
        precondition(sequences.allSatisfy { sequence in
            !sequence.isEmpty && sequence.count <= configuration.maximumPositions
                && sequence.allSatisfy { $0 >= 0 && Int($0) < configuration.vocabularySize }
        })
        let hiddenSize = configuration.hiddenSize
        var spans: [Span] = []
        var tokenCount = 0
        for sequence in sequences {
            spans.append(Span(offset: tokenCount, length: sequence.count))
            tokenCount += sequence.count
        }
        let workers = max(1, Int(openblas_get_num_threads()))
        let longest = sequences.map(\.count).max() ?? 0
        let workspace = BertWorkspace(configuration: configuration, tokenCount: tokenCount, longest: longest, workers: workers)
        embed(sequences, into: workspace.hidden, workers: workers)
        for layer in weights.layers {
            apply(layer, tokenCount: tokenCount, spans: spans, workspace: workspace, workers: workers)
        }
        return spans.map { span in
            [Float](unsafeUninitializedCapacity: hiddenSize) { buffer, initialized in
                BertKernels.meanPoolAndNormalize(
                    workspace.hidden + span.offset * hiddenSize, rows: span.length, width: hiddenSize,
                    into: buffer.baseAddress!)
                initialized = hiddenSize
            }
        }
    }

    /// Where one sequence's tokens lie among the packed rows.
    struct Span {
        /// The first row.
        let offset: Int
        /// The number of rows.
        let length: Int
    }

    /// Writes LayerNorm(word + position + token type 0) for every packed token into `hidden`.
    private func embed(_ sequences: [[Int32]], into hidden: UnsafeMutablePointer<Float>, workers: Int) {
        let width = configuration.hiddenSize
        weights.wordEmbeddings.withUnsafeBufferPointer { words in
            weights.positionEmbeddings.withUnsafeBufferPointer { positions in
                weights.tokenTypeEmbeddings.withUnsafeBufferPointer { types in
                    var row = hidden
                    for sequence in sequences {
                        for (position, id) in sequence.enumerated() {
                            let word = words.baseAddress! + Int(id) * width
                            let place = positions.baseAddress! + position * width
                            for i in 0..<width { row[i] = word[i] + place[i] + types[i] }
                            row += width
                        }
                    }
                }
            }
        }
        let tokenCount = sequences.reduce(0) { $0 + $1.count }
        Self.layerNorm(hidden, rows: tokenCount, width: width, bias: nil, gamma: weights.embeddingNormGamma,
                       beta: weights.embeddingNormBeta, epsilon: configuration.layerNormEpsilon, workers: workers)
    }

    /// One transformer layer: self-attention and feed-forward, each with a residual LayerNorm.
    private func apply(_ layer: BertWeights.Layer, tokenCount: Int, spans: [Span], workspace: BertWorkspace, workers: Int) {
        let hiddenSize = configuration.hiddenSize
        let intermediateSize = configuration.intermediateSize
        let epsilon = configuration.layerNormEpsilon

        layer.queryKeyValueWeight.withUnsafeBufferPointer { weight in
            layer.queryKeyValueBias.withUnsafeBufferPointer { bias in
                BertKernels.broadcast(bias.baseAddress!, into: workspace.queryKeyValue, rows: tokenCount, width: 3 * hiddenSize)
                Self.multiply(workspace.hidden, rows: tokenCount, byTransposeOf: weight.baseAddress!,
                              outputs: 3 * hiddenSize, inputs: hiddenSize, into: workspace.queryKeyValue, accumulate: true)
            }
        }
        switch attentionMethod {
        case .fused: attendFused(spans, workspace: workspace, workers: workers)
        case .blas: attendWithBLAS(spans, workspace: workspace)
        }
        // The residual connections add into `hidden` in place: sgemm accumulates onto its input.
        layer.attentionOutputWeight.withUnsafeBufferPointer { weight in
            Self.multiply(workspace.context, rows: tokenCount, byTransposeOf: weight.baseAddress!,
                          outputs: hiddenSize, inputs: hiddenSize, into: workspace.hidden, accumulate: true)
        }
        Self.layerNorm(workspace.hidden, rows: tokenCount, width: hiddenSize, bias: layer.attentionOutputBias,
                       gamma: layer.attentionNormGamma, beta: layer.attentionNormBeta, epsilon: epsilon, workers: workers)

        layer.intermediateWeight.withUnsafeBufferPointer { weight in
            Self.multiply(workspace.hidden, rows: tokenCount, byTransposeOf: weight.baseAddress!,
                          outputs: intermediateSize, inputs: hiddenSize, into: workspace.intermediate, accumulate: false)
        }
        layer.intermediateBias.withUnsafeBufferPointer { bias in
            let intermediate = workspace.intermediate
            ParallelRows.forEachRange(of: tokenCount, workers: workers) { rows in
                BertKernels.addBiasGELU(intermediate + rows.lowerBound * intermediateSize, rows: rows.count,
                                        width: intermediateSize, bias: bias.baseAddress!)
            }
        }
        layer.outputWeight.withUnsafeBufferPointer { weight in
            Self.multiply(workspace.intermediate, rows: tokenCount, byTransposeOf: weight.baseAddress!,
                          outputs: hiddenSize, inputs: intermediateSize, into: workspace.hidden, accumulate: true)
        }
        Self.layerNorm(workspace.hidden, rows: tokenCount, width: hiddenSize, bias: layer.outputBias,
                       gamma: layer.outputNormGamma, beta: layer.outputNormBeta, epsilon: epsilon, workers: workers)
    }

    /// Attention with `BertAttentionKernel`, one (sequence, head) pair per work item.
    private func attendFused(_ spans: [Span], workspace: BertWorkspace, workers: Int) {
        let hiddenSize = configuration.hiddenSize
        let headSize = configuration.headSize
        let headCount = configuration.headCount
        let stride = 3 * hiddenSize
        let scale = 1 / Float(headSize).squareRoot()
        ParallelRows.forEachItem(of: spans.count * headCount, workers: workers) { item, worker in
            let span = spans[item / headCount]
            let head = item % headCount
            let query = workspace.queryKeyValue + span.offset * stride + head * headSize
            BertAttentionKernel.attend(
                query: query, key: query + hiddenSize, value: query + 2 * hiddenSize, stride: stride,
                length: span.length, scale: scale,
                output: workspace.context + span.offset * hiddenSize + head * headSize, outputStride: hiddenSize,
                scratch: workspace.attentionScratch + worker * workspace.attentionScratchCount)
        }
    }

    /// Attention with BLAS: softmax(Q·Kᵀ/√d)·V per sequence and head, one head at a time.
    private func attendWithBLAS(_ spans: [Span], workspace: BertWorkspace) {
        let hiddenSize = configuration.hiddenSize
        let headSize = configuration.headSize
        let stride = 3 * hiddenSize
        let scale = 1 / Float(headSize).squareRoot()
        for span in spans {
            let length = span.length
            let rows = workspace.queryKeyValue + span.offset * stride
            for head in 0..<configuration.headCount {
                let query = rows + head * headSize
                let key = query + hiddenSize
                let value = key + hiddenSize
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(length), Int32(length), Int32(headSize),
                            scale, query, Int32(stride), key, Int32(stride), 0, workspace.scores, Int32(length))
                BertKernels.softmaxRows(workspace.scores, rows: length, width: length, stride: length)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(length), Int32(headSize), Int32(length),
                            1, workspace.scores, Int32(length), value, Int32(stride), 0,
                            workspace.context + span.offset * hiddenSize + head * headSize, Int32(hiddenSize))
            }
        }
    }

    /// C = A·Bᵀ (+ C when `accumulate`), with A `[rows, inputs]` and B `[outputs, inputs]`, as a
    /// PyTorch linear layer without its bias.
    private static func multiply(
        _ a: UnsafePointer<Float>, rows: Int, byTransposeOf b: UnsafePointer<Float>, outputs: Int, inputs: Int,
        into c: UnsafeMutablePointer<Float>, accumulate: Bool
    ) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outputs), Int32(inputs),
                    1, a, Int32(inputs), b, Int32(inputs), accumulate ? 1 : 0, c, Int32(outputs))
    }

    private static func layerNorm(
        _ matrix: UnsafeMutablePointer<Float>, rows: Int, width: Int, bias: [Float]?, gamma: [Float], beta: [Float],
        epsilon: Float, workers: Int
    ) {
        gamma.withUnsafeBufferPointer { gamma in
            beta.withUnsafeBufferPointer { beta in
                (bias ?? []).withUnsafeBufferPointer { bias in
                    let biasAddress = bias.isEmpty ? nil : bias.baseAddress
                    ParallelRows.forEachRange(of: rows, workers: workers) { range in
                        BertKernels.addBiasLayerNorm(
                            matrix + range.lowerBound * width, rows: range.count, width: width, bias: biasAddress,
                            gamma: gamma.baseAddress!, beta: beta.baseAddress!, epsilon: epsilon)
                    }
                }
            }
        }
    }
}
