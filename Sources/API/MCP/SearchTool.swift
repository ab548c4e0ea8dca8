import Foundation
import Index
import MCP
import Search

/// `search`: ranked documents for a query, with snippets, through the shared ``SearchService``.
enum SearchTool: MCPTool {
    static let definition = Tool(
        name: "search",
        title: "Search project documentation",
        description: """
            Search this project's documentation and get the best-matching documents, each with its path, title, \
            the heading its best passage falls under and a snippet with the matched words in **bold**. \
            Query syntax: plain words (all are looked for), "exact phrases", -excluded words and prefix* matches; \
            terms such as rate-limit, docs/architecture, v1.2 or max_tokens are matched as written. \
            Use it before writing code that depends on project conventions, APIs or decisions, then call \
            read_document with a hit's path to read the whole document.
            """,
        inputSchema: JSONSchema.object([
            "query": JSONSchema.string("What to look for, e.g. 'token refresh' or '\"rate limit\" -deprecated'.", minLength: 1),
            "mode": JSONSchema.enumeration(
                "hybrid (default) fuses keyword and semantic ranking; fulltext matches words only; semantic matches meaning only. "
                    + "When no embedder is configured, hybrid and semantic run as full text and the result says so.",
                SearchMode.allCases.map(\.rawValue), default: SearchRequest.defaultMode.rawValue),
            "limit": JSONSchema.integer("How many documents to return.", minimum: 1, maximum: SearchRequest.maximumLimit,
                                        default: SearchRequest.defaultLimit),
            "pathPrefix": JSONSchema.string("Only documents whose path starts with this, e.g. 'docs/api/'."),
            "syntax": JSONSchema.enumeration(
                "standard (default) reads \"exact phrases\", -excluded and prefix*; plain reads the query as words only "
                    + "(best for a question in natural language).",
                QuerySyntax.allCases.map(\.rawValue), default: QuerySyntax.standard.rawValue),
            "maxTokens": JSONSchema.integer(
                "A budget for the hits, in tokens (WordPiece, as the embedding model counts them): later hits are dropped "
                    + "and the last snippet shortened so that the hits fit; 'truncated' says whether anything was cut.",
                minimum: AnswerBudget.allowed.lowerBound, maximum: AnswerBudget.allowed.upperBound),
        ], required: ["query"]),
        annotations: .init(title: "Search documentation", readOnlyHint: true, destructiveHint: false,
                           idempotentHint: true, openWorldHint: false),
        outputSchema: JSONSchema.object([
            "query": JSONSchema.string("The query as given."),
            "mode": JSONSchema.enumeration("The mode that ran.", SearchMode.allCases.map(\.rawValue)),
            "requestedMode": JSONSchema.enumeration("The mode that was asked for.", SearchMode.allCases.map(\.rawValue)),
            "fallbackReason": JSONSchema.nullableString("Why hybrid or semantic ran as full text; null when nothing fell back."),
            "offset": JSONSchema.integer("Documents skipped."),
            "limit": JSONSchema.integer("Page size."),
            "total": JSONSchema.integer("How many documents match in all."),
            "tookMs": JSONSchema.number("How long the search took, in milliseconds."),
            "syntax": JSONSchema.enumeration("How the query was read.", QuerySyntax.allCases.map(\.rawValue)),
            "relaxed": ["type": "boolean",
                        "description": "True when a quoted phrase or exclusion matched nothing and the query was searched as plain words."],
            "truncated": ["type": "boolean",
                          "description": "True when hits were dropped or a snippet shortened to fit maxTokens."],
            "hits": JSONSchema.array("The documents, best first (the hits of the HTTP search API).", of: JSONSchema.object([
                "documentId": JSONSchema.string("The document's id (UUID)."),
                "projectId": JSONSchema.string("The project's id (UUID)."),
                "path": JSONSchema.string("The document's path: pass it to read_document."),
                "title": JSONSchema.string("The document's title."),
                "score": JSONSchema.number("Relevance; higher is better, comparable within one result only."),
                "snippet": JSONSchema.string("HTML-escaped passage with matches in <mark>…</mark>."),
                "matchedBy": JSONSchema.array("Which rankings found it: fulltext, semantic.", of: ["type": "string"]),
                "ranks": ["type": "object", "additionalProperties": ["type": "integer"],
                          "description": "The 1-based rank in each ranking that found it."],
                "chunk": JSONSchema.object([
                    "index": JSONSchema.integer("Position of the best passage in the document, from 0."),
                    "heading": JSONSchema.string("Heading trail of the best passage ('Auth > Tokens'); empty before any heading."),
                ], required: ["index", "heading"]),
                "source": sourceSchema,
            ], required: ["documentId", "projectId", "path", "title", "score", "snippet", "matchedBy", "ranks", "chunk"])),
        ], required: ["query", "mode", "requestedMode", "fallbackReason", "offset", "limit", "total", "tookMs", "syntax", "relaxed",
                     "truncated", "hits"]))

    static func call<AppStore: Store>(_ arguments: MCPArguments, in context: MCPToolContext<AppStore>) async throws -> CallTool.Result {
        let query = try arguments.requiredString("query")
        let pathPrefix = try arguments.string("pathPrefix")
        let request = try SearchRequest(
            text: query, projectIDs: [context.project.id], mode: try arguments.choice("mode", as: SearchMode.self),
            filter: DocumentFilter(pathPrefix: pathPrefix), limit: try arguments.integer("limit", in: 1...SearchRequest.maximumLimit),
            syntax: try arguments.choice("syntax", as: QuerySyntax.self),
            maxTokens: try arguments.integer("maxTokens", in: AnswerBudget.allowed))
        let response = try await context.access.search(request)
        return try .success(text: text(for: response, query: query, pathPrefix: pathPrefix),
                            // The search's `meta` fields, as the HTTP body has them, and its hits.
                            structured: ObjectWithField(object: response.meta, key: "hits", value: response.hits))
    }

    static func text(for response: SearchResponse, query: String, pathPrefix: String?) -> String {
        let scope = pathPrefix.map { " under '\($0)'" } ?? ""
        guard !response.hits.isEmpty else {
            return "No documents match \"\(query)\"\(scope). Try fewer or other words, a prefix* search, "
                + "or list_documents to browse the paths."
        }
        var lines = ["\(response.total) document\(response.total == 1 ? "" : "s") match \"\(query)\"\(scope); "
            + "showing the best \(response.hits.count) (\(response.mode.rawValue) search)."]
        if let reason = response.fallbackReason { lines.append("Note: \(reason).") }
        if response.relaxed { lines.append("Note: no document has every quoted phrase; these match the words instead.") }
        if response.truncated {
            lines.append("Note: cut to fit maxTokens; more may match (call search with a larger maxTokens, a smaller limit or a narrower pathPrefix).")
        }
        for (index, hit) in response.hits.enumerated() {
            let heading = hit.chunk.heading.isEmpty ? "" : " § \(hit.chunk.heading)"
            lines.append("")
            let origin = hit.source.map { " (from Git, commit \($0.commit.prefix(12)))" } ?? ""
            lines.append("\(index + 1). \(hit.path) — \(hit.title)\(heading)\(origin)")
            lines.append("   \(plain(hit.snippet))")
        }
        lines.append("")
        lines.append("Call read_document with a path to read the whole document.")
        return lines.joined(separator: "\n")
    }

    /// The snippet for a model: matches in Markdown bold, on one line.
    static func plain(_ snippet: String) -> String {
        Snippet.plainText(snippet, open: "**", close: "**")
    }
}
