import Foundation
import Index
import MCP

/// A document as tool results carry it in `structuredContent` (camelCase, ISO-8601 dates,
/// lower-case ids: the shape of the HTTP API's documents).
struct MCPDocumentPayload: Codable, Sendable {
    var id: String
    var path: String
    var title: String
    var content: String?
    var tags: [String]
    var version: Int
    var contentHash: String
    var embeddingStatus: String
    var createdAt: String
    var updatedAt: String

    init(_ document: Document) {
        self.init(DocumentSummary(document))
        content = document.content
    }

    init(_ summary: DocumentSummary) {
        id = summary.id.apiString
        path = summary.path
        title = summary.title
        content = nil
        tags = summary.tags
        version = summary.version
        contentHash = summary.contentHash
        embeddingStatus = summary.embeddingStatus.rawValue
        createdAt = summary.createdAt.formatted(.iso8601)
        updatedAt = summary.updatedAt.formatted(.iso8601)
    }

    /// The output schema of a document; `withContent` adds the required `content`.
    static func schema(withContent: Bool) -> Value {
        var properties: [String: Value] = [
            "id": JSONSchema.string("The document's id (UUID)."),
            "path": JSONSchema.string("The document's path in the project."),
            "title": JSONSchema.string("The given title, else the first Markdown heading, else the file name."),
            "tags": JSONSchema.array("Tags.", of: ["type": "string"]),
            "version": JSONSchema.integer("1 on creation, +1 on every change."),
            "contentHash": JSONSchema.string("SHA-256 of the content, lower-case hex."),
            "embeddingStatus": JSONSchema.enumeration("Where the semantic index stands for this document.",
                                                      EmbeddingStatus.allCases.map(\.rawValue)),
            "createdAt": JSONSchema.string("ISO-8601 UTC time of creation."),
            "updatedAt": JSONSchema.string("ISO-8601 UTC time of the last change."),
        ]
        var required = ["id", "path", "title", "tags", "version", "contentHash", "embeddingStatus", "createdAt", "updatedAt"]
        if withContent {
            properties["content"] = JSONSchema.string("The full Markdown or text content.")
            required.append("content")
        }
        return JSONSchema.object(properties, required: required)
    }
}

extension CallTool.Result {
    /// A successful result: `text` for the model, `structured` for programs.
    static func success<Payload: Codable>(text: String, structured: Payload) throws -> CallTool.Result {
        try CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)], structuredContent: structured, isError: false)
    }
}
