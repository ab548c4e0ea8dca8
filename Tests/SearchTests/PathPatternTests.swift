import Search
import Testing

/// Source filters: `*` and `?` within a folder, `**` across folders, classes, and a pattern
/// without `/` matching the name at any depth.
@Suite("Path patterns")
struct PathPatternTests {
    @Test(arguments: [
        ("**/*.md", "a.md", true), ("**/*.md", "docs/a.md", true), ("**/*.md", "docs/deep/a.md", true),
        ("**/*.md", "a.markdown", false), ("*.md", "docs/deep/a.md", true), ("docs/*.md", "docs/a.md", true),
        ("docs/*.md", "docs/deep/a.md", false), ("docs/**", "docs/deep/a.md", true), ("docs/**", "docsx/a.md", false),
        ("a/**/b.md", "a/b.md", true), ("a/**/b.md", "a/x/y/b.md", true), ("a/**/b.md", "ab.md", false),
        ("?.txt", "a.txt", true), ("?.txt", "ab.txt", false), ("[ab].md", "b.md", true), ("[!ab].md", "c.md", true),
        ("[!ab].md", "a.md", false), ("[a-c].md", "b.md", true), ("[a-c].md", "d.md", false),
        ("/top.md", "top.md", true), ("/top.md", "x/top.md", false), ("(x).md", "(x).md", true), ("a+b.md", "a+b.md", true),
        ("[unclosed.md", "[unclosed.md", true), ("d/[/]x", "d/[/]x", true), ("*.md", "a.md\nb", false),
    ])
    func matches(_ pattern: String, _ path: String, _ expected: Bool) {
        #expect(PathPattern(pattern).matches(path) == expected, "\(pattern) on \(path)")
    }

    @Test func excludeWins() {
        let include = [PathPattern("**/*.md")], exclude = [PathPattern("drafts/**")]
        #expect(PathPattern.selects("docs/a.md", include: include, exclude: exclude))
        #expect(!PathPattern.selects("drafts/a.md", include: include, exclude: exclude))
    }
}
