import Foundation
import Logging

/// Scrubs secrets from log text and metadata (SPEC §5): `lore_…` API keys, JWTs, the values of
/// `Authorization`, `Cookie` and `X-API-Key`, bearer tokens, passwords and other secrets written
/// as `name=value` or `"name": "value"`, and e-mail addresses.
///
/// Over-redaction is the safe failure: a value that merely looks like a secret is scrubbed too.
public enum LogRedactor {
    /// What replaces a secret.
    public static let mask = "[REDACTED]"

    /// Metadata keys whose values are secret whatever they look like (compared lower-cased, with
    /// `-` and `.` read as `_`).
    static let secretKeys: Set<String> = [
        "authorization", "proxy_authorization", "cookie", "set_cookie", "x_api_key", "api_key", "apikey",
        "password", "passwd", "new_password", "secret", "jwt_secret", "token", "session", "lore_session",
        "access_token", "refresh_token", "client_secret", "email", "e_mail", "user_email",
    ]

    private static let rules: [(NSRegularExpression, String)] = [
        // Header lines and header-like pairs: everything after the name, to the end of the line.
        (#"(?i)\b(authorization|proxy-authorization|cookie|set-cookie|x-api-key)(["']?\s*[:=]\s*)[^\r\n]*"#, "$1$2\(mask)"),
        (#"(?i)\bbearer\s+[^\s"',;]+"#, "Bearer \(mask)"),
        // JWTs: a JSON header (`eyJ`) and two more base64url segments.
        (#"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"#, mask),
        // Project API keys (`lore_` and 40 characters; the cookie name `lore_session` is shorter).
        (#"lore_[A-Za-z0-9]{16,}"#, "lore_\(mask)"),
        // `password=…`, `"password": "…"`, `secret: …` and the like.
        (#"(?i)(["']?\b(?:password|passwd|secret|jwt_secret|api_key|apikey|client_secret|access_token|refresh_token|token)\b["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;&}\]]+)"#, "$1\(mask)"),
        (#"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"#, "[EMAIL]"),
    ].map { pattern, template in
        // The patterns are constants: a failure here is a programming error caught by any test.
        (try! NSRegularExpression(pattern: pattern), template)
    }

    /// `text` with every secret replaced.
    public static func redact(_ text: String) -> String {
        guard !text.isEmpty else { return text }
        var result = text
        for (expression, template) in rules {
            let range = NSRange(result.startIndex..., in: result)
            result = expression.stringByReplacingMatches(in: result, range: range, withTemplate: template)
        }
        return result
    }

    /// `metadata` with secret keys masked and every string scrubbed, recursively.
    public static func redact(_ metadata: Logger.Metadata) -> Logger.Metadata {
        var redacted: Logger.Metadata = [:]
        for (key, value) in metadata {
            redacted[redact(key)] = isSecret(key: key) ? .string(mask) : redact(value)
        }
        return redacted
    }

    static func redact(_ value: Logger.MetadataValue) -> Logger.MetadataValue {
        switch value {
        case .string(let text): .string(redact(text))
        case .stringConvertible(let convertible): .string(redact(convertible.description))
        case .dictionary(let dictionary): .dictionary(redact(dictionary))
        case .array(let array): .array(array.map(redact))
        }
    }

    static func isSecret(key: String) -> Bool {
        let normalised = key.lowercased().replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: ".", with: "_")
        return secretKeys.contains(normalised) || secretKeys.contains { normalised.hasSuffix("_" + $0) }
    }
}
