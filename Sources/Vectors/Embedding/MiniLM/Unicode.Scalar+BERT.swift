/// The character classes of BERT's text normalizer and pre-tokenizer.
///
/// They follow Hugging Face `tokenizers` (`BertNormalizer`, `BertPreTokenizer`), which produced
/// the reference token ids, rather than the older Python `BasicTokenizer`; the two differ only on
/// rare characters. Categories come from the Swift runtime's Unicode tables, which are newer than
/// the Rust crate's: a character assigned after Unicode 9 may be classed differently there.
extension Unicode.Scalar {
    /// Whether BERT's `clean_text` step drops this scalar: NUL, U+FFFD and every "Other"
    /// (control, format, private use, surrogate) except tab, line feed and carriage return.
    ///
    /// Unassigned code points are kept, as upstream does.
    var isBertRemovable: Bool {
        switch value {
        case 0, 0xFFFD: return true
        case 0x09, 0x0A, 0x0D: return false
        default: break
        }
        switch properties.generalCategory {
        case .control, .format, .privateUse, .surrogate: return true
        default: return false
        }
    }

    /// Whether BERT treats this scalar as whitespace (the Unicode `White_Space` property).
    var isBertWhitespace: Bool {
        switch value {
        case 0x09, 0x0A, 0x0D, 0x20: return true
        case 0x21...0x7F: return false
        default: return properties.isWhitespace
        }
    }

    /// Whether BERT splits this scalar off as a word of its own: ASCII punctuation and symbols
    /// (`$`, `+`, `<`, `^`, `` ` ``, `|`, `~` included) and every Unicode punctuation category.
    var isBertPunctuation: Bool {
        switch value {
        case 33...47, 58...64, 91...96, 123...126: return true
        case 0...127: return false
        default: break
        }
        switch properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// Whether this scalar is a CJK ideograph that BERT surrounds with spaces, so that each
    /// becomes a word of its own. The ranges are upstream's, including its `0x2B920` start of
    /// Extension E. Hiragana, katakana and Hangul are not in them.
    var isBertCJKIdeograph: Bool {
        switch value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// Whether accent stripping removes this scalar (general category `Mn`, nonspacing mark).
    var isNonspacingMark: Bool {
        value >= 0x300 && properties.generalCategory == .nonspacingMark
    }
}
