import Foundation
import Index

/// The body of `POST /documents` and of one bulk item.
struct DocumentInput: Decodable {
    var path: String
    var content: String
    var title: String?
    var tags: [String]?
    var metadata: [String: JSONValue]?

    var newDocument: NewDocument {
        NewDocument(path: path, content: content, title: title, tags: tags ?? [], metadata: metadata ?? [:])
    }
}

/// The body of `PUT /documents/{id}`.
struct DocumentUpdateInput: Decodable {
    var content: String
    var path: String?
    var title: String?
    var tags: [String]?
    var metadata: [String: JSONValue]?
    var version: Int?
}

/// The body of `POST /documents/bulk`.
struct BulkInput: Decodable {
    static let maximumItems = 1_000
    var documents: [DocumentInput]
    var mode: BulkMode?
}

/// A document as the API shows it; `content` only when one document is fetched or written.
struct DocumentResponse: Encodable {
    var id: String
    var projectId: String
    var path: String
    var title: String
    var content: String?
    var tags: [String]
    var metadata: [String: JSONValue]
    var version: Int
    var contentHash: String
    var embeddingStatus: EmbeddingStatus
    var createdAt: Date
    var updatedAt: Date
    /// Where the document came from, when a Git source holds it (left out otherwise).
    var source: DocumentSource?

    init(_ document: Document, includeContent: Bool = true) {
        self.init(DocumentSummary(document))
        content = includeContent ? document.content : nil
    }

    init(_ summary: DocumentSummary) {
        id = summary.id.apiString
        projectId = summary.projectId.apiString
        path = summary.path
        title = summary.title
        content = nil
        tags = summary.tags
        metadata = summary.metadata
        version = summary.version
        contentHash = summary.contentHash
        embeddingStatus = summary.embeddingStatus
        createdAt = summary.createdAt
        updatedAt = summary.updatedAt
        source = summary.source
    }

    /// The entity tag of a document version: `"v<version>"`.
    static func etag(version: Int) -> String { "\"v\(version)\"" }

    /// The version an `If-Match` value names, or `nil` when it names none.
    static func version(fromETag value: String) -> Int? {
        var text = value.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("W/") { text.removeFirst(2) }
        guard text.hasPrefix("\"v"), text.hasSuffix("\""), text.count > 3 else { return nil }
        return Int(text.dropFirst(2).dropLast())
    }
}

/// One item of a bulk write's response.
struct BulkItemResponse: Encodable {
    struct ItemError: Encodable {
        var code: String
        var message: String
        var details: [APIError.FieldProblem]
    }

    var index: Int
    var path: String
    /// `created`, `updated`, `unchanged` or `error`.
    var status: String
    var document: DocumentResponse?
    var error: ItemError?
}
