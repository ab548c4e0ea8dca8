import Foundation
import HummingbirdBcrypt
import NIOPosix

/// Password rules and bcrypt hashing (cost 12) on threads of their own, for every front door that
/// creates or checks a user's password (sign-up and sign-in over HTTP, `lore users create`).
public enum Passwords {
    public static let bcryptCost: UInt8 = 12

    /// The threads bcrypt runs on: half the cores, at least one. A cost-12 hash takes ~250 ms of
    /// a core; on the cooperative pool (which `Task.detached` does not leave) a few sign-ins a
    /// second would stall every search. Here they queue behind each other instead, and the
    /// other half of the machine keeps serving.
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, ProcessInfo.processInfo.activeProcessorCount / 2))
        pool.start()
        return pool
    }()

    /// The accepted length of a password in UTF-8 bytes (bcrypt reads at most 72).
    public static let allowedBytes = 8...72

    /// Whether the password has an accepted length.
    public static func isAcceptable(_ password: String) -> Bool {
        allowedBytes.contains(password.utf8.count)
    }

    public static func hash(_ password: String) async -> String {
        (try? await pool.runIfActive { Bcrypt.hash(password, cost: bcryptCost) }) ?? Bcrypt.hash(password, cost: bcryptCost)
    }

    public static func verify(_ password: String, hash: String) async -> Bool {
        (try? await pool.runIfActive { Bcrypt.verify(password, hash: hash) }) ?? false
    }

    /// A hash of a random password, verified against when the e-mail is unknown so that both
    /// failures take the same time.
    public static let unknownUserHash = Bcrypt.hash(UUID().uuidString, cost: bcryptCost)
}
