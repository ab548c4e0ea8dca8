/// Trimming that matches Foundation's `trimmingCharacters(in:)` with `.whitespaces` and
/// `.whitespacesAndNewlines` scalar for scalar, without its round trip through `NSString` on
/// Linux (a tenth of an import's time, with a line-by-line trim in the chunker).
extension StringProtocol {
    /// Without leading and trailing spaces (see ``WhitespaceTrimming/isSpace(_:)``).
    func trimmingSpaces() -> String {
        Substring(self).trimmingScalars(where: WhitespaceTrimming.isSpace)
    }

    /// Without leading and trailing spaces and line breaks (see
    /// ``WhitespaceTrimming/isWhitespaceOrNewline(_:)``).
    func trimmingWhitespace() -> String {
        Substring(self).trimmingScalars(where: WhitespaceTrimming.isWhitespaceOrNewline)
    }
}

extension Substring {
    /// The text between the first and the last scalar that `isTrimmed` rejects.
    fileprivate func trimmingScalars(where isTrimmed: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isTrimmed($0) }),
              let last = scalars.lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return String(Substring(scalars[first...last]))
    }
}

/// The two scalar classes, exactly as Foundation's `CharacterSet.whitespaces` and
/// `CharacterSet.whitespacesAndNewlines` hold them (checked for every scalar in the tests): the
/// `Zs` spaces and the tab, plus U+200B ZERO WIDTH SPACE, which Foundation still counts; and
/// with newlines also U+000A–U+000D, U+0085 and the `Zl` and `Zp` separators.
enum WhitespaceTrimming {
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    static func isWhitespaceOrNewline(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: true
        default: isSpace(scalar)
        }
    }
}
