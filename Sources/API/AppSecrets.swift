import Foundation

/// The session-signing secret: required and strong in production; in development generated
/// once and kept (mode 0600) in the data folder so sessions survive restarts.
enum AppSecrets {
    static let minimumBytes = 32
    static let knownWeakSecrets: Set<String> = ["secret", "changeme", "change-me", "password", "lore", "development"]

    /// Why the server refuses to start, for production settings that are unsafe.
    struct UnsafeSetting: Error, CustomStringConvertible {
        var description: String
    }

    static func jwtSecret(for arguments: some AppArguments, dataDirectory: URL) throws -> String {
        if let secret = arguments.jwtSecret, !secret.isEmpty {
            if arguments.environment == .production {
                guard secret.utf8.count >= minimumBytes, !knownWeakSecrets.contains(secret.lowercased()) else {
                    throw UnsafeSetting(description: "LORE_JWT_SECRET must be at least \(minimumBytes) random bytes in production (try: openssl rand -base64 48)")
                }
            }
            return secret
        }
        guard arguments.environment == .development else {
            throw UnsafeSetting(description: "LORE_JWT_SECRET is required in production (try: openssl rand -base64 48)")
        }
        let file = dataDirectory.appendingPathComponent("jwt-secret")
        if let data = FileManager.default.contents(atPath: file.path),
           let stored = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
           stored.utf8.count >= minimumBytes {
            return stored
        }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<48).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let secret = Data(bytes).base64EncodedString()
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: file.path, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw UnsafeSetting(description: "cannot write the development JWT secret to \(file.path)")
        }
        return secret
    }
}
