import Foundation

/// The token that marks a project's chunks in the full-text index, so that MATCH itself keeps a
/// search inside its projects instead of joining every match to its document.
///
/// The token is the project id's 128 bits as two zero-padded 20-digit decimal numbers: digits
/// only, so the Porter stemmer leaves it alone, and 40 characters, under FTS5's 64-character
/// stemming limit.
public enum SearchScope {
    public static func token(for projectID: UUID) -> String {
        let bytes = withUnsafeBytes(of: projectID.uuid) { Array($0) }
        let high = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let low = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return padded(high) + padded(low)
    }

    private static func padded(_ value: UInt64) -> String {
        let digits = String(value)
        return String(repeating: "0", count: 20 - digits.count) + digits
    }
}
