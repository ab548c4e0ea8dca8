import Foundation

/// One ranked document with the passage that matched best.
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
}

/// The hits of a search and what was actually done to find them.
public struct SearchResponse: Sendable {
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
}
