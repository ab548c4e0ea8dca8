import Foundation

/// A one-pass look at a JSON text's structure: a key repeated within one object, and nesting
/// depth. It does not validate the text (the decoder does); a malformed text passes as `.ok`.
enum JSONShape {
    enum Verdict: Equatable {
        case ok
        case duplicateKey(String)
        case tooDeep
        /// A comma before `}` or `]`, which JSON does not allow (Foundation's decoder lets it pass).
        case trailingComma
        /// A `\\u` escape of half a UTF-16 surrogate pair, which encodes no character.
        case loneSurrogate
    }

    private enum Frame {
        case object(keys: Set<String>, expectsKey: Bool)
        case array
    }

    static func check(_ bytes: some Collection<UInt8>, maximumDepth: Int) -> Verdict {
        var stack: [Frame] = []
        var iterator = bytes.makeIterator()
        var afterComma = false
        while let byte = iterator.next() {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
                continue
            }
            if afterComma && (byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")) { return .trailingComma }
            afterComma = byte == UInt8(ascii: ",")
            switch byte {
            case UInt8(ascii: "{"):
                guard stack.count < maximumDepth else { return .tooDeep }
                stack.append(.object(keys: [], expectsKey: true))
            case UInt8(ascii: "["):
                guard stack.count < maximumDepth else { return .tooDeep }
                stack.append(.array)
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
            case UInt8(ascii: ","):
                if case .object(let keys, _) = stack.last { stack[stack.count - 1] = .object(keys: keys, expectsKey: true) }
            case UInt8(ascii: "\""):
                var raw: [UInt8] = [UInt8(ascii: "\"")]
                var escaped = false
                while let next = iterator.next() {
                    raw.append(next)
                    if escaped { escaped = false } else if next == UInt8(ascii: "\\") { escaped = true } else if next == UInt8(ascii: "\"") { break }
                }
                if hasLoneSurrogate(raw) { return .loneSurrogate }
                guard case .object(var keys, true) = stack.last else { continue }
                let key = decodedKey(raw)
                if !keys.insert(key).inserted { return .duplicateKey(key) }
                stack[stack.count - 1] = .object(keys: keys, expectsKey: false)
            default:
                continue
            }
        }
        return .ok
    }

    /// Whether the string's escapes hold a high surrogate not followed by a low one, or a low
    /// surrogate on its own.
    private static func hasLoneSurrogate(_ raw: [UInt8]) -> Bool {
        func escapedUnit(at index: Int) -> UInt32? {
            guard index + 5 < raw.count, raw[index] == UInt8(ascii: "\\"), raw[index + 1] == UInt8(ascii: "u") else { return nil }
            return UInt32(String(decoding: raw[(index + 2)..<(index + 6)], as: UTF8.self), radix: 16)
        }
        var index = 0
        while index < raw.count {
            guard raw[index] == UInt8(ascii: "\\") else { index += 1; continue }
            guard let unit = escapedUnit(at: index) else { index += 2; continue }
            if (0xDC00...0xDFFF).contains(unit) { return true }
            if (0xD800...0xDBFF).contains(unit) {
                guard let low = escapedUnit(at: index + 6), (0xDC00...0xDFFF).contains(low) else { return true }
                index += 12
            } else {
                index += 6
            }
        }
        return false
    }

    /// The key as a decoder sees it (`"\u0061"` and `"a"` are one key).
    private static func decodedKey(_ quoted: [UInt8]) -> String {
        guard quoted.contains(UInt8(ascii: "\\")) else { return String(decoding: quoted.dropFirst().dropLast(), as: UTF8.self) }
        return (try? JSONDecoder().decode(String.self, from: Data(quoted))) ?? String(decoding: quoted, as: UTF8.self)
    }
}
