import Foundation
import Index
import Logging
import Synchronization

/// Where sources keep their mirrors, and which repositories they may name.
public struct SourceSettings: Sendable {
    /// `LORE_SOURCES_DIR`: one bare mirror per source.
    public var directory: URL
    /// `LORE_SOURCES_LOCAL`: whether a source may name a repository on the server's own disk.
    public var allowsLocalPaths: Bool

    public static let defaultDirectory = "data/sources"

    public init(directory: URL = URL(fileURLWithPath: SourceSettings.defaultDirectory), allowsLocalPaths: Bool = true) {
        self.directory = directory
        self.allowsLocalPaths = allowsLocalPaths
    }
}

/// The progress of the syncs running in this process, by source.
public final class SyncProgressBoard: Sendable {
    private let entries = Mutex<[UUID: SyncProgress]>([:])

    public init() {}

    public func progress(of sourceID: UUID) -> SyncProgress? {
        entries.withLock { $0[sourceID] }
    }

    func set(_ progress: SyncProgress?, for sourceID: UUID) {
        entries.withLock { $0[sourceID] = progress }
    }
}

/// Syncs a source: from the commit it last synced to its ref's head (SPEC §11).
///
/// A sync claims the source (``SourceStore/claimSync(of:in:until:now:)``), so one process at a
/// time syncs it whatever the number of instances, and renews the claim while it runs. It reads
/// only what changed since the last synced commit — the whole tree, compared by content, when
/// there is none, after a force-push, when this instance's mirror lacks the base, or when the
/// filters changed — and applies the result in one transaction through the engine's write path.
/// A failure changes no document: it is recorded as the source's `lastError`, and the next sync
/// tries again.
public struct SourceSyncer<SyncedStore: Store>: Sendable {
    let store: SyncedStore
    let indexer: Indexer<SyncedStore>
    public let settings: SourceSettings
    /// What the syncs running in this process have done so far.
    public let board: SyncProgressBoard
    let onSync: @Sendable (SourceSyncReport) -> Void
    let logger: Logger

    init(store: SyncedStore, indexer: Indexer<SyncedStore>, settings: SourceSettings,
         onSync: @escaping @Sendable (SourceSyncReport) -> Void, logger: Logger) {
        self.store = store
        self.indexer = indexer
        self.settings = settings
        self.board = SyncProgressBoard()
        self.onSync = onSync
        self.logger = logger
    }

    /// Adds a source to a project, checking its URL against this server's settings.
    public func addSource(_ source: NewSource, to projectID: UUID) async throws -> Source {
        try await store.createSource(try source.validated(projectID: projectID, allowsLocalPaths: settings.allowsLocalPaths))
    }

    /// Deletes a source, its documents and its mirror.
    public func removeSource(_ sourceID: UUID, from projectID: UUID) async throws {
        let held = try await store.sourceFiles(of: sourceID, in: projectID)
        try await store.deleteSource(id: sourceID, in: projectID)
        await indexer.forget(held.values.map(\.documentID), in: projectID)
        try? FileManager.default.removeItem(at: mirrorDirectory(of: sourceID))
    }

    /// Syncs the source now; ``SourceSyncError/busy`` while another sync holds it.
    public func sync(_ sourceID: UUID, in projectID: UUID,
                     progress: @escaping @Sendable (SyncProgress) -> Void = { _ in }) async throws(SourceSyncError) -> SourceSyncReport {
        let lease: SyncLease
        do {
            guard let claimed = try await store.claimSync(of: sourceID, in: projectID, until: Date() + SyncLease.duration, now: Date()) else {
                throw SourceSyncError.busy
            }
            lease = claimed
        } catch {
            throw Self.syncError(error)
        }
        let board = board
        let report = { @Sendable (step: SyncProgress) in
            board.set(step, for: sourceID)
            progress(step)
        }
        defer { board.set(nil, for: sourceID) }
        // The claim is renewed while the sync runs; a renewal that fails stops the sync.
        let renewal = Task { [store] in
            while !Task.isCancelled {
                try? await Task.sleep(for: SyncLease.renewal)
                if Task.isCancelled { return true }
                guard (try? await store.renewSync(lease, until: Date() + SyncLease.duration)) ?? true else { return false }
            }
            return true
        }
        defer { renewal.cancel() }
        do {
            let result = try await run(lease, report: report)
            logger.info("source \(sourceID): synced to \(result.commit.prefix(12)): \(result.outcome.created) created, \(result.outcome.updated) updated, \(result.outcome.moved) moved, \(result.outcome.deleted) deleted, \(result.skipped.count) skipped")
            onSync(result)
            return result
        } catch {
            renewal.cancel()
            let failure = (await renewal.value) ? error : .leaseLost
            try? await store.recordSyncFailure(lease, message: failure.description, at: Date())
            logger.warning("source \(sourceID): sync failed: \(failure)")
            throw failure
        }
    }

    private func run(_ lease: SyncLease, report: @escaping @Sendable (SyncProgress) -> Void) async throws(SourceSyncError) -> SourceSyncReport {
        let started = ContinuousClock.now
        let source: Source
        let current: [String: SourceFile]
        do {
            source = try await store.source(id: lease.sourceID, in: lease.projectID)
            current = try await store.sourceFiles(of: lease.sourceID, in: lease.projectID)
        } catch {
            throw Self.syncError(error)
        }
        // The setting is checked at every sync, not only when the source was added.
        if !settings.allowsLocalPaths {
            do { _ = try SourceURL.validate(source.url, allowsLocalPaths: false) } catch { throw .store(error) }
        }
        report(SyncProgress(phase: .fetching))
        let mirror = try mirror(of: source.id)
        let head = try await mirror.fetch(source.url, ref: source.ref)
        let planner = SourceSyncPlanner(source: source)

        report(SyncProgress(phase: .comparing))
        var considered: Set<String>
        var entries: [TreeEntry]
        var renames: [String: String] = [:]
        let base = source.needsFullComparison ? nil : source.lastCommit
        let incremental: Bool
        if let base, await mirror.canDiff(from: base, to: head) {
            let changes = try await mirror.changes(from: base, to: head)
            considered = Set(changes.removed).union(changes.present.map(\.path))
            entries = changes.present
            renames = changes.renames
            incremental = true
        } else {
            entries = try await mirror.files(at: head)
            considered = Set(current.keys).union(entries.map(\.path))
            incremental = false
        }
        let (readable, unreadable) = planner.candidates(entries)
        var skipped = unreadable
        let (targets, unfit) = try await read(readable, from: mirror, planner: planner, report: report)
        skipped += unfit
        let (plan, unchanged) = planner.plan(commit: head, considered: considered, targets: targets, current: current, renames: renames)

        report(SyncProgress(phase: .applying, done: 0, total: plan.writes.count + plan.deletes.count))
        var outcome: SourceSyncOutcome
        do {
            outcome = try await indexer.applySync(plan, lease: lease)
        } catch {
            throw Self.syncError(error)
        }
        outcome.unchanged += unchanged
        let lag = await mirror.commitDate(head).map { Date().timeIntervalSince($0) }
        return SourceSyncReport(sourceID: source.id, projectID: source.projectId, commit: head, previousCommit: source.lastCommit,
                                fullComparison: !incremental, outcome: outcome, skipped: skipped.sorted { $0.path < $1.path },
                                duration: ContinuousClock.now - started, lag: lag)
    }

    /// Reads the files in batches: their documents, and the files that cannot be documents.
    private func read(_ entries: [TreeEntry], from mirror: GitMirror, planner: SourceSyncPlanner,
                      report: @Sendable (SyncProgress) -> Void) async throws(SourceSyncError) -> ([String: SourceFileTarget], [SkippedFile]) {
        var targets: [String: SourceFileTarget] = [:]
        var skipped: [SkippedFile] = []
        let sizes = try await mirror.sizes(of: Array(Set(entries.map(\.object))))
        var small: [TreeEntry] = []
        for entry in entries {
            if let size = sizes[entry.object], size > DocumentPreparer.maximumContentBytes {
                skipped.append(SkippedFile(path: entry.path, reason: "larger than \(DocumentPreparer.maximumContentBytes >> 20) MiB"))
            } else {
                small.append(entry)
            }
        }
        report(SyncProgress(phase: .reading, done: 0, total: small.count))
        var done = 0
        for batch in stride(from: 0, to: small.count, by: Self.readBatch).map({ small[$0..<min($0 + Self.readBatch, small.count)] }) {
            let contents = try await mirror.contents(of: Array(Set(batch.map(\.object))))
            for entry in batch {
                guard let data = contents[entry.object] else {
                    skipped.append(SkippedFile(path: entry.path, reason: "missing from the repository"))
                    continue
                }
                switch planner.target(path: entry.path, data: data) {
                case .document(let target): targets[entry.path] = target
                case .skipped(let skip): skipped.append(skip)
                }
            }
            done += batch.count
            report(SyncProgress(phase: .reading, done: done, total: small.count))
        }
        return (targets, skipped)
    }

    /// Files read per `git cat-file` run: enough to amortise the process, little enough to show progress.
    static var readBatch: Int { 500 }

    private func mirror(of sourceID: UUID) throws(SourceSyncError) -> GitMirror {
        GitMirror(directory: mirrorDirectory(of: sourceID), git: try GitCommand())
    }

    private func mirrorDirectory(of sourceID: UUID) -> URL {
        settings.directory.appendingPathComponent("\(sourceID.uuidString.lowercased()).git")
    }

    static func syncError(_ error: any Error) -> SourceSyncError {
        switch error {
        case let error as SourceSyncError: error
        case IndexError.conflict(field: "sync", _): .leaseLost
        case let error as IndexError: .store(error)
        default: .store(.storage(reason: "\(error)"))
        }
    }
}
