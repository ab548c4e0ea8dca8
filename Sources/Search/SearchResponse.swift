import Foundation
import Index

/// One ranked document with the passage that matched best.
///
/// This type is the hit every front door shows: the HTTP body's `data`, MCP's `structuredContent`
/// and `lore search --json` encode it as it is (ids in lower case).
public struct SearchHit: Sendable, Equatable, Codable {
    /// The best chunk: its position in the document and its heading trail (`Auth > Tokens`).
    public struct ChunkReference: Sendable, Equatable, Codable {
        public var index: Int
        public var heading: String
    }

    public var documentId: UUID
    public var projectId: UUID
    public var path: String
    public var title: String
    /// Higher is better; comparable within one response only.
    public var score: Double
    /// Plain text, HTML-escaped, with matches in `<mark>…</mark>`.
    public var snippet: String
    /// Which paths found the document: `fulltext`, `semantic`.
    public var matchedBy: [String]
    /// The document's 1-based rank in each path that found it.
    public var ranks: [String: Int]
    public var chunk: ChunkReference
    /// Where the document came from, when a Git source holds it (SPEC §11).
    public var source: DocumentSource?

    enum CodingKeys: String, CodingKey {
        case documentId, projectId, path, title, score, snippet, matchedBy, ranks, chunk, source
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(documentId.uuidString.lowercased(), forKey: .documentId)
        try container.encode(projectId.uuidString.lowercased(), forKey: .projectId)
        try container.encode(path, forKey: .path)
        try container.encode(title, forKey: .title)
        try container.encode(score, forKey: .score)
        try container.encode(snippet, forKey: .snippet)
        try container.encode(matchedBy, forKey: .matchedBy)
        try container.encode(ranks, forKey: .ranks)
        try container.encode(chunk, forKey: .chunk)
        try container.encodeIfPresent(source, forKey: .source)
    }
}

/// The hits of a search and what was actually done to find them.
public struct SearchResponse: Sendable {
    /// What was done, as every front door reports it: the HTTP body's `meta` (with the request
    /// id added), the fields of MCP's `structuredContent` beside `hits`, `lore search --json`.
    public struct Meta: Sendable, Equatable, Encodable {
        /// The query as given.
        public var query: String
        /// The mode that ran (full text when hybrid or semantic had to fall back).
        public var mode: SearchMode
        public var requestedMode: SearchMode
        /// Why hybrid or semantic ran as full text; `null` when nothing fell back.
        public var fallbackReason: String?
        public var offset: Int
        public var limit: Int
        /// The number of matching documents.
        public var total: Int
        /// Milliseconds, to the microsecond.
        public var tookMs: Double
        /// How the text was read (`standard` or `plain`).
        public var syntax: QuerySyntax
        /// Whether a required phrase or an exclusion matched nothing and the text was searched as
        /// plain words instead.
        public var relaxed: Bool
        /// Whether hits or a snippet were cut to fit `maxTokens`.
        public var truncated: Bool

        enum CodingKeys: String, CodingKey {
            case query, mode, requestedMode, fallbackReason, offset, limit, total, tookMs, syntax, relaxed, truncated
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(query, forKey: .query)
            try container.encode(mode, forKey: .mode)
            try container.encode(requestedMode, forKey: .requestedMode)
            try container.encode(fallbackReason, forKey: .fallbackReason)
            try container.encode(offset, forKey: .offset)
            try container.encode(limit, forKey: .limit)
            try container.encode(total, forKey: .total)
            try container.encode((tookMs * 1000).rounded() / 1000, forKey: .tookMs)
            try container.encode(syntax, forKey: .syntax)
            try container.encode(relaxed, forKey: .relaxed)
            try container.encode(truncated, forKey: .truncated)
        }
    }

    /// `{"data": [hits], "meta": {…}}`: the body of an HTTP search without its request id.
    public struct Body: Encodable {
        public var data: [SearchHit]
        public var meta: Meta
    }

    public var hits: [SearchHit]
    /// The number of matching documents.
    public var total: Int
    /// The mode that ran (full text when hybrid or semantic had to fall back).
    public var mode: SearchMode
    public var requestedMode: SearchMode
    /// Why hybrid or semantic ran as full text; `nil` when nothing fell back.
    public var fallbackReason: String?
    public var offset: Int
    public var limit: Int
    public var tookMs: Double
    /// Whether the full-text side searched the text as plain words after its phrases or
    /// exclusions matched nothing.
    public var relaxed = false
    /// The query text as given, and how it was read.
    public var query = ""
    public var syntax = QuerySyntax.standard
    /// Whether hits or a snippet were cut to fit the request's `maxTokens`.
    public var truncated = false

    public var meta: Meta {
        Meta(query: query, mode: mode, requestedMode: requestedMode, fallbackReason: fallbackReason, offset: offset,
             limit: limit, total: total, tookMs: tookMs, syntax: syntax, relaxed: relaxed, truncated: truncated)
    }

    public var body: Body { Body(data: hits, meta: meta) }
}
