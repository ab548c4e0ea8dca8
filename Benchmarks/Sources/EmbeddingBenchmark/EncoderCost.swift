import Vectors

/// The matrix-product FLOPs of one BERT forward pass, to compare achieved speed with sgemm's peak.
///
/// Per token and layer: the Q, K and V projections (2·3·h²), the attention scores and the
/// weighted sum of values (2·L·h each, over all heads), the output projection (2·h²) and the
/// feed-forward pair (2·2·h·i). Elementwise work (softmax, GELU, LayerNorm) is not counted.
struct EncoderCost {
    let configuration: BertConfiguration

    /// FLOPs to encode one sequence of `length` tokens.
    func flops(length: Int) -> Double {
        let h = Double(configuration.hiddenSize)
        let i = Double(configuration.intermediateSize)
        let l = Double(length)
        let projections = 2 * (3 * h * h + h * h + 2 * h * i)
        let attention = 2 * 2 * l * h
        return Double(configuration.layerCount) * l * (projections + attention)
    }
}
