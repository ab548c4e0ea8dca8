import Foundation
import Index

/// How a query is matched: by words, by meaning, or both fused.
public enum SearchMode: String, Sendable, Codable, CaseIterable {
    case hybrid, fulltext, semantic
}

/// How hybrid search merges the two rankings.
public enum FusionMethod: String, Sendable, Codable, CaseIterable {
    /// Reciprocal rank fusion, k = 60.
    case rrf
    /// A blend of min-max normalised scores, weighted by `semanticRatio`.
    case linear
}

/// A search as the three front doors (HTTP, MCP, CLI) ask for it: its defaults and its rules
/// live here only (a front door passes `nil` for what its caller left out).
public struct SearchRequest: Sendable {
    public static let defaultMode = SearchMode.hybrid
    public static let defaultLimit = 10
    public static let maximumLimit = 100
    public static let defaultFusion = FusionMethod.rrf
    public static let defaultSemanticRatio = 0.5

    public var text: String
    public var projectIDs: [UUID]
    public var mode: SearchMode
    public var filter: DocumentFilter
    public var offset: Int
    public var limit: Int
    public var fusion: FusionMethod
    /// How the text is read: the query syntax, or plain words.
    public var syntax: QuerySyntax
    /// Weight of the semantic side in a linear blend, 0…1.
    public var semanticRatio: Double
    /// The most tokens the hits may take (``AnswerBudget``); `nil`: no budget.
    public var maxTokens: Int?

    /// Validates the text (it must not be empty), paging and ratio; the query syntax is checked
    /// when the search runs. `nil` takes the default.
    public init(
        text: String, projectIDs: [UUID], mode: SearchMode? = nil, filter: DocumentFilter = DocumentFilter(),
        offset: Int? = nil, limit: Int? = nil, fusion: FusionMethod? = nil, semanticRatio: Double? = nil,
        syntax: QuerySyntax? = nil, maxTokens: Int? = nil
    ) throws(SearchError) {
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw .invalid(field: "q", reason: "is required and must not be empty")
        }
        let offset = offset ?? 0
        let limit = limit ?? Self.defaultLimit
        let semanticRatio = semanticRatio ?? Self.defaultSemanticRatio
        guard offset >= 0 else { throw .invalid(field: "offset", reason: "must be 0 or more") }
        guard (1...Self.maximumLimit).contains(limit) else {
            throw .invalid(field: "limit", reason: "must be between 1 and \(Self.maximumLimit)")
        }
        do {
            try PageRequest.checkWindow(offset: offset, limit: limit)
        } catch {
            guard case .invalid(let field, let reason) = error else { throw .invalid(field: "offset", reason: "\(error)") }
            throw .invalid(field: field, reason: reason)
        }
        guard semanticRatio.isFinite, (0...1).contains(semanticRatio) else {
            throw .invalid(field: "semanticRatio", reason: "must be between 0 and 1")
        }
        if let maxTokens, !AnswerBudget.allowed.contains(maxTokens) {
            throw .invalid(field: "maxTokens",
                           reason: "must be between \(AnswerBudget.allowed.lowerBound) and \(AnswerBudget.allowed.upperBound)")
        }
        self.text = text
        self.projectIDs = projectIDs
        self.mode = mode ?? Self.defaultMode
        self.filter = filter
        self.offset = offset
        self.limit = limit
        self.fusion = fusion ?? Self.defaultFusion
        self.syntax = syntax ?? .standard
        self.semanticRatio = semanticRatio
        self.maxTokens = maxTokens
    }
}
