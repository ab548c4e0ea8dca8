// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Lore",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lore", targets: ["CLI"]),
        .library(name: "Index", targets: ["Index"]),
        .library(name: "Search", targets: ["Search"]),
        .library(name: "Vectors", targets: ["Vectors"]),
        .library(name: "API", targets: ["API"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk.git", from: "0.12.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
    ],
    targets: [
        .systemLibrary(name: "CSQLiteSettings", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "Index",
            dependencies: [
                "CSQLiteSettings",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Runtime",
            dependencies: [.product(name: "Logging", package: "swift-log")]
        ),
        .systemLibrary(
            name: "CBLAS",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        .target(
            name: "Vectors",
            dependencies: [
                "CBLAS",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [
                .unsafeFlags(["-Xcc", "-mavx2", "-Xcc", "-mfma"]),
                // The encoder and the scans are numeric loops: optimise them in debug builds too,
                // or the test suite spends minutes in unoptimised arithmetic.
                .unsafeFlags(["-O"], .when(configuration: .debug)),
            ]
        ),
        .target(
            name: "Search",
            dependencies: [
                "Index",
                "Vectors",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Console",
            resources: ConsoleAssets.files.map { .embedInCode("Assets/\($0)") }
        ),
        .target(
            name: "API",
            dependencies: [
                "Console",
                "Index",
                "Runtime",
                "Search",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                "Vectors",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .executableTarget(
            name: "CLI",
            dependencies: [
                "API",
                "Runtime",
                "Vectors",
                "Index",
                "Search",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "LoreTestSupport",
            dependencies: ["Index", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log")],
            path: "Tests/LoreTestSupport"
        ),
        .testTarget(
            name: "IndexTests",
            dependencies: ["Index", "LoreTestSupport", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio")]
        ),
        .testTarget(name: "SearchTests", dependencies: ["Search", "Index", "Vectors", "LoreTestSupport"]),
        .testTarget(
            name: "VectorsTests",
            dependencies: [
                "Vectors", "LoreTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "CLITests", dependencies: ["CLI", "LoreTestSupport"]),
        .testTarget(
            name: "APITests",
            dependencies: [
                "API", "Index", "Search", "Runtime", "LoreTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "MCP", package: "swift-sdk"),
            ]
        ),
    ]
)

/// The console's files (Sources/Console/Assets), compiled into the binary: `lore serve` needs no
/// folder beside it. A file added there is listed here and in `ConsoleAssets.swift`.
enum ConsoleAssets {
    static let files = [
        "index.html", "console.css", "favicon.svg",
        "app.js", "api.js", "dom.js", "markdown.js", "snippet.js", "dialogs.js",
        "page-auth.js", "page-projects.js", "page-project.js", "page-keys.js", "page-documents.js",
        "page-sources.js", "page-search.js", "page-status.js",
    ]
}
