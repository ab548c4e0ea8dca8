import Foundation

/// What a project API key may do with the documents it reaches.
public enum KeyAccess: String, Codable, Sendable, CaseIterable {
    /// Read documents, list them and search them.
    case read
    /// Everything `read` may, and create, update and delete documents.
    case write
}

/// The reach of an API key inside its project: its access, and the folder it is confined to.
public struct KeyScope: Sendable, Hashable {
    public var access: KeyAccess
    /// Only documents whose path starts with ``confinement`` are reached; `nil`: the whole project.
    public var pathPrefix: String?

    public init(access: KeyAccess, pathPrefix: String? = nil) {
        self.access = access
        self.pathPrefix = pathPrefix
    }

    /// The project's own key, and a signed-in owner: everything in the project.
    public static let full = KeyScope(access: .write)

    public var canWrite: Bool { access == .write }

    /// The prefix every reached path starts with: the key's `pathPrefix` read as a folder
    /// (`docs` reaches `docs/a.md`, not `docs-private/a.md`); `nil` when the key is not confined.
    public var confinement: String? {
        pathPrefix.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
    }

    /// Whether a document at `path` is within reach.
    public func reaches(path: String) -> Bool {
        confinement.map(path.hasPrefix) ?? true
    }

    /// `filter` narrowed to what this scope reaches: the longer of the two path prefixes when one
    /// extends the other, and ``DocumentFilter/matchingNothing`` when they are disjoint.
    public func confine(_ filter: DocumentFilter) -> DocumentFilter {
        guard let confinement else { return filter }
        var narrowed = filter
        switch filter.pathPrefix {
        case nil:
            narrowed.pathPrefix = confinement
        case let requested? where requested.hasPrefix(confinement):
            break
        case let requested? where confinement.hasPrefix(requested):
            narrowed.pathPrefix = confinement
        default:
            return .matchingNothing
        }
        return narrowed
    }
}

extension DocumentFilter {
    /// A filter no document passes: paths are relative (``DocumentPath``), so none starts with `/`.
    public static let matchingNothing = DocumentFilter(pathPrefix: "/")
}

/// An API key of a project, as listed: never the key itself, only its display prefix.
public struct ProjectKey: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var projectId: UUID
    public var name: String
    /// The first characters of the key, safe to display (`lore_ab12cd`).
    public var prefix: String
    public var access: KeyAccess
    public var pathPrefix: String?
    public var createdAt: Date
    /// When the key last opened a request, to within ``ProjectKey/useRecordingInterval``.
    public var lastUsedAt: Date?
    public var expiresAt: Date?

    public init(id: UUID, projectId: UUID, name: String, prefix: String, access: KeyAccess, pathPrefix: String?,
                createdAt: Date, lastUsedAt: Date?, expiresAt: Date?) {
        self.id = id
        self.projectId = projectId
        self.name = name
        self.prefix = prefix
        self.access = access
        self.pathPrefix = pathPrefix
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.expiresAt = expiresAt
    }

    public var scope: KeyScope { KeyScope(access: access, pathPrefix: pathPrefix) }

    enum CodingKeys: String, CodingKey {
        case id, projectId, name, prefix, access, pathPrefix, createdAt, lastUsedAt, expiresAt
    }

    /// As the API and `lore keys --json` show it: lower-case ids, absent values as `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.uuidString.lowercased(), forKey: .id)
        try container.encode(projectId.uuidString.lowercased(), forKey: .projectId)
        try container.encode(name, forKey: .name)
        try container.encode(prefix, forKey: .prefix)
        try container.encode(access, forKey: .access)
        try container.encode(pathPrefix, forKey: .pathPrefix)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(lastUsedAt, forKey: .lastUsedAt)
        try container.encode(expiresAt, forKey: .expiresAt)
    }

    /// The most keys a project has besides its own (a bound on what one owner can make the
    /// store hold, and on the key list).
    public static let maximumPerProject = 100
    /// `lastUsedAt` is written at most this often per key, so that reads stay reads.
    public static let useRecordingInterval: TimeInterval = 60
}

/// What it takes to create a key; the store issues the secret.
public struct NewProjectKey: Sendable {
    public var name: String
    public var access: KeyAccess
    public var pathPrefix: String?
    public var expiresAt: Date?

    public init(name: String, access: KeyAccess, pathPrefix: String? = nil, expiresAt: Date? = nil) {
        self.name = name
        self.access = access
        self.pathPrefix = pathPrefix
        self.expiresAt = expiresAt
    }

    /// The key to store with its secret in clear text (shown once). Throws for a name that is
    /// not 1–100 characters of text, a path prefix that is not a relative folder or file path
    /// (``DocumentPath``, a trailing `/` allowed), or an expiry that is not in the future.
    func validated(projectID: UUID, id: UUID = UUID(), at now: Date = Date()) throws(IndexError) -> (ProjectKey, secret: String) {
        let name = try KeyName.validate(name)
        var pathPrefix = self.pathPrefix
        if let prefix = pathPrefix {
            let folder = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
            _ = try DocumentPath.validate(folder, field: "pathPrefix")
            pathPrefix = prefix
        }
        if let expiresAt, expiresAt <= now {
            throw .invalid(field: "expiresAt", reason: "must be in the future")
        }
        let secret = APIKey.generate()
        let key = ProjectKey(id: id, projectId: projectID, name: name, prefix: APIKey.displayPrefix(secret), access: access,
                             pathPrefix: pathPrefix, createdAt: now, lastUsedAt: nil, expiresAt: expiresAt)
        return (key, secret)
    }
}

/// Key name rules: those of project names.
enum KeyName {
    static func validate(_ name: String) throws(IndexError) -> String {
        do {
            return try ProjectName.validate(name)
        } catch {
            throw .invalid(field: "name", reason: "must be 1–100 characters without control characters")
        }
    }
}

/// What an API key in clear text opens: its project and its scope there.
public struct KeyGrant: Sendable, Equatable {
    public var project: Project
    /// The key's id; `nil` for the project's own key (from creation or rotation).
    public var keyID: UUID?
    public var scope: KeyScope
    public var expiresAt: Date?

    public init(project: Project, keyID: UUID?, scope: KeyScope, expiresAt: Date?) {
        self.project = project
        self.keyID = keyID
        self.scope = scope
        self.expiresAt = expiresAt
    }

    public func isExpired(at now: Date) -> Bool {
        expiresAt.map { $0 <= now } ?? false
    }
}

/// The outcome of checking an API key.
public enum KeyCheck: Sendable, Equatable {
    case granted(KeyGrant)
    /// The key exists but its expiry has passed.
    case expired
    /// Not a `lore_` key, unknown, revoked or rotated away.
    case invalid
}
