import Foundation

/// One file of the web console (SPEC §12), compiled into the binary.
public struct ConsoleAsset: Sendable {
    public let name: String
    public let contentType: String
    public let bytes: [UInt8]
    /// A strong validator of the bytes, for `ETag`/`If-None-Match`.
    public let etag: String

    public init(name: String, contentType: String, bytes: [UInt8], etag: String) {
        self.name = name
        self.contentType = contentType
        self.bytes = bytes
        self.etag = etag
    }
}

/// The console's files by name. They are plain HTML, CSS and JavaScript modules written here
/// (no build step); `Package.swift` embeds each of them with `.embedInCode`.
public enum ConsoleAssets {
    public static let index = asset("index.html", PackageResources.index_html)

    public static let byName: [String: ConsoleAsset] = Dictionary(uniqueKeysWithValues: [
        index,
        asset("console.css", PackageResources.console_css),
        asset("favicon.svg", PackageResources.favicon_svg),
        asset("app.js", PackageResources.app_js),
        asset("api.js", PackageResources.api_js),
        asset("dom.js", PackageResources.dom_js),
        asset("markdown.js", PackageResources.markdown_js),
        asset("snippet.js", PackageResources.snippet_js),
        asset("dialogs.js", PackageResources.dialogs_js),
        asset("page-auth.js", PackageResources.page_auth_js),
        asset("page-projects.js", PackageResources.page_projects_js),
        asset("page-project.js", PackageResources.page_project_js),
        asset("page-keys.js", PackageResources.page_keys_js),
        asset("page-documents.js", PackageResources.page_documents_js),
        asset("page-sources.js", PackageResources.page_sources_js),
        asset("page-search.js", PackageResources.page_search_js),
        asset("page-status.js", PackageResources.page_status_js),
    ].map { ($0.name, $0) })

    static func asset(_ name: String, _ bytes: [UInt8]) -> ConsoleAsset {
        ConsoleAsset(name: name, contentType: contentType(of: name), bytes: bytes, etag: "\"\(fnv1a(bytes))\"")
    }

    static func contentType(of name: String) -> String {
        switch name.split(separator: ".").last {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        default: "application/octet-stream"
        }
    }

    /// 64-bit FNV-1a as hex: enough to tell two versions of a file apart.
    private static func fnv1a(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
