import Foundation

/// How many rows of each kind an installation holds; `lore copy` compares source and target.
public struct InstallationCounts: Sendable, Equatable, Codable, CustomStringConvertible {
    public var users: Int
    public var projects: Int
    public var documents: Int
    public var chunks: Int
    public var vectors: Int
    public var revokedSessions: Int
    public var sources: Int

    public init(users: Int, projects: Int, documents: Int, chunks: Int, vectors: Int, revokedSessions: Int, sources: Int = 0) {
        self.users = users
        self.projects = projects
        self.documents = documents
        self.chunks = chunks
        self.vectors = vectors
        self.revokedSessions = revokedSessions
        self.sources = sources
    }

    public var isEmpty: Bool { users == 0 && projects == 0 && documents == 0 }

    public var description: String {
        "\(users) users, \(projects) projects, \(sources) sources, \(documents) documents, \(chunks) chunks, \(vectors) vectors, \(revokedSessions) revoked sessions"
    }
}

/// A project as stored, with the hash of its API key (the key itself is never stored), its
/// scoped keys and its Git sources (their sync state; the mirrors are fetched again).
public struct TransferredProject: Sendable {
    public var project: Project
    public var apiKeyHash: String
    public var keys: [TransferredKey] = []
    public var sources: [Source] = []
}

/// A scoped key as stored: its record and its hash.
public struct TransferredKey: Sendable {
    public var key: ProjectKey
    public var hash: String
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
