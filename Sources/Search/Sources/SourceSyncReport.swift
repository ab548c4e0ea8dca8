import Foundation
import Index

/// A repository file a sync left out, and why (binary, not UTF-8, too large, an invalid path…).
public struct SkippedFile: Sendable, Equatable, Codable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// What one sync of a source did.
public struct SourceSyncReport: Sendable, Equatable {
    public var sourceID: UUID
    public var projectID: UUID
    /// The commit the project now reflects, and the one it reflected before.
    public var commit: String
    public var previousCommit: String?
    /// Whether the whole tree was compared by content (first sync, force-push, lost base, new filters).
    public var fullComparison: Bool
    /// Creates, updates, moves and deletes; `unchanged` counts the compared files left as they were.
    public var outcome: SourceSyncOutcome
    public var skipped: [SkippedFile]
    public var duration: Duration
    /// How long after the head commit was made it became searchable.
    public var lag: TimeInterval?
}

/// How far a running sync has got.
public struct SyncProgress: Sendable, Equatable, Codable {
    public enum Phase: String, Sendable, Codable {
        case fetching, comparing, reading, applying
    }

    public var phase: Phase
    /// Files handled so far in this phase, out of `total` (0 when not yet known).
    public var done: Int
    public var total: Int

    public init(phase: Phase, done: Int = 0, total: Int = 0) {
        self.phase = phase
        self.done = done
        self.total = total
    }
}
