import Foundation

/// A Markdown ATX heading line (`## Title`).
struct MarkdownHeading: Equatable {
    /// 1 for `#` … 6 for `######`.
    var level: Int
    var text: String

    /// Parses `line` as an ATX heading; `nil` when it is not one (`#tag` without a space is not).
    init?(line: Substring) {
        let hashes = line.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(hashes) else { return nil }
        let rest = line.dropFirst(hashes)
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        var text = rest.trimmingSpaces()
        // A closing sequence of #s is not part of the heading.
        while text.hasSuffix("#") { text.removeLast() }
        text = text.trimmingSpaces()
        guard !text.isEmpty else { return nil }
        level = hashes
        self.text = text
    }
}
