import Foundation

/// Where a document's embeddings stand.
public enum EmbeddingStatus: String, Codable, Sendable, CaseIterable {
    case pending, ready, failed, disabled
}

/// A stored Markdown or text document with its metadata.
public struct Document: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var projectId: UUID
    /// Validated by ``DocumentPath``; unique per project.
    public var path: String
    /// Given, or the first Markdown heading, or the file name.
    public var title: String
    public var content: String
    public var tags: [String]
    public var metadata: [String: JSONValue]
    /// 1 on creation, +1 on every change.
    public var version: Int
    /// SHA-256 of the content, lower-case hex.
    public var contentHash: String
    public var embeddingStatus: EmbeddingStatus
    public var createdAt: Date
    public var updatedAt: Date
    /// Set when a Git source holds the document (only a sync writes it then).
    public var source: DocumentSource? = nil
}

/// A document without its content, as lists return it.
public struct DocumentSummary: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var projectId: UUID
    public var path: String
    public var title: String
    public var tags: [String]
    public var metadata: [String: JSONValue]
    public var version: Int
    public var contentHash: String
    public var embeddingStatus: EmbeddingStatus
    public var createdAt: Date
    public var updatedAt: Date
    public var source: DocumentSource?

    public init(_ document: Document) {
        id = document.id
        projectId = document.projectId
        path = document.path
        title = document.title
        tags = document.tags
        metadata = document.metadata
        version = document.version
        contentHash = document.contentHash
        embeddingStatus = document.embeddingStatus
        createdAt = document.createdAt
        updatedAt = document.updatedAt
        source = document.source
    }
}

/// The fields a client supplies to create (or upsert) a document.
public struct NewDocument: Sendable, Equatable {
    public var path: String
    public var content: String
    public var title: String?
    public var tags: [String]
    public var metadata: [String: JSONValue]

    public init(
        path: String, content: String, title: String? = nil, tags: [String] = [],
        metadata: [String: JSONValue] = [:]
    ) {
        self.path = path
        self.content = content
        self.title = title
        self.tags = tags
        self.metadata = metadata
    }
}

/// A change to a stored document; `nil` fields keep their stored value.
public struct DocumentUpdate: Sendable, Equatable {
    public var content: String
    public var path: String?
    public var title: String?
    public var tags: [String]?
    public var metadata: [String: JSONValue]?
    /// The version the client last saw; the update fails with a conflict when it is stale.
    public var expectedVersion: Int?

    public init(
        content: String, path: String? = nil, title: String? = nil, tags: [String]? = nil,
        metadata: [String: JSONValue]? = nil, expectedVersion: Int? = nil
    ) {
        self.content = content
        self.path = path
        self.title = title
        self.tags = tags
        self.metadata = metadata
        self.expectedVersion = expectedVersion
    }
}

/// What a write did to a document.
public enum WriteOutcome: String, Codable, Sendable {
    case created, updated, unchanged
}

/// How a bulk write treats a path that exists.
public enum BulkMode: String, Codable, Sendable {
    /// An existing path is an error for that item.
    case create
    /// An existing path is updated (or left alone when nothing changed).
    case upsert
}

/// The result of one item of a bulk write: the document and what happened, or why it failed.
public struct BulkItemResult: Sendable {
    public var index: Int
    public var path: String
    public var result: Result<(summary: DocumentSummary, outcome: WriteOutcome), IndexError>
}
