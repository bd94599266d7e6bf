import ImagelintCore

/// How versions are written.
public enum VersionScheme: String, Sendable, Hashable, CaseIterable {
    /// Semantic versions, `MAJOR.MINOR.PATCH`: tags `X.Y.Z`, `X.Y`, `X`, `latest`.
    case semver
    /// Calendar versions, `YYYY.MM.MICRO` or `YY.0M.MICRO`: tags `YYYY.MM.MICRO`, `YYYY.MM`, `latest`.
    case calver
}

/// What the command line says about a build, before it is checked.
public struct ReleaseInput: Sendable {
    /// The positional VERSION (or a tag such as `api/v1.4.2` with `match`).
    public var version: String?
    /// A full git ref, `refs/tags/…`, `refs/heads/…`, `refs/pull/N/merge`.
    public var ref: String?
    /// The commit: adds `sha-` and its first 7 characters, and the `revision` label.
    public var sha: String?
    /// A pattern a release tag must match; its first capture group is the version.
    public var match: String?
    /// The branch that gets `edge` (nil: the CI system's default branch, else `main`).
    public var defaultBranch: String?
    public var scheme: VersionScheme = .semver
    /// With `.calver`, also the year tag `YYYY`.
    public var calverYear = false
    public var policy = TagPolicy()
    /// `KEY=VALUE` labels (and annotations) beyond the OCI ones.
    public var labels: [String] = []
    /// The source repository's URL (`org.opencontainers.image.source`).
    public var source: String?
    /// Where the CI ref, sha, source URL and `SOURCE_DATE_EPOCH` come from.
    public var environment: [String: String] = [:]

    public init() {}
}

/// A checked build: what it is, its commit, and its image metadata.
public struct Release: Sendable {
    public enum Kind: Sendable, Hashable {
        case semver(SemanticVersion)
        case calver(CalendarVersion)
        case branch(tag: String, isDefault: Bool)
        case pullRequest(String)
    }

    public let kind: Kind
    public let sha: String?
    /// The tag policy; `--push` plans with `allowOverwrite` and checks the fixed tags' digests itself.
    public var policy: TagPolicy
    public let calverYear: Bool
    /// Where the ref came from when no VERSION or `--ref` was given (`GitHub Actions`, `GitLab CI`).
    public let ciSystem: String?
    public let metadata: ImageMetadata

    /// The version the labels carry: the release's version, the branch tag or `pr-N`.
    public var version: String {
        switch kind {
        case .semver(let v): return v.withoutBuild
        case .calver(let v): return v.description
        case .branch(let tag, _): return tag
        case .pullRequest(let n): return "pr-" + n
        }
    }

    /// Checks the input and works out the build; `now` is the time in seconds since 1970 when
    /// `SOURCE_DATE_EPOCH` is not set.
    public static func resolve(_ input: ReleaseInput, now: Int) throws(ReleaseInputError) -> Release {
        if input.version != nil, input.ref != nil {
            throw ReleaseInputError("give VERSION or --ref, not both")
        }
        var sha = input.sha
        var source = input.source
        var defaultBranch = input.defaultBranch
        var ciSystem: String? = nil
        let ref: BuildRef
        if let version = input.version {
            ref = .tag(version)
        } else if let text = input.ref {
            ref = try BuildRef.parse(text)
        } else {
            let ci = try CIContext.detect(input.environment)
            ref = ci.ref
            sha = sha ?? ci.sha
            defaultBranch = defaultBranch ?? ci.defaultBranch
            ciSystem = ci.system
        }
        if source == nil {
            let env = input.environment
            if let server = env["GITHUB_SERVER_URL"], let repo = env["GITHUB_REPOSITORY"], !server.isEmpty, !repo.isEmpty {
                source = server + "/" + repo
            } else if let url = env["CI_PROJECT_URL"], !url.isEmpty {
                source = url
            }
        }
        if let s = sha {
            guard s.utf8.count >= 7, s.allSatisfy({ $0.isHexDigit && $0.isASCII }) else {
                throw ReleaseInputError("--sha `\(s)` is not a commit hash (at least 7 hexadecimal digits)")
            }
            sha = s.lowercased()
        }

        let kind: Kind
        switch ref {
        case .tag(let tag):
            var text = tag
            if let pattern = input.match { text = try match(tag, pattern) }
            switch input.scheme {
            case .semver:
                do {
                    kind = .semver(try SemanticVersion.parse(text, allowLeadingV: true))
                } catch {
                    throw ReleaseInputError(error.description)
                }
            case .calver:
                kind = .calver(try CalendarVersion.parse(text))
            }
        case .branch(let branch):
            guard let tag = BuildRef.branchTag(branch, suffix: input.policy.suffix) else {
                throw ReleaseInputError("branch `\(branch)` leaves no characters for a tag")
            }
            kind = .branch(tag: tag, isDefault: branch == (defaultBranch ?? "main"))
        case .pullRequest(let n):
            kind = .pullRequest(n)
        }

        let provisional = Release(
            kind: kind, sha: sha, policy: input.policy, calverYear: input.calverYear, ciSystem: ciSystem,
            metadata: ImageMetadata(labels: []))
        let created = try ImageMetadata.created(environment: input.environment, now: now)
        let metadata = try ImageMetadata.make(
            version: provisional.version, revision: sha, created: created, source: source, extra: input.labels)
        return Release(
            kind: kind, sha: sha, policy: input.policy, calverYear: input.calverYear, ciSystem: ciSystem, metadata: metadata)
    }

    /// The version a `match` pattern's first capture group takes from `tag`. Whether it matches at all is
    /// decided without backtracking (`Pattern`, the configuration's engine), so a hostile tag cannot make a
    /// release job hang on a pattern such as `^(a+)+$`; only a tag that matches is then read for its group.
    static func match(_ tag: String, _ pattern: String) throws(ReleaseInputError) -> String {
        let linear: Pattern
        let regex: Regex<AnyRegexOutput>
        do {
            linear = try Pattern(pattern)
            regex = try Regex(pattern)
        } catch {
            throw ReleaseInputError("--match `\(pattern)` is not a valid pattern: \(error)")
        }
        guard linear.search(tag) else {
            throw ReleaseInputError("tag `\(tag)` does not match --match `\(pattern)`")
        }
        let found: Regex<AnyRegexOutput>.Match?
        do {
            found = try regex.firstMatch(in: tag)
        } catch {
            throw ReleaseInputError("--match `\(pattern)` failed on `\(tag)`: \(error)")
        }
        guard let found else {
            throw ReleaseInputError("tag `\(tag)` does not match --match `\(pattern)`")
        }
        guard found.output.count > 1 else {
            throw ReleaseInputError("--match `\(pattern)` has no capture group; its first group is the version")
        }
        guard let group = found.output[1].substring else {
            throw ReleaseInputError("--match `\(pattern)`: its first capture group took no part of `\(tag)`")
        }
        return String(group)
    }

    /// The tags this build gets given the repository's current tags (fixed tags first, then the floating ones).
    public func plan(existing: [String] = []) throws(TagPlanError) -> ReleasePlan {
        var tags: [String]
        var fixed: [String] = []
        var skipped: [SkippedTag] = []
        let suffix = policy.suffix
        var prerelease = false
        var planVersion = version
        switch kind {
        case .semver(let v):
            let p = try ReleaseTags.plan(for: v, policy: policy, existing: existing)
            tags = p.tags
            skipped = p.skipped
            fixed = [tags[0]] + (policy.keepBuildMetadata && !v.build.isEmpty ? [tags[1]] : [])
            prerelease = v.isPrerelease
            planVersion = v.description
        case .calver(let v):
            let p = try ReleaseTags.plan(for: v, yearTag: calverYear, policy: policy, existing: existing)
            tags = p.tags
            skipped = p.skipped
            fixed = [tags[0]]
            prerelease = v.isPrerelease
        case .branch(let tag, let isDefault):
            tags = [tag + suffix] + (isDefault ? ["edge" + suffix] : [])
        case .pullRequest(let n):
            tags = ["pr-" + n + suffix]
        }
        if let sha { tags.append("sha-" + sha.prefix(7) + suffix) }
        for tag in tags {
            if let problem = ReleaseTags.tagProblem(tag) { throw .invalidTag(tag: tag, reason: problem) }
        }
        var seen = Set<String>()
        tags = tags.filter { seen.insert($0).inserted }
        return ReleasePlan(version: planVersion, prerelease: prerelease, tags: tags, fixed: fixed, skipped: skipped)
    }
}

/// The tags of one build.
public struct ReleasePlan: Sendable, Hashable {
    /// The version as given (a semantic version keeps its build metadata), the branch tag or `pr-N`.
    public let version: String
    public let prerelease: Bool
    /// Fixed tags first (`X.Y.Z`), then floating ones (`X.Y`, `X`, `latest`, branch, `edge`, `pr-N`, `sha-…`).
    public let tags: [String]
    /// The immutable tags among `tags`: a release's patch tag (and its build-metadata twin).
    public let fixed: [String]
    /// Floating tags left out because an existing release is newer.
    public let skipped: [SkippedTag]

    public init(version: String, prerelease: Bool, tags: [String], fixed: [String], skipped: [SkippedTag]) {
        self.version = version
        self.prerelease = prerelease
        self.tags = tags
        self.fixed = fixed
        self.skipped = skipped
    }
}
