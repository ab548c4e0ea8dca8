/// The parameters of a BERT encoder, copied out of a safetensors file into contiguous arrays.
///
/// Linear layers keep PyTorch's `[out, in]` row-major layout: the encoder multiplies by their
/// transpose with `cblas_sgemm(…, CblasTrans, …)`, so no copy is transposed. The query, key and
/// value projections of each layer are stacked into one `[3·hidden, hidden]` matrix so that one
/// product computes all three. Tensor names may carry a `bert.` prefix (BertModel checkpoints).
struct BertWeights: Sendable {
    /// The parameters of one transformer layer.
    struct Layer: Sendable {
        /// Query, key and value weights stacked row-wise: `[3·hidden, hidden]`.
        let queryKeyValueWeight: [Float]
        /// Query, key and value biases, concatenated: `[3·hidden]`.
        let queryKeyValueBias: [Float]
        /// The attention output projection, `[hidden, hidden]`.
        let attentionOutputWeight: [Float]
        /// The attention output projection's bias, `[hidden]`.
        let attentionOutputBias: [Float]
        /// The scale of the LayerNorm after attention, `[hidden]`.
        let attentionNormGamma: [Float]
        /// The shift of the LayerNorm after attention, `[hidden]`.
        let attentionNormBeta: [Float]
        /// The feed-forward expansion, `[intermediate, hidden]`.
        let intermediateWeight: [Float]
        /// The feed-forward expansion's bias, `[intermediate]`.
        let intermediateBias: [Float]
        /// The feed-forward contraction, `[hidden, intermediate]`.
        let outputWeight: [Float]
        /// The feed-forward contraction's bias, `[hidden]`.
        let outputBias: [Float]
        /// The scale of the LayerNorm after the feed-forward block, `[hidden]`.
        let outputNormGamma: [Float]
        /// The shift of the LayerNorm after the feed-forward block, `[hidden]`.
        let outputNormBeta: [Float]
    }

    /// The sizes the weights were checked against.
    let configuration: BertConfiguration
    /// Word embeddings, `[vocabulary, hidden]`.
    let wordEmbeddings: [Float]
    /// Position embeddings, `[positions, hidden]`.
    let positionEmbeddings: [Float]
    /// Token-type embeddings, `[types, hidden]`; every input here is type 0.
    let tokenTypeEmbeddings: [Float]
    /// The scale of the LayerNorm over the summed embeddings, `[hidden]`.
    let embeddingNormGamma: [Float]
    /// The shift of the LayerNorm over the summed embeddings, `[hidden]`.
    let embeddingNormBeta: [Float]
    /// The transformer layers, bottom first.
    let layers: [Layer]

    /// Reads and checks every tensor the encoder needs.
    ///
    /// - Throws: `VectorError.missingTensor`, `.tensorShapeMismatch` or `.unsupportedTensorType`
    ///   when the file does not hold a BERT of `configuration`'s sizes in `F32`.
    init(_ file: SafeTensors, configuration: BertConfiguration) throws {
        let prefix = file.tensors["embeddings.word_embeddings.weight"] == nil
            && file.tensors["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
        func tensor(_ name: String, _ shape: [Int]) throws -> [Float] {
            try file.floats(prefix + name, shape: shape)
        }
        let hidden = configuration.hiddenSize
        let intermediate = configuration.intermediateSize
        self.configuration = configuration
        wordEmbeddings = try tensor("embeddings.word_embeddings.weight", [configuration.vocabularySize, hidden])
        positionEmbeddings = try tensor("embeddings.position_embeddings.weight", [configuration.maximumPositions, hidden])
        tokenTypeEmbeddings = try tensor("embeddings.token_type_embeddings.weight", [configuration.tokenTypeCount, hidden])
        embeddingNormGamma = try tensor("embeddings.LayerNorm.weight", [hidden])
        embeddingNormBeta = try tensor("embeddings.LayerNorm.bias", [hidden])
        layers = try (0..<configuration.layerCount).map { index in
            let name = "encoder.layer.\(index)."
            let attention = name + "attention."
            return Layer(
                queryKeyValueWeight: try ["query", "key", "value"].flatMap {
                    try tensor(attention + "self.\($0).weight", [hidden, hidden])
                },
                queryKeyValueBias: try ["query", "key", "value"].flatMap {
                    try tensor(attention + "self.\($0).bias", [hidden])
                },
                attentionOutputWeight: try tensor(attention + "output.dense.weight", [hidden, hidden]),
                attentionOutputBias: try tensor(attention + "output.dense.bias", [hidden]),
                attentionNormGamma: try tensor(attention + "output.LayerNorm.weight", [hidden]),
                attentionNormBeta: try tensor(attention + "output.LayerNorm.bias", [hidden]),
                intermediateWeight: try tensor(name + "intermediate.dense.weight", [intermediate, hidden]),
                intermediateBias: try tensor(name + "intermediate.dense.bias", [intermediate]),
                outputWeight: try tensor(name + "output.dense.weight", [hidden, intermediate]),
                outputBias: try tensor(name + "output.dense.bias", [hidden]),
                outputNormGamma: try tensor(name + "output.LayerNorm.weight", [hidden]),
                outputNormBeta: try tensor(name + "output.LayerNorm.bias", [hidden]))
        }
    }
}
