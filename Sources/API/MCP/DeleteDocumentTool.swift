import Foundation
import Index
import MCP

/// `delete_document`: removes a document and its index entries, by path.
enum DeleteDocumentTool: MCPTool {
    static let definition = Tool(
        name: "delete_document",
        title: "Delete a document",
        description: """
            Delete the document at a path from this project, with its search index entries. This cannot be \
            undone: read_document first if the content may still be needed. Deleting a path that holds no \
            document is an error that changes nothing.
            """,
        inputSchema: JSONSchema.object([
            "path": JSONSchema.string("The exact path of the document to delete.", minLength: 1, maxLength: DocumentPath.maximumBytes),
        ], required: ["path"]),
        annotations: .init(title: "Delete document", readOnlyHint: false, destructiveHint: true,
                           idempotentHint: true, openWorldHint: false),
        outputSchema: JSONSchema.object([
            "deleted": ["type": "boolean", "description": "Always true: a missing document is an error result."],
            "path": JSONSchema.string("The path that was deleted."),
            "documentId": JSONSchema.string("The id the document had."),
        ], required: ["deleted", "path", "documentId"]))

    struct Output: Codable {
        var deleted: Bool
        var path: String
        var documentId: String
    }

    static func call<AppStore: Store>(_ arguments: MCPArguments, in context: MCPToolContext<AppStore>) async throws -> CallTool.Result {
        let path = try DocumentPath.validate(try arguments.requiredString("path"))
        let document = try await context.access.deleteDocument(path: path)
        return try .success(text: "Deleted \(path) (\"\(document.title)\").",
                            structured: Output(deleted: true, path: path, documentId: document.id.apiString))
    }
}
