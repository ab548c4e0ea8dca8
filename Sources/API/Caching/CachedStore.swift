import Foundation
import Index

/// The store with the lookups every request makes cached in memory: users by id, projects by id,
/// what each API key grants, a user's project list, and revoked session ids.
///
/// Every write through this store that could change a cached answer invalidates it before it
/// returns (creating, renaming, deleting a project, rotating or revoking a key, revoking a
/// session), so a rotated or revoked key or a logout takes effect at once; ``apply(_:)`` does the same for changes made by
/// other processes sharing the database. Documents, search and embeddings pass through
/// untouched. Hits and misses are reported to `onLookup` for the metrics.
public struct CachedStore<Base: Store>: Store {
    public let base: Base
    let onLookup: @Sendable (_ hit: Bool) -> Void
    let users = LookupCache<UUID, User>()
    let projectsByID = LookupCache<UUID, Project>()
    /// Keyed by the key's SHA-256, so no key is held in clear text.
    let grantsByKey = LookupCache<String, KeyGrant>()
    /// When each scoped key's use was last recorded, so that requests record it once a minute.
    let keyUses = LookupCache<UUID, Date>()
    let projectLists = LookupCache<ProjectListKey, Page<Project>>()
    let revokedSessions = LookupCache<String, Bool>()

    struct ProjectListKey: Hashable, Sendable {
        var owner: UUID
        var offset: Int
        var limit: Int
    }

    public init(base: Base, onLookup: @escaping @Sendable (_ hit: Bool) -> Void = { _ in }) {
        self.base = base
        self.onLookup = onLookup
    }

    private func cached<Key: Hashable & Sendable, Value: Sendable>(
        _ cache: LookupCache<Key, Value>, _ key: Key, load: () async throws -> Value
    ) async throws -> Value {
        if let value = cache.value(for: key) {
            onLookup(true)
            return value
        }
        onLookup(false)
        let generation = cache.generation
        let value = try await load()
        cache.fill(value, for: key, loadedAt: generation)
        return value
    }

    /// Forgets everything cached about a project, and every project list (a rename can move a
    /// project from one page to another; project writes are rare).
    private func forget(project id: UUID) {
        projectsByID.remove { key, _ in key == id }
        grantsByKey.remove { _, grant in grant.project.id == id }
        projectLists.removeAll()
    }

    /// Applies a change another instance made: forgets what it made stale.
    public func apply(_ change: StoreChange) {
        switch change {
        case .project(let id):
            forget(project: id)
        case .sessionRevoked(let id):
            revokedSessions.store(true, for: id)
        case .vectors:
            break
        case .resynchronize:
            users.removeAll()
            projectsByID.removeAll()
            grantsByKey.removeAll()
            projectLists.removeAll()
            revokedSessions.removeAll()
        }
    }

    // MARK: Users

    public func createUser(_ user: NewUser) async throws -> User { try await base.createUser(user) }
    public func user(id: UUID) async throws -> User { try await cached(users, id) { try await base.user(id: id) } }
    public func user(email: String) async throws -> User { try await base.user(email: email) }

    // MARK: Projects

    public func createProject(_ project: NewProject) async throws -> ProjectWithKey {
        let created = try await base.createProject(project)
        projectLists.remove { key, _ in key.owner == project.ownerId }
        return created
    }

    public func project(id: UUID) async throws -> Project {
        try await cached(projectsByID, id) { try await base.project(id: id) }
    }


    public func projects(ownedBy ownerID: UUID, page: PageRequest) async throws -> Page<Project> {
        try await cached(projectLists, ProjectListKey(owner: ownerID, offset: page.offset, limit: page.limit)) {
            try await base.projects(ownedBy: ownerID, page: page)
        }
    }

    public func projects(slug: String) async throws -> [Project] { try await base.projects(slug: slug) }

    public func updateProject(id: UUID, name: String?, description: String?) async throws -> Project {
        defer { forget(project: id) }
        return try await base.updateProject(id: id, name: name, description: description)
    }

    public func deleteProject(id: UUID) async throws {
        defer { forget(project: id) }
        try await base.deleteProject(id: id)
    }

    public func rotateAPIKey(projectID: UUID) async throws -> ProjectWithKey {
        defer { forget(project: projectID) }
        return try await base.rotateAPIKey(projectID: projectID)
    }

    public func stats(projectID: UUID) async throws -> ProjectStats { try await base.stats(projectID: projectID) }

    // MARK: Keys

    public func createKey(_ key: NewProjectKey, in projectID: UUID) async throws -> (ProjectKey, secret: String) {
        try await base.createKey(key, in: projectID)
    }

    public func keys(in projectID: UUID, page: PageRequest) async throws -> Page<ProjectKey> {
        try await base.keys(in: projectID, page: page)
    }

    public func revokeKey(id: UUID, in projectID: UUID) async throws {
        defer { forget(project: projectID) }
        try await base.revokeKey(id: id, in: projectID)
    }

    public func grant(apiKey: String) async throws -> KeyGrant {
        try await cached(grantsByKey, APIKey.hash(apiKey)) { try await base.grant(apiKey: apiKey) }
    }

    public func recordKeyUse(id: UUID, at time: Date) async throws {
        if let recorded = keyUses.value(for: id), time.timeIntervalSince(recorded) < ProjectKey.useRecordingInterval { return }
        try await base.recordKeyUse(id: id, at: time)
        keyUses.store(time, for: id)
    }

    // MARK: Sessions

    public func revokeSession(id: String, expiresAt: Date) async throws {
        try await base.revokeSession(id: id, expiresAt: expiresAt)
        revokedSessions.store(true, for: id)
    }

    public func isSessionRevoked(id: String) async throws -> Bool {
        try await cached(revokedSessions, id) { try await base.isSessionRevoked(id: id) }
    }

    // MARK: Pass-through

    public func createDocument(_ document: NewDocument, in projectID: UUID) async throws -> Document {
        try await base.createDocument(document, in: projectID)
    }
    public func updateDocument(id: UUID, in projectID: UUID, with update: DocumentUpdate) async throws -> Document {
        try await base.updateDocument(id: id, in: projectID, with: update)
    }
    public func upsertDocument(_ document: NewDocument, in projectID: UUID) async throws -> (Document, WriteOutcome) {
        try await base.upsertDocument(document, in: projectID)
    }
    public func writeDocuments(_ documents: [NewDocument], mode: BulkMode, in projectID: UUID) async throws -> [BulkItemResult] {
        try await base.writeDocuments(documents, mode: mode, in: projectID)
    }
    public func document(id: UUID, in projectID: UUID) async throws -> Document { try await base.document(id: id, in: projectID) }
    public func document(path: String, in projectID: UUID) async throws -> Document { try await base.document(path: path, in: projectID) }
    public func documents(in projectID: UUID, filter: DocumentFilter, sort: DocumentSort, page: PageRequest) async throws -> Page<DocumentSummary> {
        try await base.documents(in: projectID, filter: filter, sort: sort, page: page)
    }
    public func documentSources(_ documentIDs: [UUID]) async throws -> [UUID: DocumentSource] {
        try await base.documentSources(documentIDs)
    }
    public func contentHashes(in projectID: UUID) async throws -> [String: String] { try await base.contentHashes(in: projectID) }
    public func deleteDocument(id: UUID, in projectID: UUID) async throws {
        try await base.deleteDocument(id: id, in: projectID)
    }
    public func searchFullText(_ request: FullTextRequest) async throws -> FullTextResults { try await base.searchFullText(request) }
    public func snippets(for query: SearchQuery, projectIDs: [UUID], chunkIDs: [Int64]) async throws -> [Int64: String] {
        try await base.snippets(for: query, projectIDs: projectIDs, chunkIDs: chunkIDs)
    }
    public func rebuildFullText(projectID: UUID?, progress: @Sendable (Int, Int) -> Void) async throws {
        try await base.rebuildFullText(projectID: projectID, progress: progress)
    }
    public func ping() async throws { try await base.ping() }
    public func close() async { await base.close() }
    public func isMigrated() async throws -> Bool { try await base.isMigrated() }
    public func pendingChunks(limit: Int, now: Date) async throws -> [PendingChunk] { try await base.pendingChunks(limit: limit, now: now) }
    public func renewClaims(chunkIDs: [Int64], until: Date) async throws { try await base.renewClaims(chunkIDs: chunkIDs, until: until) }
    public func saveEmbeddings(_ embeddings: [ChunkEmbedding], model: String) async throws -> [UUID: [StoredVector]] {
        try await base.saveEmbeddings(embeddings, model: model)
    }
    public func recordEmbeddingFailure(chunkIDs: [Int64], retryAt: Date, maximumAttempts: Int) async throws {
        try await base.recordEmbeddingFailure(chunkIDs: chunkIDs, retryAt: retryAt, maximumAttempts: maximumAttempts)
    }
    public func vectors(in projectID: UUID, model: String) async throws -> [StoredVector] { try await base.vectors(in: projectID, model: model) }
    public func vectors(chunkIDs: [Int64], model: String) async throws -> [UUID: [StoredVector]] {
        try await base.vectors(chunkIDs: chunkIDs, model: model)
    }
    public func requeueEmbeddings(model: String, projectID: UUID?) async throws -> Int {
        try await base.requeueEmbeddings(model: model, projectID: projectID)
    }
    public func embeddingQueueDepth() async throws -> Int { try await base.embeddingQueueDepth() }
    public func chunkExcerpts(_ chunkIDs: [Int64], in projectIDs: [UUID]) async throws -> [Int64: ChunkExcerpt] {
        try await base.chunkExcerpts(chunkIDs, in: projectIDs)
    }
    public func documentIDs(in projectIDs: [UUID], filter: DocumentFilter) async throws -> Set<UUID> {
        try await base.documentIDs(in: projectIDs, filter: filter)
    }

    public func totals() async throws -> StoreTotals { try await base.totals() }
    public func changes() -> AsyncStream<StoreChange> { base.changes() }
}

// MARK: Sources (not cached: a sync's claim must always see the database)

extension CachedStore {
    public func createSource(_ source: Source) async throws -> Source { try await base.createSource(source) }
    public func sources(in projectID: UUID, page: PageRequest) async throws -> Page<Source> { try await base.sources(in: projectID, page: page) }
    public func source(id: UUID, in projectID: UUID) async throws -> Source { try await base.source(id: id, in: projectID) }
    public func updateSource(id: UUID, in projectID: UUID, with update: SourceUpdate) async throws -> Source {
        try await base.updateSource(id: id, in: projectID, with: update)
    }
    public func deleteSource(id: UUID, in projectID: UUID) async throws { try await base.deleteSource(id: id, in: projectID) }
    public func dueSources(at now: Date, limit: Int) async throws -> [Source] { try await base.dueSources(at: now, limit: limit) }
    public func claimSync(of sourceID: UUID, in projectID: UUID, until: Date, now: Date) async throws -> SyncLease? {
        try await base.claimSync(of: sourceID, in: projectID, until: until, now: now)
    }
    public func renewSync(_ lease: SyncLease, until: Date) async throws -> Bool { try await base.renewSync(lease, until: until) }
    public func sourceFiles(of sourceID: UUID, in projectID: UUID) async throws -> [String: SourceFile] {
        try await base.sourceFiles(of: sourceID, in: projectID)
    }
    public func applySync(_ plan: SourceSyncPlan, lease: SyncLease) async throws -> SourceSyncOutcome {
        try await base.applySync(plan, lease: lease)
    }
    public func recordSyncFailure(_ lease: SyncLease, message: String, at time: Date) async throws {
        try await base.recordSyncFailure(lease, message: message, at: time)
    }
}
