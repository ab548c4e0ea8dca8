import Foundation

/// One process's claim on a source's sync (see ``SourceStore``).
public struct SyncLease: Sendable, Equatable {
    public var sourceID: UUID
    public var projectID: UUID
    public var token: UUID

    public init(sourceID: UUID, projectID: UUID, token: UUID) {
        self.sourceID = sourceID
        self.projectID = projectID
        self.token = token
    }

    /// How long a claim lasts unless renewed: short, so a dead process's claim lapses soon.
    public static let duration: TimeInterval = 30
    /// How often a running sync renews its claim.
    public static let renewal: Duration = .seconds(10)
}

/// A document a source holds, as a sync compares it with the repository.
public struct SourceFile: Sendable, Equatable {
    public var documentID: UUID
    /// The document's path in the project.
    public var path: String
    public var contentHash: String

    public init(documentID: UUID, path: String, contentHash: String) {
        self.documentID = documentID
        self.path = path
        self.contentHash = contentHash
    }
}

/// A file a sync writes: its document (at its project path), its repository path, and — for a
/// rename — the project path of the document it moves (which keeps its id, chunks and vectors).
public struct SourceFileWrite: Sendable, Equatable {
    public var document: NewDocument
    public var repositoryPath: String
    public var previousPath: String?

    public init(document: NewDocument, repositoryPath: String, previousPath: String? = nil) {
        self.document = document
        self.repositoryPath = repositoryPath
        self.previousPath = previousPath
    }
}

/// Everything one sync changes, applied in one transaction (``SourceStore/applySync(_:lease:)``).
public struct SourceSyncPlan: Sendable, Equatable {
    /// The commit the project reflects once the plan is applied.
    public var commit: String
    public var writes: [SourceFileWrite]
    /// Project paths of the source's documents whose files are gone.
    public var deletes: [String]

    public init(commit: String, writes: [SourceFileWrite] = [], deletes: [String] = []) {
        self.commit = commit
        self.writes = writes
        self.deletes = deletes
    }
}

/// What a sync did.
public struct SourceSyncOutcome: Sendable, Equatable {
    public var created = 0
    public var updated = 0
    public var moved = 0
    public var deleted = 0
    public var unchanged = 0
    /// Ids of the deleted documents (loaded vector indexes drop them).
    public var deletedDocumentIDs: [UUID] = []

    public init() {}

    public var changed: Int { created + updated + moved + deleted }
}
