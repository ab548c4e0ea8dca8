import Foundation

/// A full-text search: the parsed query, where to look, and which page of hits.
public struct FullTextRequest: Sendable {
    public var query: SearchQuery
    /// The projects searched (one for project search, the user's projects for global search).
    public var projectIDs: [UUID]
    public var filter: DocumentFilter
    public var offset: Int
    public var limit: Int
    /// Whether hits carry a highlighted snippet (fusion candidates need none).
    public var includesSnippets: Bool

    public init(
        query: SearchQuery, projectIDs: [UUID], filter: DocumentFilter = DocumentFilter(),
        offset: Int = 0, limit: Int = 10, includesSnippets: Bool = true
    ) {
        self.query = query
        self.projectIDs = projectIDs
        self.filter = filter
        self.offset = offset
        self.limit = limit
        self.includesSnippets = includesSnippets
    }
}

/// One ranked document of a full-text search.
public struct FullTextHit: Sendable, Equatable {
    public var documentId: UUID
    public var projectId: UUID
    public var path: String
    public var title: String
    /// BM25, higher is better.
    public var score: Double
    /// 1-based position in the whole ranking (not the page).
    public var rank: Int
    /// The best chunk's id, position and heading trail.
    public var chunkId: Int64
    public var chunkIndex: Int
    public var chunkHeading: String
    /// HTML-escaped text with matches in `<mark>…</mark>`; empty when not requested.
    public var snippet: String
}

/// A page of full-text hits and the number of matching documents.
public struct FullTextResults: Sendable {
    public var hits: [FullTextHit]
    public var total: Int
}
