import Foundation

/// Validation of document paths: the one gate every path passes before it is stored or looked up.
///
/// A path is UTF-8 in NFC, 1–512 bytes, relative and `/`-separated, with no empty, `.` or `..`
/// segment, no `\`, no NUL or control character, no drive letter (`C:`) and no percent-escape of
/// `.`, `/`, `\` or NUL (`%2e`, `%2f`, `%5c`, `%00`), which would become a traversal wherever the
/// path is decoded later, and no Unicode format character (bidi controls such as U+202E,
/// zero-width joiners, the byte-order mark), which would let a listing show one path while
/// another is stored. Callers decode URL parameters once before calling.
public enum DocumentPath {
    /// The largest path, in UTF-8 bytes.
    public static let maximumBytes = 512

    /// Returns `path` unchanged when it is valid; throws `IndexError.invalid(field:reason:)` otherwise.
    public static func validate(_ path: String, field: String = "path") throws(IndexError) -> String {
        if let reason = problem(with: path) {
            throw .invalid(field: field, reason: reason)
        }
        return path
    }

    /// The reason `path` is invalid, or `nil` when it is valid.
    public static func problem(with path: String) -> String? {
        let bytes = path.utf8.count
        if bytes == 0 { return "must not be empty" }
        if bytes > maximumBytes { return "must be at most \(maximumBytes) bytes (got \(bytes))" }
        if path.unicodeScalars.contains(where: isControl) {
            return "must not contain NUL or control characters"
        }
        if path.unicodeScalars.contains(where: { $0.properties.generalCategory == .format }) {
            return "must not contain Unicode format characters (bidi controls, zero-width joiners)"
        }
        if path.contains("\\") { return "must use '/' as separator, not '\\'" }
        if path.hasPrefix("/") { return "must be relative (no leading '/')" }
        if hasDriveLetter(path) { return "must not start with a drive letter" }
        if let escape = forbiddenEscape(in: path) {
            return "must not contain the percent-escape '\(escape)'"
        }
        if !path.unicodeScalars.elementsEqual(path.precomposedStringWithCanonicalMapping.unicodeScalars) {
            return "must be in Unicode NFC form"
        }
        for segment in path.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty { return "must not contain empty segments ('//' or a trailing '/')" }
            if segment == "." || segment == ".." { return "must not contain '.' or '..' segments" }
        }
        return nil
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    private static func hasDriveLetter(_ path: String) -> Bool {
        let scalars = Array(path.unicodeScalars.prefix(2))
        guard scalars.count == 2, scalars[1] == ":" else { return false }
        return scalars[0].isASCII && scalars[0].properties.isAlphabetic
    }

    private static let forbiddenEscapes = ["%2e", "%2f", "%5c", "%00"]

    private static func forbiddenEscape(in path: String) -> String? {
        let lowered = path.lowercased()
        return forbiddenEscapes.first { lowered.contains($0) }
    }
}
