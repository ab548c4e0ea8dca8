// swift-tools-version:6.1
import Foundation
import PackageDescription

/// Lore itself, the package one folder up: SwiftPM names a path dependency after its folder, so
/// the name is read from the folder (a clone may be called anything) rather than written here.
let lore = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "LoreBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        .executableTarget(
            name: "FullTextBenchmark",
            dependencies: [
                .product(name: "Index", package: lore),
                .product(name: "Search", package: lore),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .executableTarget(
            name: "VectorBenchmark",
            dependencies: [.product(name: "Vectors", package: lore)]
        ),
        .executableTarget(
            name: "EvalBenchmark",
            dependencies: [
                .product(name: "Search", package: lore),
                .product(name: "Vectors", package: lore),
            ]
        ),
        .executableTarget(
            name: "EmbeddingBenchmark",
            dependencies: [.product(name: "Vectors", package: lore)]
        ),
    ]
)
