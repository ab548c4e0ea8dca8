import Foundation

/// A chunk waiting for its embedding, with the text to embed.
public struct PendingChunk: Sendable, Equatable {
    public var chunkID: Int64
    public var documentID: UUID
    public var projectID: UUID
    /// The chunk's content hash when it was queued: its vector is stored only if the chunk
    /// still has it.
    public var contentHash: String
    /// The document title (unless the passage already starts with it), heading trail and text.
    public var text: String
    /// Failed attempts so far.
    public var attempts: Int

    /// The most text handed to an embedder for one chunk, in UTF-8 bytes. Models read far less
    /// (all-MiniLM-L6-v2 reads 256 tokens); the cut keeps one word of a megabyte without spaces
    /// from reaching an embeddings server whole.
    public static let maximumTextBytes = 16_384

    /// What the embedder reads for a chunk: title and heading trail give a passage its context.
    static func embeddingText(title: String, heading: String, text: String) -> String {
        var parts: [String] = []
        if !title.isEmpty && !text.hasPrefix(title) { parts.append(title) }
        if !heading.isEmpty { parts.append(heading) }
        parts.append(text)
        let joined = parts.joined(separator: "\n")
        return joined.utf8.count > maximumTextBytes ? joined.cut(toUTF8Bytes: maximumTextBytes) : joined
    }
}

/// A vector computed for a queued chunk, to be stored onto that chunk only while it still has
/// the content the vector was computed from.
public struct ChunkEmbedding: Sendable {
    public var chunkID: Int64
    public var contentHash: String
    public var vector: [Float]

    public init(chunkID: Int64, contentHash: String, vector: [Float]) {
        self.chunkID = chunkID
        self.contentHash = contentHash
        self.vector = vector
    }

    public init(_ chunk: PendingChunk, vector: [Float]) {
        self.init(chunkID: chunk.chunkID, contentHash: chunk.contentHash, vector: vector)
    }
}

/// A stored chunk vector.
public struct StoredVector: Sendable {
    public var chunkID: Int64
    public var documentID: UUID
    public var vector: [Float]

    public init(chunkID: Int64, documentID: UUID, vector: [Float]) {
        self.chunkID = chunkID
        self.documentID = documentID
        self.vector = vector
    }
}

/// A passage of a chunk with its document, for hits that only the semantic path found.
public struct ChunkExcerpt: Sendable {
    public var chunkID: Int64
    public var documentID: UUID
    public var projectID: UUID
    public var path: String
    public var title: String
    public var position: Int
    public var heading: String
    public var text: String
}
