import Foundation
import Index
import MCP

/// `read_document`: one document's full content and metadata, by path.
enum ReadDocumentTool: MCPTool {
    static let definition = Tool(
        name: "read_document",
        title: "Read a document",
        description: """
            Read one document of this project in full: its content (Markdown or plain text), title, tags and \
            version. Pass the exact path, as search or list_documents return it (paths are case-sensitive).
            """,
        inputSchema: JSONSchema.object([
            "path": JSONSchema.string("The document's path, e.g. 'docs/auth/tokens.md'.", minLength: 1,
                                      maxLength: DocumentPath.maximumBytes),
        ], required: ["path"]),
        annotations: .init(title: "Read document", readOnlyHint: true, destructiveHint: false,
                           idempotentHint: true, openWorldHint: false),
        outputSchema: DocumentResponse.schema(withContent: true))

    static func call<AppStore: Store>(_ arguments: MCPArguments, in context: MCPToolContext<AppStore>) async throws -> CallTool.Result {
        let path = try DocumentPath.validate(try arguments.requiredString("path"))
        let document = try await context.store.document(path: path, in: context.project.id)
        let tags = document.tags.isEmpty ? "" : " · tags: \(document.tags.joined(separator: ", "))"
        let text = """
            # \(document.title)
            path: \(document.path) · version \(document.version)\(tags) · updated \(document.updatedAt.formatted(.iso8601))

            \(document.content)
            """
        return try .success(text: text, structured: DocumentResponse(document))
    }
}
