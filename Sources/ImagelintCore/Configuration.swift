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
    /// `exclude`: path globs not to lint.
    public var exclude: [Glob] = []
    /// `ignore.images`: image globs whose occurrences are not checked.
    public var ignoreImages: [Glob] = []
    /// `build-args`: values for Dockerfile ARGs.
    public var buildArgs: [String: String] = [:]
    public var failOn: FailOn = .error
    /// Input kinds turned off (`inputs: {gitlab-ci: false}`), by id.
    public var disabledInputs: Set<String> = []
    /// The file this came from, if any.
    public var source: String? = nil

    public init() {}

    /// The severity a rule runs at, or nil when it is off.
    public func severity(of rule: RuleDescription) -> Severity? {
        if let override = ruleSeverities[rule.id] { return override }
        return rule.defaultSeverity
    }
}
