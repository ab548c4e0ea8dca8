import Foundation

/// A document validated and split into chunks, ready for any store to write.
///
/// Both store implementations write what this produces, so validation, titles, hashes and
/// chunking are the same whatever the backend.
public struct PreparedDocument: Sendable {
    public var path: String
    public var title: String
    public var content: String
    public var tags: [String]
    public var metadata: [String: JSONValue]
    public var contentHash: String
    public var chunks: [ChunkDraft]
}

/// Validates and prepares documents for storage.
public struct DocumentPreparer: Sendable {
    /// The largest document content, in UTF-8 bytes (1 MiB).
    public static let maximumContentBytes = 1 << 20
    public static let maximumTags = 64
    /// The longest tag, in Unicode scalars (so combining marks cannot stretch a "short" tag).
    public static let maximumTagLength = 64
    /// The largest `metadata`, as compact JSON in UTF-8 bytes, and its deepest nesting.
    public static let maximumMetadataBytes = 64 << 10
    public static let maximumMetadataDepth = 16

    public var chunker: Chunker

    public init(chunker: Chunker = Chunker()) {
        self.chunker = chunker
    }

    /// Validates every field of `document` and chunks its content.
    public func prepare(_ document: NewDocument) throws(IndexError) -> PreparedDocument {
        let path = try DocumentPath.validate(document.path)
        let contentBytes = document.content.utf8.count
        guard contentBytes <= Self.maximumContentBytes else {
            throw .tooLarge(field: "content", limit: Self.maximumContentBytes)
        }
        if document.content.utf8.contains(0) {
            throw .invalid(field: "content", reason: "must not contain NUL characters")
        }
        try Self.validateMetadata(document.metadata)
        let tags = try Self.validateTags(document.tags)
        if let title = document.title, title.utf8.contains(0) {
            throw .invalid(field: "title", reason: "must not contain NUL characters")
        }
        let title = DocumentTitle.derive(given: document.title, content: document.content, path: path)
        return PreparedDocument(
            path: path,
            title: title,
            content: document.content,
            tags: tags,
            metadata: document.metadata,
            contentHash: sha256Hex(document.content),
            chunks: chunks(of: document.content, path: path, title: title)
        )
    }

    /// The chunks of a document's content. Invariant: every document has at least one chunk
    /// (its title when the content gives none), so every document is in both indexes and its
    /// title (given, first heading or file name) finds it.
    func chunks(of content: String, path: String, title: String) -> [ChunkDraft] {
        let chunks = chunker.chunks(of: content, isMarkdown: Chunker.isMarkdown(path: path))
        return chunks.isEmpty ? [chunker.titlePassage(title)] : chunks
    }

    /// Prepares each document on its own: a bulk write stores the valid ones and reports the rest.
    public func prepareEach(_ documents: [NewDocument]) -> [Result<PreparedDocument, IndexError>] {
        documents.map { document in Result { () throws(IndexError) in try prepare(document) } }
    }

    /// Checks `metadata` against its bounds (size as stored, depth) and for NUL characters.
    static func validateMetadata(_ metadata: [String: JSONValue]) throws(IndexError) {
        let value = JSONValue.object(metadata)
        guard value.depth <= maximumMetadataDepth else {
            throw .invalid(field: "metadata", reason: "must be nested at most \(maximumMetadataDepth) levels deep")
        }
        guard JSONValue.encodeObject(metadata).utf8.count <= maximumMetadataBytes else {
            throw .invalid(field: "metadata", reason: "must be at most \(maximumMetadataBytes) bytes as JSON")
        }
        if value.containsNUL {
            throw .invalid(field: "metadata", reason: "must not contain NUL characters")
        }
    }

    /// Trims tags, drops duplicates (keeping order) and checks their form.
    static func validateTags(_ tags: [String]) throws(IndexError) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for raw in tags {
            let tag = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !tag.isEmpty, tag.unicodeScalars.count <= maximumTagLength else {
                throw .invalid(field: "tags", reason: "each tag must be 1–\(maximumTagLength) characters")
            }
            guard !tag.containsASCIIControlCharacter else {
                throw .invalid(field: "tags", reason: "tags must not contain control characters")
            }
            if seen.insert(tag).inserted { result.append(tag) }
        }
        guard result.count <= maximumTags else {
            throw .invalid(field: "tags", reason: "at most \(maximumTags) tags")
        }
        return result
    }
}

extension PreparedDocument {
    /// The document as first stored in `projectID`, at version 1.
    func newDocument(in projectID: UUID, embeddingsEnabled: Bool, at now: Date = Date()) -> Document {
        Document(
            id: UUID(), projectId: projectID, path: path, title: title, content: content, tags: tags,
            metadata: metadata, version: 1, contentHash: contentHash,
            embeddingStatus: initialEmbeddingStatus(embeddingsEnabled: embeddingsEnabled), createdAt: now, updatedAt: now)
    }

    /// Pending while the chunks wait for vectors; disabled without an embedder or without chunks.
    func initialEmbeddingStatus(embeddingsEnabled: Bool) -> EmbeddingStatus {
        embeddingsEnabled && !chunks.isEmpty ? .pending : .disabled
    }
}

extension Document {
    /// Invariant (SPEC §11): a document a Git source holds is written only by that source's sync.
    /// Every write reaches the stores' write functions, which call this on the stored document
    /// first: `writer` is `nil` for a client (HTTP, MCP, the command line), which may write only
    /// documents no source holds; a sync passes its source, which may also replace its own
    /// documents and adopt a client's, never another source's.
    func requireWritable(by writer: UUID?) throws(IndexError) {
        if let source, source.id != writer { throw .sourceOwned(path: path) }
    }

    /// After a rewrite from `prepared` stored `addedChunks` new chunks: the document waits for
    /// vectors again when it has new chunks or was stored while embeddings were off; otherwise
    /// its status stays.
    mutating func updateEmbeddingStatus(addedChunks: Int, from prepared: PreparedDocument, embeddingsEnabled: Bool) {
        guard addedChunks > 0 || embeddingStatus == .disabled else { return }
        embeddingStatus = prepared.initialEmbeddingStatus(embeddingsEnabled: embeddingsEnabled)
    }

    /// The next state of this document when `prepared` is written over it: the version bumped
    /// and the time set; `nil` when nothing would change (so not even the version moves).
    /// The caller decides the new `embeddingStatus`, which depends on the chunks it stored.
    func revised(to prepared: PreparedDocument, at now: Date = Date()) -> Document? {
        let unchanged = contentHash == prepared.contentHash && content == prepared.content
            && path == prepared.path && title == prepared.title
            && tags == prepared.tags && metadata == prepared.metadata
        if unchanged { return nil }
        var updated = self
        updated.path = prepared.path
        updated.title = prepared.title
        updated.content = prepared.content
        updated.tags = prepared.tags
        updated.metadata = prepared.metadata
        updated.contentHash = prepared.contentHash
        updated.version = version + 1
        updated.updatedAt = now
        return updated
    }
}
