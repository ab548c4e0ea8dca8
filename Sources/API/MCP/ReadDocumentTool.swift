import Foundation
import Index
import MCP

/// `read_document`: one document's content and metadata, by path — whole, one section
/// (`heading`) or a range of lines (`lines`), with `lines` and `totalLines` so an agent can page.
enum ReadDocumentTool: MCPTool {
    static let definition = Tool(
        name: "read_document",
        title: "Read a document",
        description: """
            Read one document of this project: its content (Markdown or plain text), title, tags and version. \
            Pass the exact path, as search or list_documents return it (paths are case-sensitive). For a long \
            document, read only what you need: 'heading' returns one section (pass a hit's chunk heading, like \
            'Auth > Tokens'), 'lines' a range such as '120-180'. The result gives 'lines' (the range returned) and \
            'totalLines', so you can read on.
            """,
        inputSchema: JSONSchema.object([
            "path": JSONSchema.string("The document's path, e.g. 'docs/auth/tokens.md'.", minLength: 1,
                                      maxLength: DocumentPath.maximumBytes),
            "heading": JSONSchema.string(
                "A heading trail ('Auth > Tokens', or just 'Tokens'): return only that section, from its heading to the "
                    + "next heading of the same or a higher level.", minLength: 1, maxLength: 1_000),
            "lines": JSONSchema.string("Lines to return, numbered from 1: 'first-last' ('120-180'), 'first-' to the end, or one line.",
                                       minLength: 1, maxLength: DocumentExcerpt.maximumRangeLength),
        ], required: ["path"]),
        annotations: .init(title: "Read document", readOnlyHint: true, destructiveHint: false,
                           idempotentHint: true, openWorldHint: false),
        outputSchema: outputSchema)

    static var outputSchema: Value {
        guard case .object(var schema) = DocumentResponse.schema(withContent: true),
              case .object(var properties) = schema["properties"], case .array(var required) = schema["required"] else {
            return DocumentResponse.schema(withContent: true)
        }
        properties["content"] = JSONSchema.string("The content returned: the whole document, the section, or the lines asked for.")
        properties["lines"] = JSONSchema.string("The lines returned, 'first-last' (numbered from 1; '0-0' for an empty document).")
        properties["totalLines"] = JSONSchema.integer("How many lines the whole document has.")
        required += ["lines", "totalLines"]
        schema["properties"] = .object(properties)
        schema["required"] = .array(required)
        return .object(schema)
    }

    static func call<AppStore: Store>(_ arguments: MCPArguments, in context: MCPToolContext<AppStore>) async throws -> CallTool.Result {
        let path = try DocumentPath.validate(try arguments.requiredString("path"))
        let heading = try arguments.string("heading")
        let lines = try arguments.string("lines")
        if heading != nil && lines != nil {
            throw MCPToolError.invalidArgument(name: "lines", reason: "pass either 'heading' or 'lines', not both")
        }
        let document = try await context.access.document(path: path)
        let excerpt = try heading.map { trail throws(IndexError) in try DocumentExcerpt.section(trail, of: document.content) }
            ?? lines.map { range throws(IndexError) in try DocumentExcerpt.lines(range, of: document.content) }
            ?? DocumentExcerpt.whole(document.content)
        var shown = DocumentResponse(document)
        // A whole read returns the content exactly as stored (a final newline included).
        if heading != nil || lines != nil { shown.content = excerpt.text }
        let tags = document.tags.isEmpty ? "" : " · tags: \(document.tags.joined(separator: ", "))"
        let part = excerpt.first == 1 && excerpt.last == excerpt.totalLines
            ? "\(excerpt.totalLines) lines"
            : "lines \(excerpt.lineRange) of \(excerpt.totalLines)" + (heading.map { " (section '\($0)')" } ?? "")
        let text = """
            # \(document.title)
            path: \(document.path) · version \(document.version)\(tags) · updated \(document.updatedAt.formatted(.iso8601)) · \(part)

            \(shown.content ?? "")
            """
        let structured = ObjectWithField(object: ObjectWithField(object: shown, key: "lines", value: excerpt.lineRange),
                                         key: "totalLines", value: excerpt.totalLines)
        return try .success(text: text, structured: structured)
    }
}
