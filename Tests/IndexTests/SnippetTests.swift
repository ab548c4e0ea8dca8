import Testing
@testable import Index

@Suite("Snippet HTML")
struct SnippetTests {
    @Test func escapesTextAndTurnsMarkersIntoMarkTags() {
        let marked = "a<b & \(Snippet.openMarker)c\(Snippet.closeMarker) 'd\""
        #expect(Snippet.html(fromMarked: marked) == "a&lt;b &amp; <mark>c</mark> &#39;d&quot;")
    }

    @Test func escapeLeavesMarkersAsText() {
        #expect(Snippet.escape("\(Snippet.openMarker)<") == "\(Snippet.openMarker)&lt;")
    }

    @Test func escapesACharacterEvenWhenACombiningMarkFollowsIt() {
        // `<` + U+0301 is one Character; as HTML it is still a tag opener.
        #expect(Snippet.escape("<\u{301}script>") == "&lt;\u{301}script&gt;")
        #expect(Snippet.escape("日本 ok") == "日本 ok")
    }
}
