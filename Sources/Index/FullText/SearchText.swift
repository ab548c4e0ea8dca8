/// Text as the full-text tokenizers should split it: every character that is not a letter, digit
/// or private-use character becomes a space.
///
/// SQLite's `unicode61` tokenizer splits this way by itself. PostgreSQL's parser instead keeps
/// `rollback-deploy.md`, `a@b.co` or `/usr/lib` as single file, e-mail or path tokens, which a
/// search for `rollback` would then miss; the PostgreSQL store feeds it this form (for indexing
/// and for queries alike) so that both backends find the same words.
public enum SearchText {
    public static func normalized(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        result.reserveCapacity(text.unicodeScalars.count)
        var lastWasSpace = true
        for scalar in text.unicodeScalars {
            if scalar.isTokenCharacter {
                result.append(scalar)
                lastWasSpace = false
            } else if !lastWasSpace {
                result.append(" ")
                lastWasSpace = true
            }
        }
        return String(result)
    }
}
