/// Turns engine snippets into safe HTML: the text escaped, the matches in `<mark>`.
public enum Snippet {
    /// Markers the engine puts around matches: private-use characters that text rarely holds.
    static let openMarker = "\u{E000}"
    static let closeMarker = "\u{E001}"

    /// Escapes `raw` for HTML, then turns the markers into `<mark>` tags.
    static func html(fromMarked raw: String) -> String {
        escape(raw)
            .replacingOccurrences(of: openMarker, with: "<mark>")
            .replacingOccurrences(of: closeMarker, with: "</mark>")
    }

    /// Escapes `&`, `<`, `>`, `"` and `'`.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
