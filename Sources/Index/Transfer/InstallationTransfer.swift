import Foundation

/// How many rows of each kind an installation holds; `lore copy` compares source and target.
public struct InstallationCounts: Sendable, Equatable, Codable, CustomStringConvertible {
    public var users: Int
    public var projects: Int
    public var documents: Int
    public var chunks: Int
    public var vectors: Int
    public var revokedSessions: Int

    public init(users: Int, projects: Int, documents: Int, chunks: Int, vectors: Int, revokedSessions: Int) {
        self.users = users
        self.projects = projects
        self.documents = documents
        self.chunks = chunks
        self.vectors = vectors
        self.revokedSessions = revokedSessions
    }

    public var isEmpty: Bool { users == 0 && projects == 0 && documents == 0 }

    public var description: String {
        "\(users) users, \(projects) projects, \(documents) documents, \(chunks) chunks, \(vectors) vectors, \(revokedSessions) revoked sessions"
    }
}

/// A project as stored, with the hash of its API key (the key itself is never stored).
public struct TransferredProject: Sendable {
    public var project: Project
    public var apiKeyHash: String
}

/// A document as stored, with its chunks and their vectors.
public struct TransferredDocument: Sendable {
    public var document: Document
    public var chunks: [TransferredChunk]
}

/// A chunk as stored: its text, identity hash, and vector state.
public struct TransferredChunk: Sendable {
    public var position: Int
    public var heading: String
    public var text: String
    public var tokenCount: Int
    public var contentHash: String
    public var embedding: [Float]?
    public var embeddingModel: String?
    public var embeddingAttempts: Int
    public var embeddingFailed: Bool
}

/// A revoked session token id and when it would have expired.
public struct RevokedSession: Sendable {
    public var id: String
    public var expiresAt: Date
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

/// Everything a Lore store offers: the application's protocols, totals and transfer.
public typealias LoreStore = Store & StoreTotalsReporting & InstallationTransfer
