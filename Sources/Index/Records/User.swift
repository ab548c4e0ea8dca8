import Foundation

/// A person who signs in; owns projects.
public struct User: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    /// Unique without regard to case; stored lower-cased.
    public var email: String
    public var name: String
    /// A bcrypt hash; never the password.
    public var passwordHash: String
    public var createdAt: Date

    public init(id: UUID, email: String, name: String, passwordHash: String, createdAt: Date) {
        self.id = id
        self.email = email
        self.name = name
        self.passwordHash = passwordHash
        self.createdAt = createdAt
    }
}

/// What it takes to create a user: the caller hashes the password.
public struct NewUser: Sendable {
    public var email: String
    public var name: String
    public var passwordHash: String

    public init(email: String, name: String, passwordHash: String) {
        self.email = email
        self.name = name
        self.passwordHash = passwordHash
    }
}

extension NewUser {
    /// The user to store: the e-mail normalised, the name trimmed; throws for invalid fields.
    func validated(id: UUID = UUID(), at now: Date = Date()) throws(IndexError) -> User {
        let email = try EmailAddress.normalize(email)
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.unicodeScalars.count <= 200 else {
            throw .invalid(field: "name", reason: "must be 1–200 characters")
        }
        guard !name.containsASCIIControlCharacter else {
            throw .invalid(field: "name", reason: "must not contain control characters")
        }
        return User(id: id, email: email, name: name, passwordHash: passwordHash, createdAt: now)
    }
}

/// E-mail address checks: enough to catch typos, not an RFC 5322 parser.
public enum EmailAddress {
    /// Trims and lower-cases `email`; throws unless it looks like `local@domain.tld`.
    public static func normalize(_ email: String) throws(IndexError) -> String {
        let trimmed = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        let valid = trimmed.utf8.count <= 254 && parts.count == 2 && !parts[0].isEmpty
            && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && !trimmed.contains(where: { $0.isWhitespace || $0.isNewline })
            && !trimmed.containsASCIIControlCharacter
        guard valid else { throw .invalid(field: "email", reason: "must be an e-mail address") }
        return trimmed
    }
}
