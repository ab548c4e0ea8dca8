import Foundation

// The store contract, whole: every protocol a backend implements (SQLite and PostgreSQL).

/// Users: creation and lookup. Emails are unique without regard to case.
public protocol UserStore: Sendable {
    /// Creates a user; `.conflict(field: "email")` when the email is taken.
    func createUser(_ user: NewUser) async throws -> User
    /// The user with this id; `.notFound` otherwise.
    func user(id: UUID) async throws -> User
    /// The user with this email (any case); `.notFound` otherwise.
    func user(email: String) async throws -> User
}

/// Projects, their API keys and their statistics.
public protocol ProjectStore: Sendable {
    /// Creates a project and issues its API key; `.conflict(field: "name")` when the owner has one
    /// of that name already.
    func createProject(_ project: NewProject) async throws -> ProjectWithKey
    /// The project with this id; `.notFound` otherwise.
    func project(id: UUID) async throws -> Project
    /// The owner's projects by name.
    func projects(ownedBy ownerID: UUID, page: PageRequest) async throws -> Page<Project>
    /// Every project with this slug (across owners), for command-line lookups.
    func projects(slug: String) async throws -> [Project]
    /// Renames or re-describes a project; `nil` keeps a field.
    func updateProject(id: UUID, name: String?, description: String?) async throws -> Project
    /// Deletes a project with its documents, chunks and index entries.
    func deleteProject(id: UUID) async throws
    /// Issues a new API key; the old one stops working at once.
    func rotateAPIKey(projectID: UUID) async throws -> ProjectWithKey
    /// Document, chunk and embedding counts.
    func stats(projectID: UUID) async throws -> ProjectStats
}

/// A project's scoped API keys (SPEC §10), besides the project's own full-access key, which
/// ``ProjectStore/rotateAPIKey(projectID:)`` issues. Keys are stored only as SHA-256 hashes.
public protocol KeyStore: Sendable {
    /// Issues a key; returns its record and the secret in clear text (which exists only here).
    /// `.notFound` for an unknown project; `.conflict(field: "keys")` past
    /// ``ProjectKey/maximumPerProject``.
    func createKey(_ key: NewProjectKey, in projectID: UUID) async throws -> (ProjectKey, secret: String)
    /// The project's keys, oldest first.
    func keys(in projectID: UUID, page: PageRequest) async throws -> Page<ProjectKey>
    /// Deletes a key; every instance refuses it from then on. `.notFound` when the project has no
    /// such key.
    func revokeKey(id: UUID, in projectID: UUID) async throws
    /// What the key in clear text opens — the project's own key or one of its scoped keys,
    /// expired or not; `.notFound` otherwise.
    func grant(apiKey: String) async throws -> KeyGrant
    /// Records that the key was used at `time`, unless that was already recorded less than
    /// ``ProjectKey/useRecordingInterval`` before.
    func recordKeyUse(id: UUID, at time: Date) async throws
}

/// A project's Git sources (SPEC §11) and the state of their syncs.
///
/// Invariant: one sync of a source runs at a time across every process sharing the database. A
/// sync first claims the source (``claimSync(of:in:until:now:)``), renews the claim while it
/// works, and applies its whole result in one transaction that also records the new commit
/// (``applySync(_:lease:)``) — only while the claim is still its own. A process that dies lets
/// its claim lapse, and its sync left nothing behind.
public protocol SourceStore: Sendable {
    /// Adds a source; `.notFound` for an unknown project, `.conflict(field: "pathPrefix")` when
    /// its folder overlaps another source's, `.conflict(field: "sources")` past
    /// ``Source/maximumPerProject``.
    func createSource(_ source: Source) async throws -> Source
    /// The project's sources, oldest first.
    func sources(in projectID: UUID, page: PageRequest) async throws -> Page<Source>
    /// The source; `.notFound` when the project has no such source.
    func source(id: UUID, in projectID: UUID) async throws -> Source
    /// Changes a source's settings; a changed filter makes its next sync compare the whole tree.
    func updateSource(id: UUID, in projectID: UUID, with update: SourceUpdate) async throws -> Source
    /// Deletes a source and every document it holds.
    func deleteSource(id: UUID, in projectID: UUID) async throws
    /// Sources of every project whose interval has passed since their last sync ended and that
    /// nobody is syncing, most overdue first.
    func dueSources(at now: Date, limit: Int) async throws -> [Source]
    /// Claims the source's sync until `until`; `nil` while another claim holds it.
    func claimSync(of sourceID: UUID, in projectID: UUID, until: Date, now: Date) async throws -> SyncLease?
    /// Extends a claim; `false` when it is no longer this lease's.
    func renewSync(_ lease: SyncLease, until: Date) async throws -> Bool
    /// The documents the source holds, by repository path.
    func sourceFiles(of sourceID: UUID, in projectID: UUID) async throws -> [String: SourceFile]
    /// Applies a sync's changes and records its commit, in one transaction, if `lease` still
    /// holds the source (`.conflict(field: "sync")` otherwise); releases the claim.
    func applySync(_ plan: SourceSyncPlan, lease: SyncLease) async throws -> SourceSyncOutcome
    /// Records why a sync failed (and nothing else) and releases the claim.
    func recordSyncFailure(_ lease: SyncLease, message: String, at time: Date) async throws
}

/// Documents and their chunks; every write is indexed for full text before it returns.
public protocol DocumentStore: Sendable {
    /// Creates a document; `.conflict(field: "path")` when the path exists in the project.
    func createDocument(_ document: NewDocument, in projectID: UUID) async throws -> Document
    /// Updates a document; `.staleVersion` when `expectedVersion` is not the stored version.
    /// An update that changes nothing leaves the version as it is.
    func updateDocument(id: UUID, in projectID: UUID, with update: DocumentUpdate) async throws -> Document
    /// Creates the document, or replaces the one at its path; says which happened.
    func upsertDocument(_ document: NewDocument, in projectID: UUID) async throws -> (Document, WriteOutcome)
    /// Writes many documents in one transaction; an invalid item fails alone.
    func writeDocuments(_ documents: [NewDocument], mode: BulkMode, in projectID: UUID) async throws -> [BulkItemResult]
    /// The document with this id in the project; `.notFound` otherwise.
    func document(id: UUID, in projectID: UUID) async throws -> Document
    /// The document at this path in the project; `.notFound` otherwise.
    func document(path: String, in projectID: UUID) async throws -> Document
    /// The provenance of those of `documentIDs` that come from a source (search hits show it).
    func documentSources(_ documentIDs: [UUID]) async throws -> [UUID: DocumentSource]
    /// A page of documents without content.
    func documents(in projectID: UUID, filter: DocumentFilter, sort: DocumentSort, page: PageRequest) async throws -> Page<DocumentSummary>
    /// Every path of the project with its content hash, for skipping unchanged files on import.
    func contentHashes(in projectID: UUID) async throws -> [String: String]
    /// Deletes a document with its chunks and index entries; `.notFound` when absent.
    func deleteDocument(id: UUID, in projectID: UUID) async throws
    /// Ranks documents by BM25 over their chunks; each document is represented by its best chunk.
    func searchFullText(_ request: FullTextRequest) async throws -> FullTextResults
    /// Highlighted excerpts (`<mark>`, HTML-escaped) of the given chunks for the query; chunks
    /// the query does not match are absent.
    func snippets(for query: SearchQuery, projectIDs: [UUID], chunkIDs: [Int64]) async throws -> [Int64: String]
    /// Re-chunks documents and rebuilds their full-text entries, in batches that each commit;
    /// `progress` receives (done, total). Running it again after an interruption finishes the job.
    func rebuildFullText(projectID: UUID?, progress: @Sendable (Int, Int) -> Void) async throws
}

/// Filters of document lists and searches.
public struct DocumentFilter: Sendable, Equatable {
    /// Only paths starting with this text.
    public var pathPrefix: String?
    /// Only documents carrying this tag.
    public var tag: String?

    public init(pathPrefix: String? = nil, tag: String? = nil) {
        self.pathPrefix = pathPrefix
        self.tag = tag
    }
}

/// Orders of document lists.
public enum DocumentSort: String, Sendable, CaseIterable {
    case path
    case newestFirst = "-updatedAt"
}

/// Revocation of session tokens (JWT ids) before they expire.
public protocol SessionStore: Sendable {
    /// Records that the token with this id must no longer be accepted; expired entries are purged.
    func revokeSession(id: String, expiresAt: Date) async throws
    /// Whether the token with this id was revoked.
    func isSessionRevoked(id: String) async throws -> Bool
}

/// The durable embedding queue and the vectors it produces.
public protocol EmbeddingStore: Sendable {
    /// Claims up to `limit` chunks without an embedding whose retry time has come, oldest first.
    /// A claim moves the chunk's retry time ``EmbeddingClaim/lease`` ahead, so no other worker
    /// (in this process or another sharing the database) takes it meanwhile; a claim that is
    /// never completed lapses, and the chunk is taken again.
    func pendingChunks(limit: Int, now: Date) async throws -> [PendingChunk]
    /// Extends the claim on chunks still waiting for their vector to `until` (a worker renews
    /// the claims of a batch while it embeds it, so the lease can be short).
    func renewClaims(chunkIDs: [Int64], until: Date) async throws
    /// Stores vectors made by `model` and updates their documents' `embeddingStatus`; returns the
    /// stored vectors by project so that loaded vector indexes can follow.
    ///
    /// Invariant: a vector is written only onto the chunk it was computed from — same id and
    /// same content hash. Chunks deleted or rewritten in the meantime are skipped.
    func saveEmbeddings(_ embeddings: [ChunkEmbedding], model: String) async throws -> [UUID: [StoredVector]]
    /// Counts a failed attempt; after `maximumAttempts` the chunk (and its document) is `failed`.
    func recordEmbeddingFailure(chunkIDs: [Int64], retryAt: Date, maximumAttempts: Int) async throws
    /// Every vector of the project made by `model`.
    func vectors(in projectID: UUID, model: String) async throws -> [StoredVector]
    /// The vectors made by `model` of the given chunks, by project (chunks without one are absent).
    func vectors(chunkIDs: [Int64], model: String) async throws -> [UUID: [StoredVector]]
    /// Queues again every chunk whose vector is missing, failed, or made by another model;
    /// returns how many were queued.
    func requeueEmbeddings(model: String, projectID: UUID?) async throws -> Int
    /// How many chunks wait for an embedding.
    func embeddingQueueDepth() async throws -> Int
    /// The text of the given chunks, for those whose document is live in one of `projectIDs`
    /// (a chunk of any other project is absent from the answer).
    func chunkExcerpts(_ chunkIDs: [Int64], in projectIDs: [UUID]) async throws -> [Int64: ChunkExcerpt]
    /// The documents of the projects that pass the filter (for filtering vector search).
    func documentIDs(in projectIDs: [UUID], filter: DocumentFilter) async throws -> Set<UUID>
}

/// How long a claimed chunk stays reserved for the worker that claimed it (both stores): short,
/// so that the claims of a process that died are taken over soon, and renewed every
/// ``renewal`` while a batch is being embedded, so that a slow batch keeps its chunks.
public enum EmbeddingClaim {
    public static let lease: TimeInterval = 30
    public static let renewal: Duration = .seconds(10)
}

/// Counts over every project, for the `/metrics` gauges.
public struct StoreTotals: Sendable, Equatable {
    /// Stored documents.
    public var documents: Int
    /// Chunks that have a vector.
    public var embeddedChunks: Int

    public init(documents: Int, embeddedChunks: Int) {
        self.documents = documents
        self.embeddedChunks = embeddedChunks
    }
}

/// Liveness, lifetime, totals and the changes other processes make.
public protocol StoreOperations: Sendable {
    /// Succeeds when the database answers a trivial query.
    func ping() async throws
    /// Whether every schema migration has run.
    func isMigrated() async throws -> Bool
    /// Releases the store's connections; it cannot be used afterwards.
    func close() async
    /// Documents, and chunks with a vector, over all projects.
    func totals() async throws -> StoreTotals
    /// Changes committed by other processes sharing the database, in commit order, until the
    /// store closes. A store no other process can write to has none.
    func changes() -> AsyncStream<StoreChange>
}

extension StoreOperations {
    public func changes() -> AsyncStream<StoreChange> {
        AsyncStream { $0.finish() }
    }
}

/// Reading and writing a whole installation exactly as stored (ids, password and key hashes,
/// versions, times, chunks and vectors), so that it can move between backends.
///
/// Imports bypass validation and chunking on purpose: what was valid in the source is kept as
/// it was, byte for byte. They are meant for an empty target.
public protocol InstallationTransfer: Sendable {
    func counts() async throws -> InstallationCounts
    func exportUsers() async throws -> [User]
    func exportProjects() async throws -> [TransferredProject]
    /// Up to `limit` documents of the project whose path sorts after `afterPath`, by path.
    func exportDocuments(projectID: UUID, afterPath: String?, limit: Int) async throws -> [TransferredDocument]
    func exportRevokedSessions() async throws -> [RevokedSession]
    func importUsers(_ users: [User]) async throws
    func importProjects(_ projects: [TransferredProject]) async throws
    /// Writes documents (of projects already imported) in one transaction.
    func importDocuments(_ documents: [TransferredDocument]) async throws
    func importRevokedSessions(_ sessions: [RevokedSession]) async throws
}

/// Everything the application needs of a store.
public typealias Store = UserStore & ProjectStore & KeyStore & SourceStore & DocumentStore & SessionStore & EmbeddingStore & StoreOperations

/// A store as a backend implements it: the application's contract and whole-installation transfer.
public typealias LoreStore = Store & InstallationTransfer
