import Testing
@testable import Vectors

@Suite struct BertBasicTokenizerTests {
    let tokenizer = BertBasicTokenizer()

    @Test(arguments: [
        ("Hello, World!", ["hello", ",", "world", "!"]),
        ("  \t\n ", []),
        ("", []),
        ("café Zürich", ["cafe", "zurich"]),
        ("e\u{301}cole", ["ecole"]),
        ("東京 tower", ["東", "京", "tower"]),
        ("こんにちは", ["こんにちは"]),
        ("a\u{0}b\u{200B}c\u{AD}d", ["abcd"]),
        ("x\u{A0}y\u{3000}z", ["x", "y", "z"]),
        ("1+1=2 $5 ^_^ a|b ~c `d`", ["1", "+", "1", "=", "2", "$", "5", "^", "_", "^", "a", "|", "b", "~", "c", "`", "d", "`"]),
        ("«quote» — dash…", ["«", "quote", "»", "—", "dash", "…"]),
        ("İstanbul ΚΌΣΜΕ", ["istanbul", "κοσμε"]),
    ])
    func splitsLikeTheReference(text: String, words: [String]) {
        #expect(tokenizer.words(in: text) == words)
    }

    @Test func hangulSyllablesAreDecomposedIntoJamo() {
        let words = tokenizer.words(in: "안")
        #expect(words.map { Array($0.unicodeScalars.map(\.value)) } == [[0x110B, 0x1161, 0x11AB]])
    }

    @Test func casedTokenizerKeepsCaseAndAccents() {
        let cased = BertBasicTokenizer(lowercases: false)
        #expect(cased.words(in: "Café") == ["Café"])
        #expect(cased.stripsAccents == false)
    }
}
