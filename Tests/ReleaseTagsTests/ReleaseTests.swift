import Testing

@testable import ReleaseTags

/// Builds from VERSION, refs, patterns, calendar versions and CI environments: the exact tags.
@Suite("Releases from refs and CI environments")
struct ReleaseTests {
    static func input(
        version: String? = nil, ref: String? = nil, sha: String? = nil, match: String? = nil,
        defaultBranch: String? = nil, scheme: VersionScheme = .semver, calverYear: Bool = false,
        policy: TagPolicy = TagPolicy(), env: [String: String] = [:]
    ) -> ReleaseInput {
        var i = ReleaseInput()
        i.version = version
        i.ref = ref
        i.sha = sha
        i.match = match
        i.defaultBranch = defaultBranch
        i.scheme = scheme
        i.calverYear = calverYear
        i.policy = policy
        i.environment = env
        return i
    }

    static func tags(_ input: ReleaseInput, existing: [String] = []) throws -> [String] {
        try Release.resolve(input, now: 0).plan(existing: existing).tags
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var input: ReleaseInput
        var existing: [String] = []
        var tags: [String]
        var testDescription: String { "\(input.ref ?? input.version ?? "env") → \(tags)" }
    }

    @Test(arguments: [
        Case(input: input(ref: "refs/tags/v2.1.5"), tags: ["2.1.5", "2.1", "2", "latest"]),
        Case(input: input(ref: "refs/tags/2.1.5-rc.1"), tags: ["2.1.5-rc.1"]),
        Case(input: input(ref: "refs/tags/1.0.1"), existing: ["1.0.0", "2.0.0"], tags: ["1.0.1", "1.0", "1"]),
        Case(input: input(ref: "refs/tags/v2.1.5", sha: "4f1c9e2dab4c"), tags: ["2.1.5", "2.1", "2", "latest", "sha-4f1c9e2"]),
        Case(input: input(ref: "refs/heads/main"), tags: ["main", "edge"]),
        Case(input: input(ref: "refs/heads/main", sha: "ABCDEF0123"), tags: ["main", "edge", "sha-abcdef0"]),
        Case(input: input(ref: "refs/heads/master"), tags: ["master"]),
        Case(input: input(ref: "refs/heads/master", defaultBranch: "master"), tags: ["master", "edge"]),
        Case(input: input(ref: "refs/heads/feature/login"), tags: ["feature-login"]),
        Case(input: input(ref: "refs/heads/dependabot/npm_and_yarn/lodash-4.17.21"), tags: ["dependabot-npm_and_yarn-lodash-4.17.21"]),
        Case(input: input(ref: "refs/heads/fix#12 ü+x"), tags: ["fix-12---x"]),
        Case(input: input(ref: "refs/heads/" + String(repeating: "b", count: 200)), tags: [String(repeating: "b", count: 128)]),
        Case(input: input(ref: "refs/heads/main", policy: TagPolicy(suffix: "-alpine")), tags: ["main-alpine", "edge-alpine"]),
        Case(input: input(ref: "refs/pull/42/merge"), tags: ["pr-42"]),
        Case(input: input(ref: "refs/pull/42/head", sha: "0123456789"), tags: ["pr-42", "sha-0123456"]),
        Case(input: input(ref: "refs/merge-requests/7/head"), tags: ["pr-7"]),
        // --latest always does not give a branch `latest`.
        Case(input: input(ref: "refs/heads/main", policy: TagPolicy(latest: .always)), tags: ["main", "edge"]),
    ])
    func refShapes(_ c: Case) throws {
        #expect(try Self.tags(c.input, existing: c.existing) == c.tags)
    }

    @Test(arguments: [
        ("refs/tags/", "not a ref"), ("refs/heads/", "not a ref"), ("refs/pull/x/merge", "not a ref"),
        ("refs/pull/1/other", "not a ref"), ("v1.2.3", "not a ref"), ("refs/remotes/origin/main", "not a ref"),
        ("refs/tags/nightly", "invalid version `nightly`"), ("refs/heads/---", "leaves no characters"),
    ])
    func badRefs(_ ref: String, _ message: String) {
        #expect { try Self.tags(Self.input(ref: ref)) } throws: { ($0 as? ReleaseInputError)?.message.contains(message) == true }
    }

    @Test(arguments: [
        ("api/v1.4.2", "^api/v(.+)$", ["1.4.2", "1.4", "1", "latest"]),
        ("web-2.0.0-rc.1", "^web-(.*)$", ["2.0.0-rc.1"]),
        ("refs/tags/api/v1.4.2", "^api/v(.+)$", ["1.4.2", "1.4", "1", "latest"]),
        // A non-capturing group first: the first capture group is still the version.
        ("svc/x/3.0.0", "^(?:svc/x)/(\\d+\\.\\d+\\.\\d+)$", ["3.0.0", "3.0", "3", "latest"]),
    ])
    func matchTakesTheFirstGroup(_ tag: String, _ pattern: String, _ expected: [String]) throws {
        let input = tag.hasPrefix("refs/") ? Self.input(ref: tag, match: pattern) : Self.input(version: tag, match: pattern)
        #expect(try Self.tags(input) == expected)
    }

    @Test(arguments: [
        ("web/v1.4.2", "^api/v(.+)$", "does not match --match"),
        ("api/v1.4.2", "^api/v.+$", "has no capture group"),
        ("api/v1.4.2", "^api/v(.+$", "is not a valid pattern"),
        ("api/v1.4", "^api/v(.+)$", "invalid version `1.4`"),
        ("api/v1.4.2", "^api/(x)?v1.4.2$", "took no part"),
        ("api/v1.4.2", "^api/v(?=1)(.+)$", "not a valid pattern"),
        // Catastrophic for a backtracking engine; decided in linear time.
        (String(repeating: "a", count: 64) + "!", "^(a+)+$", "does not match"),
    ])
    func matchFailures(_ tag: String, _ pattern: String, _ message: String) {
        #expect { try Self.tags(Self.input(version: tag, match: pattern)) } throws: {
            ($0 as? ReleaseInputError)?.message.contains(message) == true
        }
    }

    @Test func matchDoesNotApplyToBranches() throws {
        #expect(try Self.tags(Self.input(ref: "refs/heads/main", match: "^api/v(.+)$")) == ["main", "edge"])
    }

    @Test(arguments: [
        ("2024.05.1", false, [String](), ["2024.05.1", "2024.05", "latest"]),
        ("2024.5.0", false, [], ["2024.5.0", "2024.5", "latest"]),
        ("24.05.3", false, [], ["24.05.3", "24.05", "latest"]),
        ("v2024.12.01", false, [], ["2024.12.01", "2024.12", "latest"]),
        ("2024.05.1", true, [], ["2024.05.1", "2024.05", "2024", "latest"]),
        ("2024.05.0-rc.1", false, [], ["2024.05.0-rc.1"]),
        // Backports never move the floating tags backwards; MICRO compares as a number (10 > 9).
        ("2024.05.2", true, ["2024.05.1", "2024.06.0"], ["2024.05.2", "2024.05"]),
        ("2024.05.2", true, ["2024.05.1", "2023.12.9"], ["2024.05.2", "2024.05", "2024", "latest"]),
        ("2024.05.2", true, ["2024.05.10", "2025.01.0"], ["2024.05.2"]),
        ("2024.05.10", true, ["2024.05.9", "2024.05.09"], ["2024.05.10", "2024.05", "2024", "latest"]),
        ("2023.11.4", true, ["2024.01.0"], ["2023.11.4", "2023.11", "2023"]),
        // Existing two-digit years read as 20YY.
        ("2024.05.2", false, ["24.06.0"], ["2024.05.2", "2024.05"]),
    ])
    func calver(_ version: String, _ year: Bool, _ existing: [String], _ expected: [String]) throws {
        #expect(try Self.tags(Self.input(version: version, scheme: .calver, calverYear: year), existing: existing) == expected)
    }

    @Test(arguments: [
        ("2024.13.1", "month `13` must be 1 to 12"), ("2024.0.1", "month `0`"), ("24.5.1", "two digits (YY.0M.MICRO)"),
        ("202.05.1", "four digits"), ("2024.05", "expected YYYY.MM.MICRO"), ("2024.05.x", "expected YYYY.MM.MICRO"),
        ("2024.05.1-", "pre-release"), ("1.2.3", "four digits"),
    ])
    func calverRejects(_ version: String, _ message: String) {
        #expect { try Self.tags(Self.input(version: version, scheme: .calver)) } throws: {
            ($0 as? ReleaseInputError)?.message.contains(message) == true
        }
    }

    @Test func calverPatchTagIsImmutable() {
        #expect(throws: TagPlanError.patchTagExists(tag: "2024.05.1")) {
            try Self.tags(Self.input(version: "2024.05.1", scheme: .calver), existing: ["2024.05.1"])
        }
    }

    static let sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"

    @Test(arguments: [
        // GitHub Actions: a tag push, a branch push, a pull request.
        (["GITHUB_REF": "refs/tags/v1.2.3", "GITHUB_SHA": sha], ["1.2.3", "1.2", "1", "latest", "sha-9f86d08"]),
        (["GITHUB_REF": "refs/heads/main", "GITHUB_SHA": sha], ["main", "edge", "sha-9f86d08"]),
        (["GITHUB_REF": "refs/heads/release/2.x", "GITHUB_SHA": sha], ["release-2.x", "sha-9f86d08"]),
        (["GITHUB_REF": "refs/pull/17/merge", "GITHUB_SHA": sha], ["pr-17", "sha-9f86d08"]),
        // GitLab CI: a tag pipeline, a branch pipeline, a merge request pipeline.
        (["CI_COMMIT_TAG": "v1.2.3", "CI_COMMIT_SHA": sha], ["1.2.3", "1.2", "1", "latest", "sha-9f86d08"]),
        (["CI_COMMIT_BRANCH": "main", "CI_COMMIT_SHA": sha], ["main", "edge", "sha-9f86d08"]),
        (["CI_COMMIT_BRANCH": "trunk", "CI_DEFAULT_BRANCH": "trunk", "CI_COMMIT_SHA": sha], ["trunk", "edge", "sha-9f86d08"]),
        (["CI_MERGE_REQUEST_IID": "5", "CI_COMMIT_SHA": sha], ["pr-5", "sha-9f86d08"]),
        (["CI_COMMIT_TAG": "", "CI_COMMIT_BRANCH": "dev"], ["dev"]),
    ] as [([String: String], [String])])
    func ciEnvironments(_ env: [String: String], _ expected: [String]) throws {
        #expect(try Self.tags(Self.input(env: env)) == expected)
    }

    @Test func noCIEnvironmentSaysWhatWasLookedFor() {
        #expect {
            try Self.tags(Self.input(env: ["HOME": "/root", "GITHUB_REF": ""]))
        } throws: { e in
            let m = (e as? ReleaseInputError)?.message ?? ""
            return ["GITHUB_REF", "GITHUB_SHA", "CI_COMMIT_TAG", "CI_COMMIT_BRANCH", "CI_MERGE_REQUEST_IID", "CI_COMMIT_SHA"]
                .allSatisfy { m.contains($0) }
        }
    }

    @Test func explicitVersionIgnoresTheEnvironment() throws {
        let env = ["GITHUB_REF": "refs/heads/main", "GITHUB_SHA": Self.sha]
        #expect(try Self.tags(Self.input(version: "1.0.0", env: env)) == ["1.0.0", "1.0", "1", "latest"])
    }

    @Test(arguments: ["abc", "xyz1234", "12345 6", ""])
    func badShaIsAnError(_ sha: String) {
        #expect(throws: ReleaseInputError.self) { try Self.tags(Self.input(version: "1.0.0", sha: sha)) }
    }

    @Test func versionAndRefTogetherIsAnError() {
        #expect(throws: ReleaseInputError.self) { try Self.tags(Self.input(version: "1.0.0", ref: "refs/tags/1.0.0")) }
    }
}
