import Foundation

/// A one-pass look at a JSON text's structure: a key repeated within one object, and nesting
/// depth. It does not validate the text (the decoder does); a malformed text passes as `.ok`.
enum JSONShape {
    enum Verdict: Equatable {
        case ok
        case duplicateKey(String)
        case tooDeep
    }

    private enum Frame {
        case object(keys: Set<String>, expectsKey: Bool)
        case array
    }

    static func check(_ bytes: some Collection<UInt8>, maximumDepth: Int) -> Verdict {
        var stack: [Frame] = []
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
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

    /// The key as a decoder sees it (`"\u0061"` and `"a"` are one key).
    private static func decodedKey(_ quoted: [UInt8]) -> String {
        guard quoted.contains(UInt8(ascii: "\\")) else { return String(decoding: quoted.dropFirst().dropLast(), as: UTF8.self) }
        return (try? JSONDecoder().decode(String.self, from: Data(quoted))) ?? String(decoding: quoted, as: UTF8.self)
    }
}
