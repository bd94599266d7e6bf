/// A compiled regular expression with its source text (for messages), matched without backtracking
/// (`LinearRegex`): time linear in the subject whatever the pattern. Matching is a search anywhere in the
/// subject unless the pattern anchors itself.
public struct Pattern: Sendable, Hashable {
    public let source: String
    private let regex: LinearRegex

    /// Throws a `description`-bearing error naming the position of what is wrong or not supported.
    public init(_ source: String) throws {
        self.source = source
        self.regex = try LinearRegex(source)
    }

    /// True when the whole subject matches (the pattern is anchored at both ends).
    public func wholeMatch(_ subject: String) -> Bool {
        regex.wholeMatch(subject)
    }

    /// True when the pattern matches somewhere in the subject.
    public func search(_ subject: String) -> Bool {
        regex.search(subject)
    }

    public static func == (a: Pattern, b: Pattern) -> Bool { a.source == b.source }
    public func hash(into h: inout Hasher) { h.combine(source) }
}

/// A `tags.patterns` entry: images matching `images` must have tags matching `allow`.
public struct TagPattern: Sendable, Hashable {
    public var images: Glob
    public var allow: Pattern

    public init(images: Glob, allow: Pattern) {
        self.images = images
        self.allow = allow
    }
}

/// The threshold at or above which findings make the exit code 1.
public enum FailOn: String, Sendable, Hashable, CaseIterable {
    case error, warning, info, never

    public var threshold: Severity? {
        switch self {
        case .error: .error
        case .warning: .warning
        case .info: .info
        case .never: nil
        }
    }
}

/// The effective configuration: `.imagelint.yml` merged with command-line options.
public struct Configuration: Sendable {
    /// Per-rule severity override; `.some(nil)` turns a rule off.
    public var ruleSeverities: [String: Severity?] = [:]
    /// `registries.allowed`: host, `*.host`, or `host/path-prefix` patterns. Empty: the rule is inactive.
    public var allowedRegistries: [String] = []
    /// `registries.private`: patterns of registries that need pull credentials. Empty: inactive.
    public var privateRegistries: [String] = []
    /// `registries.require-namespace`: registries whose repositories need a namespace path
    /// (`registry/namespace/repo`), besides the IBM Cloud Container Registry preset (`*.icr.io`).
    public var namespacedRegistries: [String] = []
    /// `registries.secrets: complete`: the linted files hold every pull secret, so a named secret that is not
    /// among them is reported.
    public var secretsComplete = false
    /// `registries.insecure`: registries (`host[:port]`) that `pin` and `lint --online` reach over plain HTTP.
    public var insecureRegistries: [String] = []
    /// `lint --online`: the registry's answers are among the facts (enables the online rules).
    public var online = false
    /// `registries.deprecated`: old registry (or registry/path prefix) → replacement, in file order.
    public var deprecatedRegistries: [(old: String, new: String)] = []
    /// `tags.patterns`.
    public var tagPatterns: [TagPattern] = []
    /// `floating.fixed`: tags matching one of these (whole match) are fixed.
    public var fixedTagPatterns: [Pattern] = []
    /// `floating.floating`: tags matching one of these (whole match) float.
    public var floatingTagPatterns: [Pattern] = []
    /// `floating.immutable-registries`: registry hosts whose tags never move (added to floating-tag's table).
    public var immutableTagRegistries: [String] = []
    /// `floating.two-part-versions`: image globs whose releases are `MAJOR.MINOR` (added to floating-tag's table).
    public var twoPartVersionImages: [Glob] = []
    /// `exclude`: path globs not to lint.
    public var exclude: [Glob] = []
    /// `ignore.images`: image globs whose occurrences are not checked.
    public var ignoreImages: [Glob] = []
    /// `build-args`: values for Dockerfile ARGs.
    public var buildArgs: [String: String] = [:]
    public var failOn: FailOn = .error
    /// Input kinds turned off (`inputs: {gitlab-ci: false}`), by id.
    public var disabledInputs: Set<String> = []
    /// The file this came from, if any (the nearest, for a configuration merged from several).
    public var source: String? = nil
    /// Every file merged into this configuration, outermost first.
    public var files: [String] = []
    /// Where each top-level setting (and each `rules.ID`) was last set, for `imagelint config`.
    public var provenance: [String: ConfigValueSource] = [:]
    /// `overrides:` entries, in order (later entries win).
    public var overrides: [ConfigOverride] = []

    public init() {}

    /// The severity a rule runs at, or nil when it is off.
    public func severity(of rule: RuleDescription) -> Severity? {
        if let override = ruleSeverities[rule.id] { return override }
        return rule.defaultSeverity
    }
}

/// Where a configuration value came from: its text, file and line.
public struct ConfigValueSource: Sendable, Hashable {
    public var value: String
    public var file: String
    public var line: Int

    public init(value: String, file: String, line: Int) {
        self.value = value
        self.file = file
        self.line = line
    }
}

/// An `overrides:` entry: settings for the files matching `files` (path globs, relative to the directory of the
/// configuration file that declares it) and/or the images matching `images`.
public struct ConfigOverride: Sendable {
    public var files: [Glob]
    public var images: [Glob]
    /// The directory of the file declaring it.
    public var directory: String
    public var file: String
    public var line: Int
    /// Applies the entry's settings (already validated when the file was read).
    public var apply: @Sendable (inout Configuration) -> Void

    public init(
        files: [Glob], images: [Glob], directory: String, file: String, line: Int,
        apply: @escaping @Sendable (inout Configuration) -> Void
    ) {
        self.files = files
        self.images = images
        self.directory = directory
        self.file = file
        self.line = line
        self.apply = apply
    }

    /// True when the entry's `files` select `path` (relative to `directory`, or absolute when the file is
    /// outside it); true when it has no `files`.
    public func selects(file path: String) -> Bool {
        files.isEmpty || files.contains { $0.matchesPath(path) }
    }

    /// True when the entry's `images` select the reference (as written, resolved, or in familiar or normalized
    /// form); true when it has no `images`.
    public func selects(image candidates: [String]) -> Bool {
        images.isEmpty || images.contains { g in candidates.contains { g.matches($0) } }
    }
}
