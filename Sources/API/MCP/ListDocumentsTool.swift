import Foundation
import Index
import MCP

/// `list_documents`: a page of the project's documents by path, without content.
enum ListDocumentsTool: MCPTool {
    static let defaultLimit = 50

    static let definition = Tool(
        name: "list_documents",
        title: "List documents",
        description: """
            List this project's documents in path order: path, title, tags and version, without content. \
            Use pathPrefix to look inside a folder (e.g. 'docs/api/'), and offset to page through long lists; \
            the result says how many documents there are in all.
            """,
        inputSchema: JSONSchema.object([
            "pathPrefix": JSONSchema.string("Only documents whose path starts with this, e.g. 'docs/'."),
            "offset": JSONSchema.integer("How many documents to skip (for the next page).", minimum: 0, default: 0),
            "limit": JSONSchema.integer("How many documents to return.", minimum: 1, maximum: PageRequest.maximumLimit,
                                        default: defaultLimit),
        ]),
        annotations: .init(title: "List documents", readOnlyHint: true, destructiveHint: false,
                           idempotentHint: true, openWorldHint: false),
        outputSchema: JSONSchema.object([
            "offset": JSONSchema.integer("Documents skipped."),
            "limit": JSONSchema.integer("Page size."),
            "total": JSONSchema.integer("Documents matching in all."),
            "documents": JSONSchema.array("The page, in path order.", of: DocumentResponse.schema(withContent: false)),
        ], required: ["offset", "limit", "total", "documents"]))

    struct Output: Encodable {
        var offset: Int
        var limit: Int
        var total: Int
        var documents: [DocumentResponse]
    }

    static func call<AppStore: Store>(_ arguments: MCPArguments, in context: MCPToolContext<AppStore>) async throws -> CallTool.Result {
        let pathPrefix = try arguments.string("pathPrefix")
        let offset = try arguments.integer("offset", in: 0...Int(Int32.max)) ?? 0
        let limit = try arguments.integer("limit", in: 1...PageRequest.maximumLimit) ?? defaultLimit
        let page = try await context.access.documents(
            filter: DocumentFilter(pathPrefix: pathPrefix), sort: .path,
            page: try PageRequest(offset: offset, limit: limit))
        let output = Output(offset: offset, limit: limit, total: page.total, documents: page.items.map(DocumentResponse.init))
        return try .success(text: text(for: page, pathPrefix: pathPrefix), structured: output)
    }

    static func text(for page: Page<DocumentSummary>, pathPrefix: String?) -> String {
        let scope = pathPrefix.map { " under '\($0)'" } ?? ""
        guard !page.items.isEmpty else {
            if page.total > 0 {
                return "No documents at offset \(page.offset)\(scope): there are \(page.total). Call list_documents with a smaller offset."
            }
            return "No documents\(scope) in this project yet. write_document creates one."
        }
        var lines = ["Documents \(page.offset + 1)–\(page.offset + page.items.count) of \(page.total)\(scope):"]
        for document in page.items {
            let tags = document.tags.isEmpty ? "" : " [\(document.tags.joined(separator: ", "))]"
            lines.append("- \(document.path) — \(document.title)\(tags) (v\(document.version))")
        }
        let next = page.offset + page.items.count
        if next < page.total {
            lines.append("More: call list_documents with offset \(next).")
        }
        return lines.joined(separator: "\n")
    }
}
