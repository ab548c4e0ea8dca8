/// Turns engine snippets into safe HTML: the text escaped, the matches in `<mark>`.
public enum Snippet {
    /// Markers the engine puts around matches: private-use characters that text rarely holds.
    static let openMarker = String(openScalar)
    static let closeMarker = String(closeScalar)
    private static let openScalar: Unicode.Scalar = "\u{E000}"
    private static let closeScalar: Unicode.Scalar = "\u{E001}"

    /// Escapes `raw` for HTML and turns the markers into `<mark>` tags, in one pass over its
    /// scalars (Foundation's `replacingOccurrences` cost more than the snippet query itself).
    static func html(fromMarked raw: String) -> String {
        escaped(raw, markers: true)
    }

    /// Escapes `&`, `<`, `>`, `"` and `'`.
    public static func escape(_ text: String) -> String {
        escaped(text, markers: false)
    }

    private static func escaped(_ text: String, markers: Bool) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let replacement: String
            switch scalar {
            case "&": replacement = "&amp;"
            case "<": replacement = "&lt;"
            case ">": replacement = "&gt;"
            case "\"": replacement = "&quot;"
            case "'": replacement = "&#39;"
            case openScalar where markers: replacement = "<mark>"
            case closeScalar where markers: replacement = "</mark>"
            default:
                result.append(scalar)
                continue
            }
            result.append(contentsOf: replacement.unicodeScalars)
        }
        return String(result)
    }

    /// A snippet as plain text for a reader that is not a browser (a terminal, a model): the
    /// matches between `open` and `close`, the entities decoded, on one line.
    public static func plainText(_ html: String, open: String, close: String) -> String {
        html
            .replacingOccurrences(of: "<mark>", with: open).replacingOccurrences(of: "</mark>", with: close)
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
            .replacingOccurrences(of: "\n", with: " ")
    }
}
