import ImageReference
import ImagelintCore

/// `floating-tag`: no digest, and the tag is a moving alias.
///
/// What does not float, beyond the tag shapes of `TagClassifier`, is in one table here (and in the rule's
/// help): registries whose tags are immutable by policy, and images whose releases have two-part versions.
/// `floating.immutable-registries` and `floating.two-part-versions` add to it (also in `overrides:`).
struct FloatingTag: Rule {
    /// Registries whose tags never move, by policy.
    static let immutableTagRegistries: [(registry: String, why: String)] = [
        (
            "registry.k8s.io",
            "the Kubernetes project's registry: its image promoter refuses to re-point a promoted tag, so `pause:3.9` and `agnhost:2.53` are one build each"
        ),
        ("k8s.gcr.io", "the Kubernetes project's old registry, frozen since April 2023: nothing is pushed to it any more"),
    ]

    /// Images whose upstream releases are numbered `MAJOR.MINOR` (no patch part): such a tag names one release,
    /// while the bare major still moves.
    struct TwoPartVersions: Sendable {
        /// The repository, normalized (`docker.io/library/postgres`).
        var repository: String
        /// The first major version numbered this way (PostgreSQL 9.6 was a major line; 10.0 the first of the new scheme).
        var fromMajor: Int
        var why: String
    }

    static let twoPartVersionImages: [TwoPartVersions] = [
        TwoPartVersions(
            repository: "docker.io/library/postgres", fromMajor: 10,
            why: "PostgreSQL ≥ 10 releases are MAJOR.MINOR (`16.2`, `16.2-alpine`); `16` moves to each minor, and `9.6` was a major line"),
        TwoPartVersions(
            repository: "ghcr.io/cloudnative-pg/postgresql", fromMajor: 10,
            why: "CloudNativePG's PostgreSQL operand images carry PostgreSQL's own MAJOR.MINOR versions"),
        TwoPartVersions(
            repository: "docker.io/jenkins/jenkins", fromMajor: 2,
            why: "Jenkins weekly releases are 2.NNN (`2.448`, `2.448-jdk17`); LTS releases are 2.NNN.N; `lts` and `latest` move"),
    ]

    /// The table as the help shows it.
    static var tableText: String {
        let registries = immutableTagRegistries.map { "`\($0.registry)` (\($0.why))" }.joined(separator: "; ")
        let images = twoPartVersionImages.map { "`\($0.repository)` (\($0.why))" }.joined(separator: "; ")
        return "Registries whose tags are immutable: \(registries). Images with two-part release versions: \(images)."
    }

    static let description = RuleDescription(
        id: "floating-tag",
        name: "Floating tag",
        defaultSeverity: .warning,
        summary: "The image uses a tag that moves to new releases (`3.12`, `alpine`, `stable`)",
        rationale: """
            Publishers move minor, major and channel tags (`3`, `3.12`, `v1.29`, `3.12-alpine`, `alpine`, \
            `stable`, `ltsc2022`) to every new build, so the same reference pulls different bytes next week. \
            Only a tag holding a full `MAJOR.MINOR.PATCH` (`1.25.3`, `20.11.1-alpine3.19`), a date stamp \
            (`bookworm-20240211`) or a commit/build id (`sha-1a2b3c4`) names one build; a digest pins it for \
            sure. Extra patterns of your own go in `floating.fixed` and `floating.floating` (regular expressions \
            matched against the whole tag); `floating.immutable-registries` (registry hosts) and \
            `floating.two-part-versions` (image globs) add to the built-in table.
            """ + " " + tableText,
        examples: [
            RuleExample("Dockerfile", "FROM ↓python:3.12\n", triggers: true),
            RuleExample("Dockerfile", "FROM ↓node:20-alpine AS deps\n", triggers: true),
            RuleExample("Dockerfile", "FROM ↓nginx:LATEST\n", triggers: true),
            RuleExample("pod.yaml", ExampleFiles.pod("↓mcr.microsoft.com/windows/servercore:ltsc2022"), triggers: true),
            RuleExample(
                "Dockerfile", "FROM ↓nginx:stable\n", triggers: true,
                config: "floating:\n  floating: ['stable.*']\n  fixed: ['stable']\n"),
            RuleExample("compose.yaml", "services:\n  db:\n    image: ↓postgres:16\n", triggers: true),
            RuleExample("Dockerfile", "FROM python:3.12.1\n", triggers: false),
            RuleExample("pod.yaml", ExampleFiles.pod("registry.k8s.io/pause:3.9"), triggers: false),
            RuleExample("pod.yaml", ExampleFiles.pod("registry.k8s.io/e2e-test-images/agnhost:2.53"), triggers: false),
            RuleExample("compose.yaml", "services:\n  db:\n    image: postgres:16.2-alpine\n", triggers: false),
            RuleExample(
                "Dockerfile", "FROM ghcr.io/acme/base:4.2\n", triggers: false,
                config: "floating:\n  two-part-versions: ['ghcr.io/acme/base']\n"),
            RuleExample("Dockerfile", "FROM node:20.11.1-alpine3.19\n", triggers: false),
            RuleExample("Dockerfile", "FROM debian:bookworm-20240211\n", triggers: false),
            RuleExample("pod.yaml", ExampleFiles.pod("ghcr.io/acme/api:sha-1a2b3c4"), triggers: false),
            RuleExample("Dockerfile", "FROM python:3.12@\(ExampleFiles.digest)\n", triggers: false),
            RuleExample("Dockerfile", "FROM nginx:stable\n", triggers: false, config: "floating:\n  fixed: ['stable']\n"),
        ]
    )

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        guard let ref = o.reference, ref.digest == nil, let tag = ref.tag, tag != "latest" else { return [] }
        let classifier = TagClassifier(configuration: facts.configuration)
        // The user's own `floating.floating` patterns win over everything; then the table.
        if !classifier.floatingPatterns.contains(where: { $0.wholeMatch(tag) }) {
            if Self.hasImmutableTags(ref, facts.configuration) { return [] }
            if Self.isTwoPartRelease(ref, tag, facts.configuration) { return [] }
        }
        guard classifier.isFloating(tag) else { return [] }
        return [Violation("image `\(o.written)` uses the floating tag `\(tag)`, which moves to new releases", part: .tag)]
    }
}

extension FloatingTag {
    /// True when the image is on a registry whose tags never move (the table, then `floating.immutable-registries`).
    static func hasImmutableTags(_ ref: ImageReference, _ c: Configuration) -> Bool {
        immutableTagRegistries.contains { $0.registry == ref.domain } || c.immutableTagRegistries.contains(ref.domain)
    }

    /// True when the tag starts with a whole two-part release of an image that numbers its releases so:
    /// `MAJOR.MINOR`, alone or before a `-` suffix (`16.2`, `16.2-alpine3.19`).
    static func isTwoPartRelease(_ ref: ImageReference, _ tag: String, _ c: Configuration) -> Bool {
        let name = ref.name
        var fromMajor: Int? = twoPartVersionImages.first { $0.repository == name }?.fromMajor
        if fromMajor == nil,
            c.twoPartVersionImages.contains(where: { $0.matches(name) || $0.matches(ref.familiarName) })
        {
            fromMajor = 0
        }
        guard let fromMajor else { return false }
        let head = tag.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let parts = head.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let major = Int(parts[0])
        else { return false }
        return major >= fromMajor
    }
}
