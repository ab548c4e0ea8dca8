import Foundation
import Index

/// Fits search hits into a token budget (`maxTokens`, SPEC §10).
///
/// Invariant: the hits it returns, encoded as the JSON array every front door sends (`data`
/// over HTTP, `hits` over MCP), take at most `maxTokens` tokens. Hits are kept whole in rank
/// order while they fit; the first that does not is kept with its snippet shortened (never
/// inside a tag or an entity, open `<mark>` closed, `…` added) if that makes it fit, and every
/// later hit is dropped, so what an agent gets is always the best hits, best first.
public struct AnswerBudget: Sendable {
    /// The smallest and largest budgets a request may ask for.
    public static let allowed = 64...32_000

    let tokens: AnswerTokens
    let maxTokens: Int

    public init(tokens: AnswerTokens, maxTokens: Int) {
        self.tokens = tokens
        self.maxTokens = maxTokens
    }

    /// The hits that fit, and whether anything was cut.
    public func fit(_ hits: [SearchHit]) -> (hits: [SearchHit], truncated: Bool) {
        // `[`, `]` and the commas are one token each, and JSON objects begin and end with
        // punctuation, which WordPiece never joins to a neighbour: the array's count is the sum.
        var used = 2
        var kept: [SearchHit] = []
        for hit in hits {
            let separator = kept.isEmpty ? 0 : 1
            let cost = count(hit)
            if used + separator + cost <= maxTokens {
                kept.append(hit)
                used += separator + cost
                continue
            }
            if let shortened = shortened(hit, within: maxTokens - used - separator) {
                kept.append(shortened)
            }
            return (verified(kept), true)
        }
        return (verified(kept), false)
    }

    /// The tokens of one hit as encoded.
    func count(_ hit: SearchHit) -> Int {
        tokens.count(Self.json(hit))
    }

    /// `hit` with the longest snippet prefix that fits in `room` tokens; `nil` when not even an
    /// empty snippet does.
    private func shortened(_ hit: SearchHit, within room: Int) -> SearchHit? {
        var candidate = hit
        candidate.snippet = ""
        guard room > 0, count(candidate) <= room else { return nil }
        let cuts = SnippetCut.boundaries(in: hit.snippet)
        var low = 0
        var high = cuts.count - 1
        var best = candidate
        while low <= high {
            let middle = (low + high) / 2
            candidate.snippet = SnippetCut.prefix(of: hit.snippet, upTo: cuts[middle])
            if count(candidate) <= room {
                best = candidate
                low = middle + 1
            } else {
                high = middle - 1
            }
        }
        return best
    }

    /// The invariant, checked on the exact bytes: drops hits from the end should the sum ever
    /// disagree with the count of the whole array.
    private func verified(_ hits: [SearchHit]) -> [SearchHit] {
        var hits = hits
        while !hits.isEmpty, tokens.count(Self.json(hits)) > maxTokens { hits.removeLast() }
        return hits
    }

    static func json<Value: Encodable>(_ value: Value) -> String {
        (try? LoreJSON.encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) } ?? ""
    }
}

/// Where an HTML-escaped snippet with `<mark>` tags may be cut.
enum SnippetCut {
    /// Offsets (in UTF-8 bytes) after which the snippet may end: word ends outside tags and
    /// entities, in increasing order.
    static func boundaries(in snippet: String) -> [String.Index] {
        var cuts: [String.Index] = []
        var insideTag = false
        var insideEntity = false
        var index = snippet.startIndex
        while index < snippet.endIndex {
            let character = snippet[index]
            let next = snippet.index(after: index)
            switch character {
            case "<": insideTag = true
            case ">": insideTag = false
            case "&": insideEntity = true
            case ";": insideEntity = false
            default: break
            }
            if !insideTag && !insideEntity && character.isWhitespace { cuts.append(index) }
            index = next
        }
        return cuts
    }

    /// The snippet up to `end`, with an open `<mark>` closed and `…` to show it was cut.
    static func prefix(of snippet: String, upTo end: String.Index) -> String {
        var text = String(snippet[..<end])
        let opened = text.components(separatedBy: "<mark>").count - 1
        let closed = text.components(separatedBy: "</mark>").count - 1
        if opened > closed { text += "</mark>" }
        return text + "…"
    }
}
