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

extension NewProject {
    /// The project to store, with a new API key; its slug is the name's, still to be made
    /// unique for the owner. Throws for an invalid name or description.
    func validated(id: UUID = UUID(), at now: Date = Date()) throws(IndexError) -> ProjectWithKey {
        let name = try ProjectName.validate(name)
        let description = try ProjectName.validateDescription(description)
        let key = APIKey.generate()
        let project = Project(id: id, ownerId: ownerId, name: name, slug: Slug.make(from: name), description: description,
                              apiKeyPrefix: APIKey.displayPrefix(key), createdAt: now, updatedAt: now)
        return ProjectWithKey(project: project, apiKey: key)
    }
}

/// Project name and description rules.
public enum ProjectName {
    /// Trims the name; throws unless it is 1–100 characters without control characters.
    public static func validate(_ name: String) throws(IndexError) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.unicodeScalars.count <= 100 else {
            throw .invalid(field: "name", reason: "must be 1–100 characters")
        }
        guard !trimmed.containsASCIIControlCharacter else {
            throw .invalid(field: "name", reason: "must not contain control characters")
        }
        return trimmed
    }

    /// Throws when the description is longer than 2,000 characters or holds NUL.
    public static func validateDescription(_ text: String) throws(IndexError) -> String {
        guard text.unicodeScalars.count <= 2_000, !text.utf8.contains(0) else {
            throw .invalid(field: "description", reason: "must be at most 2000 characters of text")
        }
        return text
    }
}
