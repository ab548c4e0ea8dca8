import Testing
@testable import Index

@Suite("Document paths")
struct DocumentPathTests {
    @Test(arguments: [
        "README.md", "docs/architecture/overview.md", "adr/0001-use-postgresql.md", "notes/café.txt",
        "a/b/c/d/e.md", "v1.2/changes.md", "dir.with.dots/file", "x", "日本語/ドキュメント.md", "100%/done.md",
        "..hidden/file.md", "file..md", "a/.b/c",
    ])
    func acceptsOrdinaryRelativePaths(_ path: String) throws {
        #expect(try DocumentPath.validate(path) == path)
    }

    @Test(arguments: [
        ("", "empty"),
        ("../etc/passwd", "parent segment"),
        ("a/../../b", "parent segment inside"),
        ("a/..", "trailing parent"),
        ("./a.md", "dot segment"),
        ("a/./b.md", "inner dot segment"),
        ("%2e%2e/secret", "escaped dots"),
        ("%2E%2E/secret", "escaped dots upper case"),
        ("a%2fb", "escaped slash"),
        ("a%5cb", "escaped backslash"),
        ("a%00b", "escaped NUL"),
        ("..\\windows", "backslash traversal"),
        ("a\\b", "backslash"),
        ("/etc/passwd", "absolute"),
        ("C:\\temp\\a.md", "drive with backslash"),
        ("c:/temp/a.md", "drive letter"),
        ("a\u{0}b", "NUL"),
        ("a\u{1}b", "control"),
        ("a\nb", "newline"),
        ("a\tb", "tab"),
        ("a\u{7F}b", "DEL"),
        ("a\u{85}b", "C1 control"),
        ("a//b", "empty segment"),
        ("a/", "trailing slash"),
        ("/", "root"),
        (String(repeating: "a", count: 513), "over-long"),
        (String(repeating: "é", count: 257), "over-long in bytes"),
        ("cafe\u{301}.md", "not NFC"),
    ])
    func rejectsUnsafePaths(_ path: String, _ why: String) {
        #expect(throws: IndexError.self, "\(why)") { try DocumentPath.validate(path) }
    }

    @Test func errorNamesTheField() {
        #expect(throws: IndexError.invalid(field: "path", reason: "must not contain '.' or '..' segments")) {
            try DocumentPath.validate("a/../b")
        }
    }

    @Test func acceptsThe512ByteLimitExactly() throws {
        let path = String(repeating: "a", count: 512)
        #expect(try DocumentPath.validate(path) == path)
    }
}
