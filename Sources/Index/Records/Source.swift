import Foundation

/// Where a document came from (SPEC §11): its source, the commit the source was last synced at
/// (the document's content is the file's content at that commit), and the file's path in the
/// repository.
public struct DocumentSource: Sendable, Equatable, Codable {
    public var id: UUID
    public var commit: String
    public var path: String

    public init(id: UUID, commit: String, path: String) {
        self.id = id
        self.commit = commit
        self.path = path
    }

    enum CodingKeys: String, CodingKey { case id, commit, path }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.uuidString.lowercased(), forKey: .id)
        try container.encode(commit, forKey: .commit)
        try container.encode(path, forKey: .path)
    }
}

public enum SourceKind: String, Codable, Sendable, CaseIterable {
    case git
}

public enum SourceStatus: String, Codable, Sendable, CaseIterable {
    case idle, syncing, error
}

/// A project's Git source: the repository it follows and how far it has synced.
public struct Source: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var projectId: UUID
    public var kind: SourceKind
    /// As given: a local path, `file://`, `https://` or `ssh://` (validated by ``NewSource``).
    public var url: String
    public var ref: String
    public var include: [String]
    public var exclude: [String]
    /// The folder of the project the repository's files land in: `""` or ending with `/`.
    public var pathPrefix: String
    public var intervalSeconds: Int
    /// The secret push webhooks prove themselves with; never listed, shown once on creation.
    public var webhookSecret: String
    public var status: SourceStatus
    public var lastCommit: String?
    public var lastSyncedAt: Date?
    public var lastError: String?
    /// When the last sync ended, successful or not (the interval counts from here).
    public var lastAttemptAt: Date?
    /// How many documents the source holds now.
    public var documents: Int
    public var createdAt: Date
    /// Set when the filters changed since the last sync: the next compares the whole tree.
    public var needsFullComparison: Bool

    public init(id: UUID, projectId: UUID, kind: SourceKind, url: String, ref: String, include: [String], exclude: [String],
                pathPrefix: String, intervalSeconds: Int, webhookSecret: String, status: SourceStatus, lastCommit: String?,
                lastSyncedAt: Date?, lastError: String?, lastAttemptAt: Date?, documents: Int, createdAt: Date, needsFullComparison: Bool = false) {
        self.id = id
        self.projectId = projectId
        self.kind = kind
        self.url = url
        self.ref = ref
        self.include = include
        self.exclude = exclude
        self.pathPrefix = pathPrefix
        self.intervalSeconds = intervalSeconds
        self.webhookSecret = webhookSecret
        self.status = status
        self.lastCommit = lastCommit
        self.lastSyncedAt = lastSyncedAt
        self.lastError = lastError
        self.lastAttemptAt = lastAttemptAt
        self.documents = documents
        self.createdAt = createdAt
        self.needsFullComparison = needsFullComparison
    }

    /// The URL as reports show it: any user name and password removed.
    public var displayURL: String { SourceURL.withoutCredentials(url) }

    /// The project path of the repository file at `repositoryPath`.
    public func documentPath(of repositoryPath: String) -> String { pathPrefix + repositoryPath }

    /// Whether the source is due for a sync at `now`.
    public func isDue(at now: Date) -> Bool {
        guard let last = lastAttemptAt else { return true }
        return now.timeIntervalSince(last) >= Double(intervalSeconds)
    }

    public static let maximumPerProject = 20
    public static let defaultInclude = ["**/*.md", "**/*.markdown", "**/*.txt"]
    public static let defaultRef = "main"
    public static let defaultIntervalSeconds = 300
    public static let intervalRange = 10...604_800
}

/// The fields a client gives to add a source (SPEC §11); `nil` takes the default.
public struct NewSource: Sendable, Equatable {
    public var kind: SourceKind
    public var url: String
    public var ref: String?
    public var include: [String]?
    public var exclude: [String]?
    public var pathPrefix: String?
    public var intervalSeconds: Int?

    public init(kind: SourceKind = .git, url: String, ref: String? = nil, include: [String]? = nil, exclude: [String]? = nil,
                pathPrefix: String? = nil, intervalSeconds: Int? = nil) {
        self.kind = kind
        self.url = url
        self.ref = ref
        self.include = include
        self.exclude = exclude
        self.pathPrefix = pathPrefix
        self.intervalSeconds = intervalSeconds
    }

    /// The source as first stored; `.invalid` naming the first bad field.
    public func validated(projectID: UUID, allowsLocalPaths: Bool = true, id: UUID = UUID(), at now: Date = Date()) throws(IndexError) -> Source {
        let url = try SourceURL.validate(url, allowsLocalPaths: allowsLocalPaths)
        let update = SourceUpdate(ref: ref, include: include, exclude: exclude, intervalSeconds: intervalSeconds)
        let blank = Source(
            id: id, projectId: projectID, kind: kind, url: url, ref: Source.defaultRef, include: Source.defaultInclude, exclude: [],
            pathPrefix: try Self.validatePathPrefix(pathPrefix), intervalSeconds: Source.defaultIntervalSeconds,
            webhookSecret: SourceSecret.generate(), status: .idle, lastCommit: nil, lastSyncedAt: nil, lastError: nil,
            lastAttemptAt: nil, documents: 0, createdAt: now)
        return try update.applied(to: blank)
    }

    /// `""` or a relative folder ending with `/`.
    static func validatePathPrefix(_ prefix: String?) throws(IndexError) -> String {
        guard let prefix, !prefix.isEmpty else { return "" }
        let folder = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        return try DocumentPath.validate(folder, field: "pathPrefix") + "/"
    }
}

/// A change to a source's settings; `nil` keeps a field. A changed ref or filter makes the next
/// sync compare the whole tree.
public struct SourceUpdate: Sendable, Equatable {
    public var ref: String?
    public var include: [String]?
    public var exclude: [String]?
    public var intervalSeconds: Int?

    public init(ref: String? = nil, include: [String]? = nil, exclude: [String]? = nil, intervalSeconds: Int? = nil) {
        self.ref = ref
        self.include = include
        self.exclude = exclude
        self.intervalSeconds = intervalSeconds
    }

    public func applied(to source: Source) throws(IndexError) -> Source {
        var source = source
        if let ref { source.ref = try SourceRef.validate(ref) }
        if let include {
            guard !include.isEmpty else { throw .invalid(field: "include", reason: "must name at least one pattern") }
            source.include = try Self.validatePatterns(include, field: "include")
        }
        if let exclude { source.exclude = try Self.validatePatterns(exclude, field: "exclude") }
        if let intervalSeconds {
            guard Source.intervalRange.contains(intervalSeconds) else {
                throw .invalid(field: "intervalSeconds", reason: "must be \(Source.intervalRange.lowerBound)–\(Source.intervalRange.upperBound) seconds")
            }
            source.intervalSeconds = intervalSeconds
        }
        return source
    }

    static let maximumPatterns = 64
    static let maximumPatternLength = 256

    static func validatePatterns(_ patterns: [String], field: String) throws(IndexError) -> [String] {
        guard patterns.count <= maximumPatterns else { throw .invalid(field: field, reason: "at most \(maximumPatterns) patterns") }
        for pattern in patterns {
            guard !pattern.isEmpty, pattern.utf8.count <= maximumPatternLength, !pattern.containsASCIIControlCharacter else {
                throw .invalid(field: field, reason: "each pattern must be 1–\(maximumPatternLength) bytes without control characters")
            }
        }
        return patterns
    }
}

/// Repository URLs: which forms are accepted, and how they are shown.
public enum SourceURL {
    static let maximumLength = 2_048

    /// The URL trimmed; `.invalid(field: "url")` unless it is an absolute local path, `file://`,
    /// `https://` or `ssh://`, or when it carries a password (credentials come from the server's
    /// environment, never from the API).
    public static func validate(_ raw: String, allowsLocalPaths: Bool) throws(IndexError) -> String {
        let url = raw.trimmingCharacters(in: .whitespaces)
        guard !url.isEmpty, url.utf8.count <= maximumLength, !url.containsASCIIControlCharacter else {
            throw .invalid(field: "url", reason: "must be 1–\(maximumLength) bytes without control characters")
        }
        let lower = url.lowercased()
        let isLocal = url.hasPrefix("/") || lower.hasPrefix("file://")
        guard isLocal || lower.hasPrefix("https://") || lower.hasPrefix("ssh://") else {
            throw .invalid(field: "url", reason: "must be an absolute local path, or a file://, https:// or ssh:// URL")
        }
        if isLocal && !allowsLocalPaths {
            throw .invalid(field: "url", reason: "local repositories are turned off on this server (LORE_SOURCES_LOCAL)")
        }
        if let userInfo = userInfo(of: url) {
            // An SSH user name (git@…) is how SSH URLs name the account; anything else is a secret.
            guard lower.hasPrefix("ssh://"), !userInfo.contains(":") else {
                throw .invalid(field: "url", reason: "must not carry credentials: the server's environment or SSH agent provides them")
            }
        }
        return url
    }

    /// The URL without its user name and password.
    public static func withoutCredentials(_ url: String) -> String {
        guard let userInfo = userInfo(of: url), let scheme = url.range(of: "://") else { return url }
        let start = scheme.upperBound
        let end = url.index(start, offsetBy: userInfo.count + 1)
        return String(url[..<start]) + String(url[end...])
    }

    /// `text` (a message that may quote URLs) with every `scheme://user:password@` made `scheme://`.
    public static func redactingCredentials(_ text: String) -> String {
        text.replacingOccurrences(of: #"([A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]*@"#, with: "$1", options: .regularExpression)
    }

    /// The text between `scheme://` and the `@` that ends it, when the authority has one.
    static func userInfo(of url: String) -> String? {
        guard let scheme = url.range(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let at = authority.lastIndex(of: "@") else { return nil }
        return String(authority[..<at])
    }
}

/// Git refs a source may follow: a branch or tag name, or a full `refs/…` name.
enum SourceRef {
    static func validate(_ ref: String) throws(IndexError) -> String {
        let allowed = ref.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._/-".unicodeScalars.contains(scalar))
        }
        guard (1...200).contains(ref.count), allowed, !ref.hasPrefix("-"), !ref.hasPrefix("/"), !ref.hasSuffix("/"),
              !ref.hasSuffix(".lock"), !ref.contains(".."), !ref.contains("//") else {
            throw .invalid(field: "ref", reason: "must be a branch or tag name (letters, digits, '.', '_', '-', '/')")
        }
        return ref
    }
}

/// The folders sources fill in a project.
enum SourceFolders {
    /// `.conflict(field: "pathPrefix")` when `source`'s folder and one of `prefixes` contain one
    /// another (two sources would fight over the same paths); `.conflict(field: "sources")` when
    /// the project has ``Source/maximumPerProject`` already.
    static func requireRoom(for source: Source, besides prefixes: [String]) throws(IndexError) {
        guard prefixes.count < Source.maximumPerProject else {
            throw .conflict(field: "sources", reason: "a project has at most \(Source.maximumPerProject) sources")
        }
        if let other = prefixes.first(where: { $0.hasPrefix(source.pathPrefix) || source.pathPrefix.hasPrefix($0) }) {
            let folder = other.isEmpty ? "the whole project" : "'\(other)'"
            throw .conflict(field: "pathPrefix", reason: "another source of this project fills \(folder); sources' folders must not overlap")
        }
    }

    /// A path no valid document has (it starts with a control character), where a sync parks a
    /// renamed document for a moment inside its transaction.
    static func parking(_ id: UUID) -> String { "\u{1}moving/\(id.uuidString)" }
}

/// Webhook secrets: 32 random bytes, hex.
enum SourceSecret {
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
