import Foundation
import Index
import MCP

/// `write_document`: creates the document at a path, or replaces the one there.
///
/// Synchronous like the HTTP API: when the result comes back, the document is stored and
/// findable by full-text search.
enum WriteDocumentTool: MCPTool {
    static let definition = Tool(
        name: "write_document",
        title: "Write a document",
        description: """
            Create a document at a path, or replace the document already at that path (content, title and tags \
            are all replaced). When this returns, the document is stored and full-text search finds it. \
            Use it to record decisions, how-tos and findings for the team and for later sessions. \
            Paths are relative with '/' between folders, e.g. 'notes/decisions/2025-caching.md'. \
            Writing the same content again changes nothing.
            """,
        inputSchema: JSONSchema.object([
            "path": JSONSchema.string("Where to store it, e.g. 'docs/auth/tokens.md': relative, '/'-separated, no '.' or '..' segments.",
                                      minLength: 1, maxLength: DocumentPath.maximumBytes),
            "content": JSONSchema.string("The whole document, Markdown or plain text (at most 1 MiB)."),
            "title": JSONSchema.string("A title; when left out, the first Markdown heading or else the file name is used."),
            "tags": JSONSchema.array("Tags to filter by later, e.g. [\"auth\", \"decision\"].", of: ["type": "string"]),
        ], required: ["path", "content"]),
        annotations: .init(title: "Write document", readOnlyHint: false, destructiveHint: true,
                           idempotentHint: true, openWorldHint: false),
        outputSchema: JSONSchema.object([
            "outcome": JSONSchema.enumeration("What the write did.", ["created", "updated", "unchanged"]),
            "document": DocumentResponse.schema(withContent: false),
        ], required: ["outcome", "document"]))

    struct Output: Encodable {
        var outcome: String
        var document: DocumentResponse
    }

    static func call<AppStore: Store>(_ arguments: MCPArguments, in context: MCPToolContext<AppStore>) async throws -> CallTool.Result {
        let path = try DocumentPath.validate(try arguments.requiredString("path"))
        let content = try arguments.requiredString("content")
        let title = try arguments.string("title")
        let tags = try arguments.strings("tags") ?? []
        let (document, outcome) = try await context.access.upsertDocument(
            NewDocument(path: path, content: content, title: title, tags: tags))
        let verb = switch outcome {
        case .created: "Created"
        case .updated: "Replaced"
        case .unchanged: "Unchanged (same content, title and tags already stored):"
        }
        let text = "\(verb) \(document.path) — \"\(document.title)\", version \(document.version), "
            + "\(document.content.utf8.count) bytes. It is searchable now."
        return try .success(text: text, structured: Output(outcome: outcome.rawValue, document: DocumentResponse(document, includeContent: false)))
    }
}
