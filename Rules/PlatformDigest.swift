import ImagelintCore

/// `platform-digest` (`lint --online`): the pinned digest is one platform's manifest inside the tag's index.
struct PlatformDigest: Rule {
    static let description = RuleDescription(
        id: "platform-digest",
        name: "Platform digest",
        defaultSeverity: .warning,
        summary: "The pinned digest is one platform's manifest, not the tag's multi-platform index (with `--online`)",
        rationale: """
            A multi-platform tag points to an index that lists one manifest per platform. Pinning the digest \
            that `docker inspect` or a registry page shows for your machine's platform pins that platform only: \
            arm64 nodes or builders then pull an amd64 image and fail with `exec format error`, or fail to \
            pull at all. Pin the index digest the message gives (`imagelint pin --update` does). Active only \
            with `--online`.
            """,
        requiresConfiguration: true,
        examples: [
            RuleExample(
                "Dockerfile", "FROM ↓nginx:1.25.3@\(ExampleFiles.armDigest)\n", triggers: true,
                registry: ExampleFiles.registry([
                    "docker.io/library/nginx:1.25.3": .resolved(
                        digest: ExampleFiles.otherDigest, platforms: [ExampleFiles.armDigest: "linux/arm64"])
                ])),
            RuleExample(
                "pod.yaml", ExampleFiles.pod("↓ghcr.io/acme/api:2.4.1@\(ExampleFiles.armDigest)"), triggers: true,
                registry: ExampleFiles.registry([
                    "ghcr.io/acme/api:2.4.1": .resolved(
                        digest: ExampleFiles.otherDigest, platforms: [ExampleFiles.armDigest: "linux/amd64"])
                ])),
            RuleExample(
                "compose.yaml", ExampleFiles.compose("↓redis:7.2.4@\(ExampleFiles.armDigest)"), triggers: true,
                registry: ExampleFiles.registry([
                    "docker.io/library/redis:7.2.4": .resolved(
                        digest: ExampleFiles.otherDigest, platforms: [ExampleFiles.armDigest: "linux/s390x"])
                ])),
            RuleExample(
                "Dockerfile", "FROM nginx:1.25.3@\(ExampleFiles.otherDigest)\n", triggers: false,
                registry: ExampleFiles.registry([
                    "docker.io/library/nginx:1.25.3": .resolved(
                        digest: ExampleFiles.otherDigest, platforms: [ExampleFiles.armDigest: "linux/arm64"])
                ])),
            RuleExample("Dockerfile", "FROM nginx:1.25.3@\(ExampleFiles.digest)\n", triggers: false),
            RuleExample("pod.yaml", ExampleFiles.pod("nginx:1.25.3@\(ExampleFiles.digest)"), triggers: false),
        ]
    )

    static func isConfigured(_ configuration: Configuration) -> Bool { configuration.online }

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        guard let ref = o.reference, let tag = ref.tag, let pinned = ref.digest,
            case .resolved(let index, let platforms)? = facts.registry?.tags[RegistryFacts.tagKey(name: ref.name, tag: tag)],
            let platform = platforms[pinned]
        else { return [] }
        return [
            Violation("image `\(o.written)` is pinned to the \(platform) manifest of tag `\(tag)`; pin the index \(index) instead")
        ]
    }
}
