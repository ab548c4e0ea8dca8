// swift-tools-version:6.1
import PackageDescription

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
                .product(name: "Index", package: "main"),
                .product(name: "Search", package: "main"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .executableTarget(
            name: "VectorBenchmark",
            dependencies: [.product(name: "Vectors", package: "main")]
        ),
        .executableTarget(
            name: "EvalBenchmark",
            dependencies: [
                .product(name: "Search", package: "main"),
                .product(name: "Vectors", package: "main"),
            ]
        ),
        .executableTarget(
            name: "EmbeddingBenchmark",
            dependencies: [.product(name: "Vectors", package: "main")]
        ),
    ]
)
