import Foundation
import Index

/// One project as one caller may reach it: the owner (``KeyScope/full``) or an API key's scope.
///
/// Invariant (SPEC §10), enforced here and nowhere else: every document read, listing, write and
/// search of a project that a front door serves (HTTP, MCP over HTTP, MCP over stdio) passes
/// through this type, so a key that may only read never writes (``SearchError/forbidden(reason:)``),
/// and a key confined to a folder reaches nothing outside it — a document outside is absent
/// (`.notFound`) to its reads, a write to a path or a document outside is forbidden, and
/// listings and searches (every mode, every page, their totals, the full-text fallback) are
/// filtered by the store itself.
public struct ProjectAccess<AccessStore: Store>: Sendable {
    public let engine: Engine<AccessStore>
    public let project: Project
    public let scope: KeyScope

    var store: AccessStore { engine.store }
    var indexer: Indexer<AccessStore> { engine.indexer }

    // MARK: Reads

    public func documents(filter: DocumentFilter, sort: DocumentSort, page: PageRequest) async throws -> Page<DocumentSummary> {
        try await store.documents(in: project.id, filter: scope.confine(filter), sort: sort, page: page)
    }

    public func document(id: UUID) async throws -> Document {
        let document = try await store.document(id: id, in: project.id)
        guard scope.reaches(path: document.path) else { throw IndexError.notFound(entity: "document") }
        return document
    }

    public func document(path: String) async throws -> Document {
        guard scope.reaches(path: path) else { throw IndexError.notFound(entity: "document") }
        return try await store.document(path: path, in: project.id)
    }

    /// Runs `request` in this project (whatever projects it named) within the scope's folder.
    public func search(_ request: SearchRequest) async throws -> SearchResponse {
        var request = request
        request.projectIDs = [project.id]
        request.filter = scope.confine(request.filter)
        return try await engine.search.search(request)
    }

    // MARK: Writes

    public func createDocument(_ document: NewDocument) async throws -> Document {
        try requireWrite(to: [document.path])
        return try await indexer.createDocument(document, in: project.id)
    }

    public func upsertDocument(_ document: NewDocument) async throws -> (Document, WriteOutcome) {
        try requireWrite(to: [document.path])
        return try await indexer.upsertDocument(document, in: project.id)
    }

    /// Bulk writes: forbidden whole when any item's path is outside the scope, so a batch never
    /// lands in part for want of reach.
    public func writeDocuments(_ documents: [NewDocument], mode: BulkMode) async throws -> [BulkItemResult] {
        try requireWrite(to: documents.map(\.path))
        return try await indexer.writeDocuments(documents, mode: mode, in: project.id)
    }

    /// Updates a document the scope reaches, to a path it reaches. A confined key's update is
    /// pinned to the version it checked, so a concurrent move out of its folder makes it stale
    /// rather than reach outside.
    public func updateDocument(id: UUID, with update: DocumentUpdate) async throws -> Document {
        try requireWrite(to: update.path.map { [$0] } ?? [])
        var update = update
        if scope.confinement != nil {
            let current = try await writable(id: id)
            if update.expectedVersion == nil { update.expectedVersion = current.version }
        }
        return try await indexer.updateDocument(id: id, in: project.id, with: update)
    }

    public func deleteDocument(id: UUID) async throws {
        try requireWrite(to: [])
        if scope.confinement != nil { _ = try await writable(id: id) }
        try await indexer.deleteDocument(id: id, in: project.id)
    }

    /// Deletes the document at `path`; returns it as it was.
    public func deleteDocument(path: String) async throws -> Document {
        try requireWrite(to: [path])
        let document = try await store.document(path: path, in: project.id)
        try await indexer.deleteDocument(id: document.id, in: project.id)
        return document
    }

    /// The document a write by id targets: `.notFound` when absent, forbidden outside the folder.
    private func writable(id: UUID) async throws -> Document {
        let document = try await store.document(id: id, in: project.id)
        try requireWrite(to: [document.path])
        return document
    }

    /// Throws ``SearchError/forbidden(reason:)`` unless the scope may write (for front doors that
    /// refuse a write before reading its arguments).
    public func requireWrite() throws {
        try requireWrite(to: [])
    }

    private func requireWrite(to paths: [String]) throws {
        guard scope.canWrite else {
            throw SearchError.forbidden(reason: "this API key may only read; writing needs a key with write access")
        }
        if let outside = paths.first(where: { !scope.reaches(path: $0) }), let folder = scope.confinement {
            throw SearchError.forbidden(reason: "this API key reaches only documents under '\(folder)', not '\(outside)'")
        }
    }
}
