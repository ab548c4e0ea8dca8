import Crypto
import Foundation

/// A passage of a document, ready to store: its place, heading trail, text and identity.
public struct ChunkDraft: Sendable, Equatable {
    /// 0-based order within the document.
    public var position: Int
    /// The trail of Markdown headings above the passage (`Auth > Tokens`), or empty.
    public var heading: String
    public var text: String
    /// The estimated token count of `text`.
    public var tokenCount: Int
    /// SHA-256 of heading and text: an unchanged passage keeps its identity (and embedding)
    /// across document updates.
    public var contentHash: String
}

/// Splits documents into passages sized for the embedder.
///
/// Markdown is split at headings first (a passage never spans two sections, and carries its
/// heading trail), then sections are packed paragraph by paragraph up to `maximumTokens`; a
/// paragraph too long on its own is split between words. Consecutive passages of one section
/// overlap by about `overlapTokens` so that a sentence cut at a boundary is still found whole.
/// Fenced code blocks are kept as paragraphs, and `#` lines inside them are not headings.
public struct Chunker: Sendable {
    /// The longest heading trail a passage carries, in Unicode scalars: the trail is copied into
    /// every passage of its section (the stored chunk, its full-text row and its embedding
    /// text), so a long heading is cut here rather than multiplied.
    public static let maximumHeadingTrail = 300

    public var maximumTokens: Int
    public var overlapTokens: Int
    public var estimator: TokenEstimator

    /// The defaults keep a passage within all-MiniLM-L6-v2's 256-token window (with [CLS] and
    /// [SEP]); 240 was also the best full-text granularity measured on Cranfield (BENCHMARKS.md).
    public init(maximumTokens: Int = 240, overlapTokens: Int = 32, estimator: TokenEstimator = .wordPiece) {
        precondition(maximumTokens > overlapTokens && overlapTokens >= 0)
        self.maximumTokens = maximumTokens
        self.overlapTokens = overlapTokens
        self.estimator = estimator
    }

    /// The passages of `content`; Markdown structure is used when `isMarkdown` is true.
    /// An empty or blank document gives no passages.
    public func chunks(of content: String, isMarkdown: Bool) -> [ChunkDraft] {
        var drafts: [ChunkDraft] = []
        for section in sections(of: content, isMarkdown: isMarkdown) {
            for text in pack(section.paragraphs) {
                drafts.append(draft(position: drafts.count, heading: section.heading, text: text))
            }
        }
        return drafts
    }

    /// The one passage of a document that has no text of its own (an empty body, or only its
    /// `# Title`): its title, so that both indexes hold the document and its title finds it.
    public func titlePassage(_ title: String) -> ChunkDraft {
        draft(position: 0, heading: "", text: title)
    }

    private func draft(position: Int, heading: String, text: String) -> ChunkDraft {
        ChunkDraft(
            position: position, heading: heading, text: text, tokenCount: estimator.count(Substring(text)),
            contentHash: SHA256.hash(data: Data("\(heading)\u{1F}\(text)".utf8)).hexString)
    }

    /// Whether a path names a Markdown document (by its extension).
    public static func isMarkdown(path: String) -> Bool {
        let lowered = path.lowercased()
        return lowered.hasSuffix(".md") || lowered.hasSuffix(".markdown") || lowered.hasSuffix(".mdx")
    }

    // MARK: Sections

    struct Section {
        var heading: String
        var paragraphs: [String]
    }

    func sections(of content: String, isMarkdown: Bool) -> [Section] {
        var sections: [Section] = []
        var trail: [MarkdownHeading] = []
        var paragraphs: [String] = []
        var current: [Substring] = []
        var inFence = false
        var seenHeading = false

        func endParagraph() {
            let text = current.joined(separator: "\n").trimmingWhitespace()
            if !text.isEmpty { paragraphs.append(text) }
            current = []
        }
        func endSection() {
            endParagraph()
            if !paragraphs.isEmpty {
                let heading = trail.map { $0.text.cut(toScalars: Self.maximumHeadingTrail) }.joined(separator: " > ")
                sections.append(Section(heading: heading.cut(toScalars: Self.maximumHeadingTrail), paragraphs: paragraphs))
            }
            paragraphs = []
        }

        for line in content.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingSpaces()
            if isMarkdown && (trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~")) {
                if !inFence { endParagraph() }
                current.append(line)
                if inFence { endParagraph() }
                inFence.toggle()
                continue
            }
            if inFence {
                current.append(line)
                continue
            }
            if isMarkdown, let heading = MarkdownHeading(line: Substring(trimmed)) {
                let opensDocument = !seenHeading && sections.isEmpty && paragraphs.isEmpty && current.isEmpty
                endSection()
                if heading.level == 1 && opensDocument {
                    // The document's opening `# Title` is its title, indexed as such; passages
                    // below it carry the trail from the next level down (`Auth > Tokens`).
                    seenHeading = true
                    trail = []
                    continue
                }
                seenHeading = true
                trail.removeAll { $0.level >= heading.level }
                trail.append(heading)
                continue
            }
            if trimmed.isEmpty {
                endParagraph()
            } else {
                current.append(line)
            }
        }
        endSection()
        return sections
    }

    // MARK: Packing

    /// Packs paragraphs into passages of at most `maximumTokens`, with overlap between them.
    func pack(_ paragraphs: [String]) -> [String] {
        var passages: [String] = []
        var parts: [String] = []
        var tokens = 0
        var hasNewText = false

        for paragraph in paragraphs.flatMap(splitOversized) {
            let size = estimator.count(Substring(paragraph))
            if tokens + size > maximumTokens && hasNewText {
                let text = parts.joined(separator: "\n\n")
                passages.append(text)
                let tail = overlapTail(of: text)
                parts = tail.isEmpty ? [] : [tail]
                tokens = estimator.count(Substring(tail))
                hasNewText = false
            }
            if tokens + size > maximumTokens {
                // The overlap and this paragraph do not fit together: drop the overlap.
                parts = []
                tokens = 0
            }
            parts.append(paragraph)
            tokens += size
            hasNewText = true
        }
        if hasNewText {
            passages.append(parts.joined(separator: "\n\n"))
        }
        return passages
    }

    /// Splits a paragraph larger than `maximumTokens` into runs of whole words that fit.
    func splitOversized(_ paragraph: String) -> [String] {
        guard estimator.count(Substring(paragraph)) > maximumTokens else { return [paragraph] }
        var pieces: [String] = []
        var words: [Substring] = []
        var tokens = 0
        let step = maximumTokens - overlapTokens
        for word in paragraph.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }) {
            let size = max(1, estimator.count(word))
            if tokens + size > step && !words.isEmpty {
                pieces.append(words.joined(separator: " "))
                words = []
                tokens = 0
            }
            words.append(word)
            tokens += size
        }
        if !words.isEmpty { pieces.append(words.joined(separator: " ")) }
        return pieces
    }

    /// The last words of `text` worth about `overlapTokens`.
    func overlapTail(of text: String) -> String {
        guard overlapTokens > 0 else { return "" }
        var words: [Substring] = []
        var tokens = 0
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).reversed() {
            let size = max(1, estimator.count(word))
            if tokens + size > overlapTokens { break }
            words.append(word)
            tokens += size
        }
        return words.reversed().joined(separator: " ")
    }
}

extension Digest {
    /// Lower-case hexadecimal form of the digest (`String(format:)` per byte cost 7% of an import).
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(Self.byteCount * 2)
        for byte in self {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
