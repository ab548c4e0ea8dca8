extension StringProtocol {
    /// Whether the text holds an ASCII control character (U+0000–U+001F or U+007F), which
    /// names, e-mail addresses and tags must not.
    var containsASCIIControlCharacter: Bool {
        unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}
