import Foundation

/// A named collection of documents, owned by one user and reached by one API key.
public struct Project: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var ownerId: UUID
    /// Unique per owner, without regard to case.
    public var name: String
    /// URL-safe form of the name, unique per owner.
    public var slug: String
    public var description: String
    /// The first characters of the API key, safe to display ("lore_ab12…").
    public var apiKeyPrefix: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, ownerId: UUID, name: String, slug: String, description: String,
        apiKeyPrefix: String, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.ownerId = ownerId
        self.name = name
        self.slug = slug
        self.description = description
        self.apiKeyPrefix = apiKeyPrefix
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// What it takes to create a project; the store issues the API key.
public struct NewProject: Sendable {
    public var ownerId: UUID
    public var name: String
    public var description: String

    public init(ownerId: UUID, name: String, description: String = "") {
        self.ownerId = ownerId
        self.name = name
        self.description = description
    }
}

/// A project together with its API key in clear text, which exists only at creation or rotation.
public struct ProjectWithKey: Sendable {
    public var project: Project
    public var apiKey: String
}

/// Counts that show how much of a project is indexed.
public struct ProjectStats: Codable, Sendable, Equatable {
    public var documents: Int
    public var chunks: Int
    public var embeddedChunks: Int
}
