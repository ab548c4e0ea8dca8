import Foundation

/// Shell-style wildcard matching (`*`, `?`, `[…]`) through the C library's `fnmatch`.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        fnmatch(pattern, text, 0) == 0
    }
}
