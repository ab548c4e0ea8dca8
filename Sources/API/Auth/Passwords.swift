import Foundation
import HummingbirdBcrypt

/// Password rules and bcrypt hashing (cost 12), off the cooperative thread pool.
public enum Passwords {
    public static let bcryptCost: UInt8 = 12

    /// Throws a 422 unless the password is 8–72 bytes (bcrypt reads at most 72).
    public static func check(_ password: String) throws {
        guard (8...72).contains(password.utf8.count) else {
            throw APIError.invalid("password", "must be 8–72 bytes")
        }
    }

    public static func hash(_ password: String) async -> String {
        await Task.detached { Bcrypt.hash(password, cost: bcryptCost) }.value
    }

    static func verify(_ password: String, hash: String) async -> Bool {
        await Task.detached { Bcrypt.verify(password, hash: hash) }.value
    }

    /// A hash of a random password, verified against when the e-mail is unknown so that both
    /// failures take the same time.
    static let unknownUserHash = Bcrypt.hash(UUID().uuidString, cost: bcryptCost)
}
