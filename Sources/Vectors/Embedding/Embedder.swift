/// Turns texts into L2-normalised vectors whose dot product is their cosine similarity.
///
/// Three implementations: `MiniLMEmbedder` (all-MiniLM-L6-v2 run natively over BLAS),
/// `HTTPEmbedder` (any OpenAI-compatible `/v1/embeddings` server), and none at all (the search
/// falls back to full text).
public protocol Embedder: Sendable {
    /// Identifies the model; stored with every vector so a model change makes old vectors stale.
    var modelID: String { get }
    /// The length of every vector.
    var dimension: Int { get }
    /// The most tokens one input may have; longer inputs are truncated.
    var maximumTokens: Int { get }
    /// Embeds `texts` in order; each result has `dimension` elements and unit length.
    func embed(_ texts: [String]) async throws -> [[Float]]
    /// The number of tokens `text` takes, when the embedder can count them exactly.
    func tokenCount(_ text: String) -> Int?
}
