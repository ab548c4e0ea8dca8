import Foundation
import Index

/// The write path of the engine: every document write of every front door goes through here.
///
/// Each write wakes the embedding worker, so new chunks are embedded at once rather than at the
/// next poll, and a deleted document leaves the loaded vector index at once.
public struct Indexer<IndexedStore: DocumentStore & EmbeddingStore>: Sendable {
    public let store: IndexedStore
    let semantic: SemanticSearcher?
    let wake: WorkSignal

    public func createDocument(_ document: NewDocument, in projectID: UUID) async throws -> Document {
        defer { wake.notify() }
        return try await store.createDocument(document, in: projectID)
    }

    public func updateDocument(id: UUID, in projectID: UUID, with update: DocumentUpdate) async throws -> Document {
        defer { wake.notify() }
        return try await store.updateDocument(id: id, in: projectID, with: update)
    }

    public func upsertDocument(_ document: NewDocument, in projectID: UUID) async throws -> (Document, WriteOutcome) {
        defer { wake.notify() }
        return try await store.upsertDocument(document, in: projectID)
    }

    public func writeDocuments(_ documents: [NewDocument], mode: BulkMode, in projectID: UUID) async throws -> [BulkItemResult] {
        defer { wake.notify() }
        return try await store.writeDocuments(documents, mode: mode, in: projectID)
    }

    public func deleteDocument(id: UUID, in projectID: UUID) async throws {
        try await store.deleteDocument(id: id, in: projectID)
        _ = await semantic?.cache.cachedIndex(for: projectID)?.remove(documentID: id)
    }

    /// Imports the matching files of a folder (see ``DirectoryImporter``), waking the worker after
    /// every batch.
    public func importFiles(
        from directory: URL, into projectID: UUID, patterns: [String] = DirectoryImporter<IndexedStore>.defaultPatterns,
        progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> ImportReport {
        let wake = wake
        defer { wake.notify() }
        return try await DirectoryImporter(store: store).importFiles(from: directory, into: projectID, patterns: patterns) {
            progress($0, $1)
            wake.notify()
        }
    }
}

extension Indexer where IndexedStore: SourceStore {
    /// Applies a source's sync (see ``SourceStore/applySync(_:lease:)``): the worker embeds the
    /// new chunks, and deleted documents leave the loaded vector index.
    public func applySync(_ plan: SourceSyncPlan, lease: SyncLease) async throws -> SourceSyncOutcome {
        defer { wake.notify() }
        let outcome = try await store.applySync(plan, lease: lease)
        await forget(outcome.deletedDocumentIDs, in: lease.projectID)
        return outcome
    }

    /// Drops deleted documents from the project's loaded vector index.
    func forget(_ documentIDs: [UUID], in projectID: UUID) async {
        guard !documentIDs.isEmpty, let index = await semantic?.cache.cachedIndex(for: projectID) else { return }
        for id in documentIDs { index.remove(documentID: id) }
    }
}
