// swift-tools-version: 6.3
import PackageDescription

let package = Package(
    name: "imagelint",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "imagelint", targets: ["imagelint"]),
        .library(name: "ImageReference", targets: ["ImageReference"]),
        .library(name: "ImagelintKit", targets: ["ImagelintKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // libyaml, the system library (Debian `libyaml-dev`, Homebrew `libyaml`).
        .systemLibrary(
            name: "CYAML",
            path: "Sources/CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        // Byte-level text helpers the front ends share (package access): ASCII classes, UTF-8 columns, byte search.
        .target(name: "ByteText"),
        // The image reference grammar: parse, validate, normalize.
        .target(name: "ImageReference", dependencies: ["ByteText"]),
        // Shared vocabulary: spans, occurrences, findings, rules, configuration model, engine. No I/O.
        .target(name: "ImagelintCore", dependencies: ["ImageReference", "ByteText"]),
        // Thin wrapper over libyaml's event API: a compact document tree with marks.
        .target(name: "FastYAML", dependencies: ["CYAML", "ByteText"]),
        // Front ends.
        .target(name: "DockerfileParser", dependencies: ["ImagelintCore", "ImageReference", "ByteText"]),
        .target(name: "ManifestParser", dependencies: ["ImagelintCore", "ImageReference", "FastYAML", "ByteText"]),
        // The built-in rules, one file per rule.
        .target(name: "BuiltinRules", dependencies: ["ImagelintCore", "ImageReference"], path: "Rules", exclude: ["README.md"]),
        // Output formats, one type per format.
        .target(name: "Reporters", dependencies: ["ImagelintCore", "ImageReference"]),
        // Semantic versions and release tag sets.
        .target(name: "ReleaseTags", dependencies: ["ImageReference", "ImagelintCore", "ByteText"]),
        // The pipeline: file walking, reading, configuration loading, running front ends and engine.
        .target(
            name: "ImagelintKit",
            dependencies: [
                "ImagelintCore", "ImageReference", "FastYAML", "DockerfileParser", "ManifestParser",
                "BuiltinRules", "Reporters", "ReleaseTags", "ByteText",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // The OCI Distribution client: manifests, tags, credentials, auth. Used only by `pin` and `lint --online`.
        .target(
            name: "RegistryClient",
            dependencies: [
                "ImageReference", "Reporters",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // `pin` and `lint --online`: the pipeline's occurrences, resolved through the registry client.
        .target(
            name: "ImagelintOnline",
            dependencies: ["ImagelintKit", "ImagelintCore", "ImageReference", "RegistryClient", "ByteText", "ReleaseTags"]),
        .executableTarget(
            name: "imagelint",
            dependencies: [
                "ImagelintKit", "ImagelintCore", "ImageReference", "BuiltinRules", "Reporters", "ReleaseTags",
                "ImagelintOnline", "RegistryClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),

        // The front ends' benchmark (Tests/Benchmarks/run.sh): one thread, CPU time, best of N.
        .executableTarget(
            name: "imagelint-bench",
            dependencies: ["FastYAML", "CYAML", "DockerfileParser", "ManifestParser", "ImagelintCore"]
        ),

        // What the tests share: the package root, `../shared`, the built binary's path, seeded generators.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ImageReferenceTests", dependencies: ["ImageReference", "TestSupport"]),
        .testTarget(name: "ImagelintCoreTests", dependencies: ["ImagelintCore", "TestSupport"]),
        .testTarget(name: "FastYAMLTests", dependencies: ["FastYAML", "TestSupport"]),
        .testTarget(name: "DockerfileParserTests", dependencies: ["DockerfileParser", "ImagelintCore", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ManifestParserTests", dependencies: ["ManifestParser", "ImagelintCore", "FastYAML", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "BuiltinRulesTests", dependencies: ["BuiltinRules", "ImagelintKit", "ImagelintCore", "TestSupport"]),
        .testTarget(name: "ReportersTests", dependencies: ["Reporters", "ImagelintCore", "TestSupport"], exclude: ["Goldens"]),
        .testTarget(name: "ReleaseTagsTests", dependencies: ["ReleaseTags", "ImagelintCore", "TestSupport"]),
        .testTarget(name: "ImagelintKitTests", dependencies: ["ImagelintKit", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["ImagelintKit", "TestSupport"], exclude: ["Goldens"]),
        // Against a real registry on the loopback (Debian's docker-registry, images pushed with skopeo).
        .testTarget(
            name: "RegistryTests",
            dependencies: ["RegistryClient", "ImagelintOnline", "ImagelintKit", "ImagelintCore", "ReleaseTags", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
