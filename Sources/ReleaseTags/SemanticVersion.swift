/// A semantic version as semver.org 2.0.0 defines it: `MAJOR.MINOR.PATCH[-prerelease][+build]`.
///
/// Numeric parts are kept as decimal digit strings, so versions of any size parse and compare exactly
/// (`99999999999999999999999.0.0` is a valid version).
///
/// Equality and ordering are semver *precedence*: build metadata is ignored, so `1.0.0+a == 1.0.0`.
/// Use `isIdentical(to:)` to compare every part.
public struct SemanticVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The major version, decimal digits without leading zeros.
    public let major: String
    /// The minor version, decimal digits without leading zeros.
    public let minor: String
    /// The patch version, decimal digits without leading zeros.
    public let patch: String
    /// The pre-release identifiers (`rc`, `1` for `-rc.1`); empty for a release.
    public let prerelease: [PrereleaseIdentifier]
    /// The build metadata identifiers (`build`, `7` for `+build.7`); empty when there is none.
    public let build: [String]

    /// A pre-release identifier: numeric identifiers compare as numbers and sort before alphanumeric ones.
    public enum PrereleaseIdentifier: Sendable, Hashable, CustomStringConvertible {
        /// Digits only, without leading zeros (`0`, `11`).
        case numeric(String)
        /// Letters, digits and `-`, with at least one non-digit (`rc`, `0a`, `--`).
        case alphanumeric(String)

        public var description: String {
            switch self {
            case .numeric(let s), .alphanumeric(let s): return s
            }
        }
    }

    /// Parses `text` strictly as semver 2.0.0; with `allowLeadingV`, one leading lowercase `v` is accepted
    /// and dropped (`v1.2.3`, the common tag convention).
    public static func parse(_ text: String, allowLeadingV: Bool = false) throws(VersionSyntaxError) -> SemanticVersion {
        try VersionParser.parse(text, allowLeadingV: allowLeadingV)
    }

    /// Parses `text` strictly as semver 2.0.0, or returns nil.
    public init?(_ text: String) {
        guard let v = try? VersionParser.parse(text, allowLeadingV: false) else { return nil }
        self = v
    }

    init(major: String, minor: String, patch: String, prerelease: [PrereleaseIdentifier], build: [String]) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
        self.build = build
    }

    /// True when the version has pre-release identifiers.
    public var isPrerelease: Bool { !prerelease.isEmpty }

    /// `MAJOR.MINOR.PATCH`.
    public var core: String { major + "." + minor + "." + patch }

    /// `MAJOR.MINOR.PATCH[-prerelease]`, without build metadata.
    public var withoutBuild: String {
        prerelease.isEmpty ? core : core + "-" + prerelease.map(\.description).joined(separator: ".")
    }

    /// The normalized version, without a leading `v`: `MAJOR.MINOR.PATCH[-prerelease][+build]`.
    public var description: String {
        build.isEmpty ? withoutBuild : withoutBuild + "+" + build.joined(separator: ".")
    }

    /// True when every part, build metadata included, is the same.
    public func isIdentical(to other: SemanticVersion) -> Bool {
        self == other && build == other.build
    }

    public static func == (a: SemanticVersion, b: SemanticVersion) -> Bool {
        a.major == b.major && a.minor == b.minor && a.patch == b.patch && a.prerelease == b.prerelease
    }

    public func hash(into h: inout Hasher) {
        h.combine(major)
        h.combine(minor)
        h.combine(patch)
        h.combine(prerelease)
    }

    public static func < (a: SemanticVersion, b: SemanticVersion) -> Bool {
        compare(a, b) < 0
    }

    /// Semver precedence (spec item 11): negative when `a` comes first, zero for equal precedence.
    public static func compare(_ a: SemanticVersion, _ b: SemanticVersion) -> Int {
        for (x, y) in [(a.major, b.major), (a.minor, b.minor), (a.patch, b.patch)] {
            let c = compareNumeric(x, y)
            if c != 0 { return c }
        }
        // A release has higher precedence than any of its pre-releases.
        switch (a.prerelease.isEmpty, b.prerelease.isEmpty) {
        case (true, true): return 0
        case (true, false): return 1
        case (false, true): return -1
        case (false, false): break
        }
        for (x, y) in zip(a.prerelease, b.prerelease) {
            let c: Int
            switch (x, y) {
            case (.numeric(let p), .numeric(let q)): c = compareNumeric(p, q)
            case (.numeric, .alphanumeric): c = -1
            case (.alphanumeric, .numeric): c = 1
            case (.alphanumeric(let p), .alphanumeric(let q)): c = compareASCII(p, q)
            }
            if c != 0 { return c }
        }
        // A larger set of identifiers wins when all preceding ones are equal.
        return a.prerelease.count < b.prerelease.count ? -1 : (a.prerelease.count > b.prerelease.count ? 1 : 0)
    }

    /// Compares digit strings without leading zeros: the longer is larger, else byte order.
    static func compareNumeric(_ a: String, _ b: String) -> Int {
        let (x, y) = (a.utf8.count, b.utf8.count)
        if x != y { return x < y ? -1 : 1 }
        return compareASCII(a, b)
    }

    /// Lexical comparison in ASCII (byte) order.
    static func compareASCII(_ a: String, _ b: String) -> Int {
        if a.utf8.elementsEqual(b.utf8) { return 0 }
        return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
    }
}

/// Why a string is not a semantic version: which part is wrong and why.
public struct VersionSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The part of the version that is wrong.
    public enum Part: String, Sendable, Hashable, CaseIterable {
        case version, major, minor, patch, prerelease = "pre-release", build = "build metadata"
    }

    /// The text as given.
    public let input: String
    public let part: Part
    /// A sentence fragment naming the part and what is wrong with it.
    public let reason: String

    public init(input: String, part: Part, reason: String) {
        self.input = input
        self.part = part
        self.reason = reason
    }

    public var description: String { "invalid version `\(input)`: \(reason)" }
}
