import Testing

@testable import ReleaseTags

/// One row of the tag table: a version, a policy, existing tags, and the expected tags and skipped tags.
struct TagCase: CustomTestStringConvertible, Sendable {
    let version: String
    var policy = TagPolicy()
    var existing: [String] = []
    let tags: [String]
    var skipped: [String] = []

    var testDescription: String { "\(version) \(existing) → \(tags.joined(separator: " "))" }
}

@Suite("Release tag sets")
struct TagPlanTests {
    static let backportTags = ["1.0.0", "1.1.0", "2.0.0", "2.0.1"]

    static let cases: [TagCase] = [
        // Plain releases.
        TagCase(version: "2.1.5", tags: ["2.1.5", "2.1", "2", "latest"]),
        TagCase(version: "v2.1.5", tags: ["2.1.5", "2.1", "2", "latest"]),
        TagCase(version: "10.0.0", tags: ["10.0.0", "10.0", "10", "latest"]),
        // Major version zero: no `0` unless asked.
        TagCase(version: "0.4.1", tags: ["0.4.1", "0.4", "latest"]),
        TagCase(version: "0.4.1", policy: TagPolicy(majorZero: true), tags: ["0.4.1", "0.4", "0", "latest"]),
        TagCase(version: "0.0.1", tags: ["0.0.1", "0.0", "latest"]),
        // Pre-releases: only their own tag, plus the channel.
        TagCase(version: "2.1.5-rc.1", tags: ["2.1.5-rc.1"]),
        TagCase(version: "2.1.5-rc.1", policy: TagPolicy(prereleaseTag: "next"), tags: ["2.1.5-rc.1", "next"]),
        TagCase(version: "2.1.5-rc.1", policy: TagPolicy(latest: .always, majorZero: true), tags: ["2.1.5-rc.1"]),
        TagCase(
            version: "2.1.5-rc.1", policy: TagPolicy(suffix: "-alpine", prereleaseTag: "next"),
            tags: ["2.1.5-rc.1-alpine", "next-alpine"]),
        // Build metadata.
        TagCase(version: "2.1.5+build.7", tags: ["2.1.5", "2.1", "2", "latest"]),
        TagCase(
            version: "2.1.5+build.7", policy: TagPolicy(keepBuildMetadata: true),
            tags: ["2.1.5", "2.1.5_build.7", "2.1", "2", "latest"]),
        TagCase(version: "2.1.5", policy: TagPolicy(keepBuildMetadata: true), tags: ["2.1.5", "2.1", "2", "latest"]),
        TagCase(
            version: "2.1.5-rc.1+b.2", policy: TagPolicy(keepBuildMetadata: true),
            tags: ["2.1.5-rc.1", "2.1.5-rc.1_b.2"]),
        // Prefix and suffix.
        TagCase(version: "2.1.5", policy: TagPolicy(prefix: "v"), tags: ["v2.1.5", "v2.1", "v2", "latest"]),
        TagCase(
            version: "2.1.5", policy: TagPolicy(suffix: "-alpine"),
            tags: ["2.1.5-alpine", "2.1-alpine", "2-alpine", "alpine"]),
        TagCase(
            version: "2.1.5", policy: TagPolicy(prefix: "v", suffix: "_slim"),
            tags: ["v2.1.5_slim", "v2.1_slim", "v2_slim", "slim"]),
        TagCase(
            version: "2.1.5+b.1", policy: TagPolicy(prefix: "v", suffix: "-alpine", keepBuildMetadata: true),
            tags: ["v2.1.5-alpine", "v2.1.5_b.1-alpine", "v2.1-alpine", "v2-alpine", "alpine"]),
        // --latest, --no-major, --no-minor.
        TagCase(version: "2.1.5", policy: TagPolicy(latest: .never), tags: ["2.1.5", "2.1", "2"]),
        TagCase(version: "2.1.5", policy: TagPolicy(includeMajor: false), tags: ["2.1.5", "2.1", "latest"]),
        TagCase(version: "2.1.5", policy: TagPolicy(includeMinor: false), tags: ["2.1.5", "2", "latest"]),
        TagCase(
            version: "2.1.5", policy: TagPolicy(latest: .never, includeMajor: false, includeMinor: false),
            tags: ["2.1.5"]),
        // Backports against existing tags.
        TagCase(version: "1.1.1", existing: backportTags, tags: ["1.1.1", "1.1", "1"], skipped: ["latest: 2.0.1 is newer"]),
        TagCase(
            version: "1.0.5", existing: backportTags, tags: ["1.0.5", "1.0"],
            skipped: ["1: 1.1.0 is newer", "latest: 2.0.1 is newer"]),
        TagCase(version: "2.0.2", existing: backportTags, tags: ["2.0.2", "2.0", "2", "latest"]),
        TagCase(version: "3.0.0", existing: backportTags, tags: ["3.0.0", "3.0", "3", "latest"]),
        TagCase(
            version: "1.1.1", policy: TagPolicy(latest: .always), existing: backportTags,
            tags: ["1.1.1", "1.1", "1", "latest"]),
        TagCase(version: "1.1.1", policy: TagPolicy(latest: .never), existing: backportTags, tags: ["1.1.1", "1.1", "1"]),
        TagCase(
            version: "1.0.5", policy: TagPolicy(includeMajor: false), existing: backportTags, tags: ["1.0.5", "1.0"],
            skipped: ["latest: 2.0.1 is newer"]),
        // The newest blocking release is named, whatever the list order.
        TagCase(
            version: "2.0.0", existing: ["2.3.0", "2.0.9", "2.10.0", "2.2.0"], tags: ["2.0.0"],
            skipped: ["2.0: 2.0.9 is newer", "2: 2.10.0 is newer", "latest: 2.10.0 is newer"]),
        // Pre-releases in the list never block a release.
        TagCase(version: "2.0.0", existing: ["2.0.0-rc.1", "3.0.0-beta", "2.1.0-alpha"], tags: ["2.0.0", "2.0", "2", "latest"]),
        // Only tags with the same prefix and suffix count.
        TagCase(version: "1.2.0", existing: ["v9.0.0", "9.0.0-alpine", "9.0.0_slim", "stable", "latest"], tags: ["1.2.0", "1.2", "1", "latest"]),
        TagCase(
            version: "1.2.0", policy: TagPolicy(prefix: "v"), existing: ["9.0.0", "v1.3.0"], tags: ["v1.2.0", "v1.2"],
            skipped: ["v1: v1.3.0 is newer", "latest: v1.3.0 is newer"]),
        TagCase(
            version: "1.2.0", policy: TagPolicy(suffix: "-alpine"), existing: ["9.0.0", "2.0.0-alpine", "1.3.0-slim"],
            tags: ["1.2.0-alpine", "1.2-alpine", "1-alpine"], skipped: ["alpine: 2.0.0-alpine is newer"]),
        // Tags with `_` build metadata are not read back (`_slim` could be a variant).
        TagCase(version: "1.2.0", existing: ["1.4.0_build.3"], tags: ["1.2.0", "1.2", "1", "latest"]),
        // An equal version does not block a floating tag.
        TagCase(
            version: "1.2.0+b.2", policy: TagPolicy(suffix: "-x", allowOverwrite: true), existing: ["1.2.0-x"],
            tags: ["1.2.0-x", "1.2-x", "1-x", "x"]),
        // An existing pre-release of the same version is not the patch tag.
        TagCase(version: "1.2.0", existing: ["1.2.0-rc.1"], tags: ["1.2.0", "1.2", "1", "latest"]),
        // Overwriting an existing patch tag when allowed.
        TagCase(
            version: "2.0.1", policy: TagPolicy(allowOverwrite: true), existing: backportTags,
            tags: ["2.0.1", "2.0", "2", "latest"]),
        // 0.y.z with existing newer 0.y.
        TagCase(version: "0.3.9", existing: ["0.4.0", "0.3.8"], tags: ["0.3.9", "0.3"], skipped: ["latest: 0.4.0 is newer"]),
    ]

    @Test(arguments: cases)
    func tagTable(_ row: TagCase) throws {
        let version = try SemanticVersion.parse(row.version, allowLeadingV: true)
        let plan = try ReleaseTags.plan(for: version, policy: row.policy, existing: row.existing)
        #expect(plan.tags == row.tags)
        #expect(plan.skipped.map(\.description) == row.skipped)
        #expect(plan.version == version)
    }

    @Test(arguments: ["2.0.1", "1.0.0", "2.0.1+build.9"])
    func existingPatchTagIsImmutable(_ text: String) throws {
        let version = try SemanticVersion.parse(text)
        #expect(throws: TagPlanError.patchTagExists(tag: version.withoutBuild)) {
            try ReleaseTags.plan(for: version, existing: Self.backportTags)
        }
        #expect(
            TagPlanError.patchTagExists(tag: "2.0.1").description == "tag 2.0.1 already exists; patch tags are immutable")
    }

    @Test func patchTagCheckUsesPrefixAndSuffix() throws {
        let version = try SemanticVersion.parse("1.0.0")
        #expect(throws: TagPlanError.patchTagExists(tag: "v1.0.0-alpine")) {
            try ReleaseTags.plan(for: version, policy: TagPolicy(prefix: "v", suffix: "-alpine"), existing: ["v1.0.0-alpine"])
        }
        // The same version under another variant is not the same tag.
        let plan = try ReleaseTags.plan(for: version, policy: TagPolicy(suffix: "-alpine"), existing: ["1.0.0", "v1.0.0-alpine"])
        #expect(plan.tags.first == "1.0.0-alpine")
    }

    @Test(arguments: [
        (TagPolicy(prefix: "-x"), "-x2.1.5", "must start with a letter, digit or `_`"),
        (TagPolicy(prefix: ".v"), ".v2.1.5", "must start with a letter, digit or `_`"),
        (TagPolicy(suffix: "/alpine"), "2.1.5/alpine", "found `/`"),
        (TagPolicy(suffix: "+alpine"), "2.1.5+alpine", "found `+`"),
        (TagPolicy(suffix: " x"), "2.1.5 x", "found ` `"),
        (TagPolicy(suffix: "-"), "", "must not be empty"),
        (TagPolicy(suffix: "-ü"), "2.1.5-ü", "found `ü`"),
        (TagPolicy(prefix: String(repeating: "p", count: 124)), String(repeating: "p", count: 124) + "2.1.5",
         "must not be longer than 128 characters, found 129"),
    ])
    func badPrefixOrSuffixIsAnError(_ policy: TagPolicy, tag: String, reason: String) throws {
        let version = try SemanticVersion.parse("2.1.5")
        do {
            let plan = try ReleaseTags.plan(for: version, policy: policy)
            Issue.record("got \(plan.tags)")
        } catch {
            guard case .invalidTag(let t, let r) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(t == tag)
            #expect(r.contains(reason), "\(r)")
        }
    }

    @Test func badChannelNameIsAnError() throws {
        let version = try SemanticVersion.parse("2.1.5-rc.1")
        #expect(throws: TagPlanError.self) { try ReleaseTags.plan(for: version, policy: TagPolicy(prereleaseTag: "-next")) }
        // A release ignores the channel, so a bad one does not matter there.
        let release = try SemanticVersion.parse("2.1.5")
        #expect(try ReleaseTags.plan(for: release, policy: TagPolicy(prereleaseTag: "-next")).tags.count == 4)
    }

    @Test func longBuildMetadataBreaksTheTagLength() throws {
        let version = try SemanticVersion.parse("1.0.0+" + String(repeating: "a", count: 130))
        #expect(throws: TagPlanError.self) { try ReleaseTags.plan(for: version, policy: TagPolicy(keepBuildMetadata: true)) }
        #expect(try ReleaseTags.plan(for: version).tags == ["1.0.0", "1.0", "1", "latest"])
    }

    @Test(arguments: [
        ("", "latest"), ("-alpine", "alpine"), ("_slim", "slim"), ("--x", "x"), ("alpine", "alpine"), ("-3.19", "3.19"),
    ])
    func latestTagForSuffix(_ suffix: String, _ expected: String) {
        #expect(ReleaseTags.latestTag(suffix: suffix) == expected)
    }

    @Test(arguments: [
        ("latest", nil), ("_x", nil), ("A.b-c_9", nil), (String(repeating: "a", count: 128), nil),
        ("", "must not be empty"), (".x", "must start"), ("-x", "must start"), ("a:b", "found `:`"),
        (String(repeating: "a", count: 129), "longer than 128"),
    ] as [(String, String?)])
    func tagGrammar(_ tag: String, _ problem: String?) {
        let found = ReleaseTags.tagProblem(tag)
        if let problem {
            #expect(found?.contains(problem) == true, "\(String(describing: found))")
        } else {
            #expect(found == nil)
        }
    }

    @Test func existingReleasesFiltersByPrefixAndSuffix() {
        let found = ReleaseTags.existingReleases(
            ["v1.0.0", "1.0.0", "v2.0.0-rc.1", "v3.0.0_b.1", "vlatest", "v", "v1.2", "v1.0.0-alpine"], prefix: "v", suffix: "")
        #expect(found.map(\.tag) == ["v1.0.0"])
        #expect(found.map(\.version.description) == ["1.0.0"])
        // Prefix and suffix may not overlap: `v-a` holds no version between `v` and `-a`.
        #expect(ReleaseTags.existingReleases(["v-a", "v1.0.0-a"], prefix: "v", suffix: "-a").map(\.tag) == ["v1.0.0-a"])
    }
}
