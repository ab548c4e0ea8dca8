import Foundation

/// Splits text into the words that BERT's WordPiece model sees, the way Hugging Face
/// `tokenizers` does for an uncased BERT (`BertNormalizer` followed by `BertPreTokenizer`).
///
/// The steps, in upstream order:
/// 1. clean: drop NUL, U+FFFD and control/format characters; every whitespace becomes a space;
/// 2. put spaces around CJK ideographs, so each is a word;
/// 3. strip accents: canonical decomposition (NFD), then drop nonspacing marks (`é` → `e`);
/// 4. lowercase (full Unicode mapping, one scalar at a time);
/// 5. split at whitespace, and split every punctuation character off as a word of its own.
///
/// Works on Unicode scalars, never on grapheme clusters: `👍🏽` is two scalars, and Hangul
/// syllables stay decomposed into jamo after step 3, as upstream. See
/// [BERT's tokenization](https://github.com/google-research/bert/blob/master/tokenization.py).
public struct BertBasicTokenizer: Sendable, Hashable {
    /// Whether letters are lowercased (`true` for uncased models).
    public var lowercases: Bool
    /// Whether accents are stripped; defaults to `lowercases`, as in upstream.
    public var stripsAccents: Bool
    /// Whether CJK ideographs become words of one character.
    public var splitsCJKIdeographs: Bool

    /// Creates a tokenizer; the defaults are those of all-MiniLM-L6-v2 and `bert-base-uncased`.
    public init(lowercases: Bool = true, stripsAccents: Bool? = nil, splitsCJKIdeographs: Bool = true) {
        self.lowercases = lowercases
        self.stripsAccents = stripsAccents ?? lowercases
        self.splitsCJKIdeographs = splitsCJKIdeographs
    }

    /// The words of `text`, in order; empty for empty or whitespace-only text.
    public func words(in text: String) -> [String] {
        var words: [String] = []
        var word = String.UnicodeScalarView()
        func endWord() {
            if !word.isEmpty {
                words.append(String(word))
                word = String.UnicodeScalarView()
            }
        }
        for scalar in normalized(text).unicodeScalars {
            if scalar.isBertWhitespace {
                endWord()
            } else if scalar.isBertPunctuation {
                endWord()
                words.append(String(scalar))
            } else {
                word.append(scalar)
            }
        }
        endWord()
        return words
    }

    /// `text` after steps 1–4 (cleaning, CJK spacing, accent stripping, lowercasing).
    public func normalized(_ text: String) -> String {
        var cleaned = String.UnicodeScalarView()
        var isASCII = true
        for scalar in text.unicodeScalars {
            if scalar.isBertRemovable { continue }
            if scalar.isBertWhitespace {
                cleaned.append(" ")
            } else if splitsCJKIdeographs && scalar.isBertCJKIdeograph {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
                isASCII = false
            } else {
                cleaned.append(scalar)
                isASCII = isASCII && scalar.isASCII
            }
        }
        if isASCII {
            return lowercases ? String(String.UnicodeScalarView(cleaned.map(Self.asciiLowercase))) : String(cleaned)
        }
        var result = String.UnicodeScalarView()
        let decomposed = stripsAccents ? String(cleaned).decomposedStringWithCanonicalMapping : String(cleaned)
        for scalar in decomposed.unicodeScalars {
            if stripsAccents && scalar.isNonspacingMark { continue }
            if !lowercases {
                result.append(scalar)
            } else if scalar.isASCII {
                result.append(Self.asciiLowercase(scalar))
            } else {
                result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(result)
    }

    private static func asciiLowercase(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        (65...90).contains(scalar.value) ? Unicode.Scalar(UInt8(scalar.value + 32)) : scalar
    }
}
