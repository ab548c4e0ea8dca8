/// The scratch matrices of one forward pass, allocated once per batch and reused by every layer.
///
/// Sizes follow the batch: `tokenCount` rows (all sequences packed end to end, no padding) and
/// one `longest × longest` attention-score matrix. For 8,192 tokens of MiniLM-L6 that is about
/// 100 MB, mostly the feed-forward activations. Not thread-safe: one workspace per forward pass.
final class BertWorkspace {
    /// The token vectors, `[tokens, hidden]`, updated in place by each layer.
    let hidden: UnsafeMutablePointer<Float>
    /// Queries, keys and values side by side, `[tokens, 3·hidden]`.
    let queryKeyValue: UnsafeMutablePointer<Float>
    /// The attention output before its projection, `[tokens, hidden]`.
    let context: UnsafeMutablePointer<Float>
    /// The feed-forward activations, `[tokens, intermediate]`.
    let intermediate: UnsafeMutablePointer<Float>
    /// One head's attention scores, `[longest, longest]`, for BLAS attention.
    let scores: UnsafeMutablePointer<Float>
    /// Per-worker scratch of the fused attention kernel, `attentionScratchCount` floats each.
    let attentionScratch: UnsafeMutablePointer<Float>
    /// The floats of `attentionScratch` that belong to one worker.
    let attentionScratchCount: Int

    /// Allocates the matrices for `tokenCount` packed tokens whose longest sequence has
    /// `longest` tokens, with attention scratch for `workers` threads.
    init(configuration: BertConfiguration, tokenCount: Int, longest: Int, workers: Int) {
        let hiddenSize = configuration.hiddenSize
        let sizes = [tokenCount * hiddenSize, tokenCount * hiddenSize * 3, tokenCount * hiddenSize,
                     tokenCount * configuration.intermediateSize, longest * longest]
        attentionScratchCount = BertAttentionKernel.scratchCount(length: longest)
        attentionScratch = .allocate(capacity: attentionScratchCount * max(workers, 1))
        let buffers = sizes.map { UnsafeMutablePointer<Float>.allocate(capacity: max($0, 1)) }
        hidden = buffers[0]
        queryKeyValue = buffers[1]
        context = buffers[2]
        intermediate = buffers[3]
        scores = buffers[4]
    }

    deinit {
        for buffer in [hidden, queryKeyValue, context, intermediate, scores, attentionScratch] {
            buffer.deallocate()
        }
    }
}
