import Foundation

/// Part of a document's content by lines, for agents that read a section or a page at a time
/// (MCP `read_document` with `heading` or `lines`).
///
/// Lines are the content split at `\n`, numbered from 1; a final newline does not start another
/// line. A section runs from its heading line to the line before the next heading of the same
/// or a higher level (or the end); `#` lines inside fenced code blocks are not headings.
public struct DocumentExcerpt: Sendable, Equatable {
    /// The lines `first...last`, joined by `\n`.
    public var text: String
    public var first: Int
    public var last: Int
    public var totalLines: Int

    /// `"first-last"`, the form `lines` takes; `"0-0"` for empty content.
    public var lineRange: String { "\(first)-\(last)" }

    /// The whole content.
    public static func whole(_ content: String) -> DocumentExcerpt {
        let lines = Self.lines(of: content)
        return DocumentExcerpt(text: lines.joined(separator: "\n"), first: lines.isEmpty ? 0 : 1, last: lines.count,
                               totalLines: lines.count)
    }

    /// The lines `range` names (`"120-180"`, `"120-"` to the end, or `"120"`); the end is cut to
    /// the document's length. Throws `.invalid(field: "lines")` for another form, a range that
    /// runs backwards, or a first line past the end.
    public static func lines(_ range: String, of content: String) throws(IndexError) -> DocumentExcerpt {
        let lines = Self.lines(of: content)
        let (first, requestedLast) = try parse(range)
        guard first <= lines.count else {
            throw .invalid(field: "lines", reason: "the document has \(lines.count) line\(lines.count == 1 ? "" : "s"); ask for lines from 1 to \(lines.count)")
        }
        let last = min(requestedLast ?? lines.count, lines.count)
        return excerpt(lines, first: first, last: last)
    }

    /// The section under the heading trail `trail` (`Auth > Tokens`, or just `Tokens`): the first
    /// heading, in document order, whose trail ends with the given headings (compared without
    /// regard to case or surrounding spaces). Throws `.invalid(field: "heading")`, listing the
    /// document's headings, when none matches.
    public static func section(_ trail: String, of content: String) throws(IndexError) -> DocumentExcerpt {
        let wanted = Self.trailParts(trail)
        guard !wanted.isEmpty else { throw .invalid(field: "heading", reason: "must name a heading, like 'Auth > Tokens'") }
        let lines = Self.lines(of: content)
        let headings = Self.headings(in: lines)
        for (index, heading) in headings.enumerated() where heading.trail.map(normalized).suffix(wanted.count).elementsEqual(wanted) {
            let end = headings[(index + 1)...].first { $0.level <= heading.level }.map { $0.line - 1 } ?? lines.count
            return excerpt(lines, first: heading.line, last: end)
        }
        let known = headings.prefix(40).map { $0.trail.joined(separator: " > ") }
        let list = known.isEmpty ? "the document has no Markdown headings" : "its headings are: " + known.joined(separator: "; ")
        throw .invalid(field: "heading", reason: "no section has the heading trail '\(trail)'; \(list)")
    }

    // MARK: Helpers

    static func lines(of content: String) -> [Substring] {
        var lines = content.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    private static func excerpt(_ lines: [Substring], first: Int, last: Int) -> DocumentExcerpt {
        let text = first <= last ? lines[(first - 1)..<last].joined(separator: "\n") : ""
        return DocumentExcerpt(text: text, first: first, last: last, totalLines: lines.count)
    }

    /// The longest `lines` value read (digits are bounded, so no arithmetic can overflow).
    public static let maximumRangeLength = 32

    private static func parse(_ range: String) throws(IndexError) -> (Int, Int?) {
        let problem = IndexError.invalid(field: "lines", reason: "must be 'first-last' with 1 ≤ first ≤ last, like '120-180' (or '120-' to the end)")
        guard range.utf8.count <= maximumRangeLength else { throw problem }
        let parts = range.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        func number(_ text: String) -> Int? {
            guard !text.isEmpty, text.count <= 9, text.allSatisfy(\.isASCIIDigit) else { return nil }
            return Int(text)
        }
        guard let first = parts.first.flatMap(number), first >= 1 else { throw problem }
        guard parts.count == 2 else { return (first, first) }
        if parts[1].isEmpty { return (first, nil) }
        guard let last = number(parts[1]), last >= first else { throw problem }
        return (first, last)
    }

    private static func trailParts(_ trail: String) -> [String] {
        trail.split(separator: ">").map { normalized(String($0)) }.filter { !$0.isEmpty }
    }

    private static func normalized(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespaces).lowercased()
    }

    private struct Heading {
        var line: Int
        var level: Int
        var trail: [String]
    }

    private static func headings(in lines: [Substring]) -> [Heading] {
        var headings: [Heading] = []
        var open: [MarkdownHeading] = []
        var inFence = false
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingSpaces()
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
                continue
            }
            guard !inFence, let heading = MarkdownHeading(line: Substring(trimmed)) else { continue }
            open.removeAll { $0.level >= heading.level }
            open.append(heading)
            headings.append(Heading(line: index + 1, level: heading.level, trail: open.map(\.text)))
        }
        return headings
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
