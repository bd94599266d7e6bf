import ImageReference

/// Release tag sets: which tags a build of a version gets, following the convention that the patch tag
/// `X.Y.Z` is fixed and never overwritten while `X.Y`, `X` and `latest` float to the newest release.
public enum ReleaseTags {
    /// Works out the tags for `version` under `policy`, given the repository's current tags.
    ///
    /// Only existing tags that read as versions with the policy's prefix and suffix count; pre-releases
    /// among them never hold a release back. `X.Y` is produced only when `version` is at least every
    /// existing `X.Y.*` release, `X` only when it is at least every `X.*.*` release, and `latest` (policy
    /// `.auto`) only when it is at least every existing release. Floating tags left out for that reason are
    /// listed in `TagPlan.skipped`.
    ///
    /// Throws `.patchTagExists` when the patch tag is already in `existing` (unless
    /// `policy.allowOverwrite`), and `.invalidTag` when a produced tag breaks the tag grammar.
    public static func plan(
        for version: SemanticVersion, policy: TagPolicy = TagPolicy(), existing: [String] = []
    ) throws(TagPlanError) -> TagPlan {
        let fixed = policy.prefix + version.withoutBuild + policy.suffix
        var tags = [fixed]
        if policy.keepBuildMetadata, !version.build.isEmpty {
            tags.append(policy.prefix + version.withoutBuild + "_" + version.build.joined(separator: ".") + policy.suffix)
        }
        var floating: [(tag: String, scope: (SemanticVersion) -> Bool)] = []
        if policy.includeMinor {
            floating.append(
                (policy.prefix + version.major + "." + version.minor + policy.suffix,
                 { $0.major == version.major && $0.minor == version.minor }))
        }
        if policy.includeMajor, version.major != "0" || policy.majorZero {
            floating.append((policy.prefix + version.major + policy.suffix, { $0.major == version.major }))
        }
        let plan = try fanOut(
            fixed: fixed, tags: tags, version: version, isPrerelease: version.isPrerelease,
            releases: version.isPrerelease ? [] : existingReleases(existing, prefix: policy.prefix, suffix: policy.suffix),
            floating: floating, policy: policy, existing: existing)
        return TagPlan(version: version, tags: plan.tags, skipped: plan.skipped)
    }

    /// The part of a tag plan every version scheme shares. A prerelease gets its channel tag; a release gets
    /// each floating tag of `floating` and `latest` unless an existing release in its scope is newer (then
    /// the tag is skipped, naming that release: floating tags never move backwards). Every tag is checked
    /// against the tag grammar, the fixed tag must not exist already (unless `allowOverwrite`), and a tag
    /// produced twice (a suffix equal to a channel name) is kept once.
    static func fanOut<V: Comparable>(
        fixed: String, tags initial: [String], version: V, isPrerelease: Bool, releases: [(tag: String, version: V)],
        floating: [(tag: String, scope: (V) -> Bool)], policy: TagPolicy, existing: [String]
    ) throws(TagPlanError) -> (tags: [String], skipped: [SkippedTag]) {
        var tags = initial
        var skipped: [SkippedTag] = []
        if isPrerelease {
            if let channel = policy.prereleaseTag { tags.append(channel + policy.suffix) }
        } else {
            func add(_ tag: String, unlessNewer scope: (V) -> Bool) {
                let newer = releases.filter { scope($0.version) && $0.version > version }.max { $0.version < $1.version }
                if let newer {
                    skipped.append(SkippedTag(tag: tag, reason: "\(newer.tag) is newer"))
                } else {
                    tags.append(tag)
                }
            }
            for (tag, scope) in floating { add(tag, unlessNewer: scope) }
            let latest = latestTag(suffix: policy.suffix)
            switch policy.latest {
            case .never: break
            case .always: tags.append(latest)
            case .auto: add(latest) { _ in true }
            }
        }
        for tag in tags {
            if let problem = tagProblem(tag) { throw .invalidTag(tag: tag, reason: problem) }
        }
        if !policy.allowOverwrite, existing.contains(fixed) { throw .patchTagExists(tag: fixed) }
        var seen = Set<String>()
        return (tags.filter { seen.insert($0).inserted }, skipped)
    }

    /// The floating "newest" tag: `latest`, or for a variant suffix such as `-alpine` the bare variant
    /// name (`alpine`) without its leading separators.
    public static func latestTag(suffix: String) -> String {
        if suffix.isEmpty { return "latest" }
        return String(suffix.drop { $0 == "-" || $0 == "_" || $0 == "." })
    }

    /// The releases among `tags` written as `prefix` + version + `suffix`, the version strictly semver.
    /// Tags with `_` build metadata (`1.2.0_b.7`) are not read back: `_slim` may as well be a variant
    /// suffix, and such a tag always comes with its plain `X.Y.Z` tag.
    public static func existingReleases(
        _ tags: [String], prefix: String, suffix: String
    ) -> [(tag: String, version: SemanticVersion)] {
        var out: [(tag: String, version: SemanticVersion)] = []
        for tag in tags {
            let b = Array(tag.utf8)
            let (p, s) = (prefix.utf8.count, suffix.utf8.count)
            guard b.count >= p + s, b[..<p].elementsEqual(prefix.utf8), b[(b.count - s)...].elementsEqual(suffix.utf8)
            else { continue }
            let middle = String(decoding: b[p..<(b.count - s)], as: UTF8.self)
            if let v = SemanticVersion(middle), !v.isPrerelease {
                out.append((tag, v))
            }
        }
        return out
    }

    /// Why `tag` breaks the tag grammar `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`, or nil when it is valid: the
    /// reference grammar's own rule (`ImageReference.tagProblem`).
    public static func tagProblem(_ tag: String) -> String? {
        tag.isEmpty ? "must not be empty" : ImageReference.tagProblem(tag)
    }
}

/// How to derive tags from a version.
public struct TagPolicy: Sendable, Hashable {
    /// Put in front of every version tag (`v` gives `v2.1.5`); never in front of `latest` or a channel.
    public var prefix: String
    /// Put after every tag (`-alpine` gives `2.1.5-alpine`); `latest` becomes the bare variant name.
    public var suffix: String
    /// When to produce `latest` for a release.
    public var latest: LatestPolicy
    /// Produce the major tag `0` for `0.y.z` releases (off: `0.y.z` promises no compatibility).
    public var majorZero: Bool
    /// Produce the major tag `X`.
    public var includeMajor: Bool
    /// Produce the minor tag `X.Y`.
    public var includeMinor: Bool
    /// A floating channel tag for pre-releases (`next`); pre-releases get no other floating tag.
    public var prereleaseTag: String?
    /// Also produce the fixed tag with build metadata, `+` written as `_` (`2.1.5_build.7`).
    public var keepBuildMetadata: Bool
    /// Allow the patch tag to exist already (it is normally immutable).
    public var allowOverwrite: Bool

    public init(
        prefix: String = "", suffix: String = "", latest: LatestPolicy = .auto, majorZero: Bool = false,
        includeMajor: Bool = true, includeMinor: Bool = true, prereleaseTag: String? = nil,
        keepBuildMetadata: Bool = false, allowOverwrite: Bool = false
    ) {
        self.prefix = prefix
        self.suffix = suffix
        self.latest = latest
        self.majorZero = majorZero
        self.includeMajor = includeMajor
        self.includeMinor = includeMinor
        self.prereleaseTag = prereleaseTag
        self.keepBuildMetadata = keepBuildMetadata
        self.allowOverwrite = allowOverwrite
    }
}

/// When a release gets `latest`. Pre-releases never do.
public enum LatestPolicy: String, Sendable, Hashable, CaseIterable {
    /// Only when the release is the highest known version.
    case auto
    case always
    case never
}

/// The tags for one version, in order: fixed tags first, then `X.Y`, `X`, `latest` (or the channel).
public struct TagPlan: Sendable, Hashable {
    public let version: SemanticVersion
    public let tags: [String]
    /// Floating tags left out because an existing release is newer.
    public let skipped: [SkippedTag]

    public init(version: SemanticVersion, tags: [String], skipped: [SkippedTag]) {
        self.version = version
        self.tags = tags
        self.skipped = skipped
    }
}

/// A tag left out, and why (`latest`, `3.0.0 is newer`).
public struct SkippedTag: Sendable, Hashable, CustomStringConvertible {
    public let tag: String
    public let reason: String

    public init(tag: String, reason: String) {
        self.tag = tag
        self.reason = reason
    }

    public var description: String { "\(tag): \(reason)" }
}

/// Why no tag set can be produced.
public enum TagPlanError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The patch tag exists and patch tags are immutable.
    case patchTagExists(tag: String)
    /// A produced tag breaks the tag grammar (a bad prefix, suffix or channel name).
    case invalidTag(tag: String, reason: String)

    public var description: String {
        switch self {
        case .patchTagExists(let tag):
            return "tag \(tag) already exists; patch tags are immutable"
        case .invalidTag(let tag, let reason):
            return "tag `\(tag)` \(reason); check --prefix, --suffix and --prerelease-tag"
        }
    }
}
