import Foundation

/// A source's include or exclude glob, matched against a file's path in the repository.
///
/// `*` and `?` match within one folder, `[…]` a character class (`[!…]` negated), `**` any run of
/// folders (`docs/**`, `**/*.md`, `a/**/b`); a pattern without `/` matches the file's name at any
/// depth (`*.md` as `**/*.md`), as in `.gitignore`.
public struct PathPattern: Sendable {
    public let pattern: String
    private let expression: NSRegularExpression

    public init(_ pattern: String) {
        self.pattern = pattern
        let anchored = pattern.hasPrefix("/") ? String(pattern.dropFirst()) : pattern
        let body = Self.translate(anchored)
        let anywhere = !pattern.contains("/")
        // Every piece of the pattern is escaped or translated, so the expression always compiles.
        expression = try! NSRegularExpression(pattern: "^" + (anywhere ? "(?:.*/)?" : "") + body + "$", options: [.dotMatchesLineSeparators])
    }

    public func matches(_ path: String) -> Bool {
        expression.firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) != nil
    }

    /// Whether `path` is a file the source holds: some include pattern matches and no exclude does.
    public static func selects(_ path: String, include: [PathPattern], exclude: [PathPattern]) -> Bool {
        include.contains { $0.matches(path) } && !exclude.contains { $0.matches(path) }
    }

    private static func translate(_ glob: String) -> String {
        let characters = Array(glob)
        var regex = ""
        var index = 0
        while index < characters.count {
            let character = characters[index]
            switch character {
            case "*":
                if index + 1 < characters.count, characters[index + 1] == "*" {
                    let atFolderStart = index == 0 || characters[index - 1] == "/"
                    let followedBySlash = index + 2 < characters.count && characters[index + 2] == "/"
                    if atFolderStart && followedBySlash {
                        regex += "(?:.*/)?"
                        index += 3
                    } else {
                        regex += ".*"
                        index += 2
                    }
                    continue
                }
                regex += "[^/]*"
            case "?":
                regex += "[^/]"
            case "[":
                if let (set, next) = characterClass(characters, from: index) {
                    regex += set
                    index = next
                    continue
                }
                regex += "\\["
            default:
                regex += NSRegularExpression.escapedPattern(for: String(character))
            }
            index += 1
        }
        return regex
    }

    /// `[…]` starting at `start` as a regular-expression class, and the index after it; `nil` when
    /// it is not closed (then `[` is literal).
    private static func characterClass(_ characters: [Character], from start: Int) -> (String, Int)? {
        var index = start + 1
        var negated = false
        if index < characters.count, characters[index] == "!" || characters[index] == "^" {
            negated = true
            index += 1
        }
        var members = ""
        var first = true
        while index < characters.count {
            let character = characters[index]
            if character == "]" && !first {
                return ("[" + (negated ? "^/" : "") + members + "]", index + 1)
            }
            if character == "-" && !first && index + 1 < characters.count && characters[index + 1] != "]" {
                members += "-"
            } else if character == "/" {
                return nil
            } else if character.isLetter || character.isNumber {
                members.append(character)
            } else {
                // Every other character is escaped: ICU gives `\`, `[`, `&`, `-` meanings in a set.
                members += "\\" + String(character)
            }
            first = false
            index += 1
        }
        return nil
    }
}
