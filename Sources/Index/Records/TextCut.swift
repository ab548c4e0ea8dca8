extension StringProtocol {
    /// The first `count` Unicode scalars of the text. Stored copies of user text (titles,
    /// heading trails) are cut by scalars, not characters: one character can carry any number of
    /// combining marks, so a cut by characters bounds nothing.
    func cut(toScalars count: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: unicodeScalars.prefix(count))
        return String(view)
    }

    /// The longest run of whole Unicode scalars from the start that fits in `limit` UTF-8 bytes.
    func cut(toUTF8Bytes limit: Int) -> String {
        var view = String.UnicodeScalarView()
        var bytes = 0
        for scalar in unicodeScalars {
            bytes += UTF8.width(scalar)
            if bytes > limit { break }
            view.append(scalar)
        }
        return String(view)
    }
}
