/// Derivation of a document's title when none is given.
public enum DocumentTitle {
    /// The longest stored title, in Unicode scalars; longer titles are cut (the title is copied
    /// into every chunk's full-text row).
    public static let maximumLength = 300

    /// The given title (trimmed), else the first Markdown ATX heading of `content`, else the file
    /// name of `path` without its extension.
    public static func derive(given: String?, content: String, path: String) -> String {
        if let given = given?.trimmingCharacters(in: .whitespacesAndNewlines), !given.isEmpty {
            return given.cut(toScalars: maximumLength)
        }
        if let heading = firstHeading(in: content) {
            return heading.cut(toScalars: maximumLength)
        }
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        if let dot = fileName.lastIndex(of: "."), dot != fileName.startIndex {
            return fileName[..<dot].cut(toScalars: maximumLength)
        }
        return fileName.cut(toScalars: maximumLength)
    }

    /// The text of the first `#`…`######` heading outside fenced code, or `nil`.
    static func firstHeading(in content: String) -> String? {
        var inFence = false
        for line in content.split(separator: "\n", omittingEmptySubsequences: true).prefix(200) {
            let trimmed = line.trimmingSpaces()
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
                continue
            }
            if !inFence, let heading = MarkdownHeading(line: Substring(trimmed)) {
                return heading.text
            }
        }
        return nil
    }
}
