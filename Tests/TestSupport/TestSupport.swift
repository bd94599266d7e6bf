import Foundation

/// Where the tests find the checkout, the shared material beside it and the built `imagelint`, without any
/// absolute path outside the checkout: the package root is derived from this file's path, `../shared` is
/// looked for beside it, and the binary is the one SwiftPM built next to the test bundle.
public enum TestPaths {
    /// The package root (the folder holding `Package.swift`).
    public static let packageRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// `../shared` beside the package root (the project's shared material), or nil when it is absent.
    /// `IMAGELINT_SHARED` names another place (a path that does not exist shows what runs without it).
    public static let sharedRoot: String? = {
        let path = ProcessInfo.processInfo.environment["IMAGELINT_SHARED"]
            ?? URL(fileURLWithPath: packageRoot).deletingLastPathComponent().appendingPathComponent("shared").path
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue ? path : nil
    }()

    /// `../shared/<relative>` when it exists, else nil.
    public static func shared(_ relative: String) -> String? {
        guard let root = sharedRoot else { return nil }
        let path = root + "/" + relative
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// The reason a test gives when it skips for want of `../shared/<relative>`.
    public static func sharedAbsent(_ relative: String) -> String {
        "skipped: needs ../shared/\(relative) beside the package root (\(packageRoot)) or IMAGELINT_SHARED, and it is absent"
    }

    /// The folder of the built products (`swift build --show-bin-path`): the test bundle is built there, so it is
    /// the folder of the running `.xctest` (an executable on Linux, a bundle on macOS). `IMAGELINT_BIN_PATH`
    /// overrides it.
    public static let binPath: String = {
        if let forced = ProcessInfo.processInfo.environment["IMAGELINT_BIN_PATH"], !forced.isEmpty { return forced }
        let candidates = Bundle.allBundles.map(\.bundlePath) + [Bundle.main.executablePath ?? ""] + CommandLine.arguments
        for path in candidates where path.hasSuffix(".xctest") || path.hasSuffix(".xctest/") {
            return URL(fileURLWithPath: path).resolvingSymlinksInPath().deletingLastPathComponent().path
        }
        // Not run by `swift test` (an unusual runner): the main bundle's folder is the best guess.
        return Bundle.main.bundleURL.path
    }()

    /// The `imagelint` executable SwiftPM built for this test run.
    public static let imagelint: String = binPath + "/imagelint"
}

/// A small deterministic generator (SplitMix64), so every randomised test can be replayed from its seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    public let seed: UInt64
    private var state: UInt64
    public init(seed: UInt64) {
        self.seed = seed
        state = seed
    }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Seeds for randomised tests: `IMAGELINT_TEST_SEED` when set (to replay a failure), else `fixed` when given,
/// else a fresh random one. The seed is printed, so a failing run says how to reproduce it.
public enum TestSeed {
    public static let variable = "IMAGELINT_TEST_SEED"

    public static func generator(_ test: String, fixed: UInt64? = nil) -> SeededGenerator {
        let seed: UInt64
        if let text = ProcessInfo.processInfo.environment[variable], let given = UInt64(text) {
            seed = given
        } else if let fixed {
            seed = fixed
        } else {
            seed = UInt64.random(in: 0...UInt64.max)
        }
        print("\(test): seed \(seed) (replay with \(variable)=\(seed))")
        return SeededGenerator(seed: seed)
    }
}
