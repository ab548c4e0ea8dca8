extension StringProtocol {
    /// The first `count` Unicode scalars of the text. Stored copies of user text (titles,
    /// heading trails) are cut by scalars, not characters: one character can carry any number of
    /// combining marks, so a cut by characters bounds nothing.
    func cut(toScalars count: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: unicodeScalars.prefix(count))
        return String(view)
    }
}
