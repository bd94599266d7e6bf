import ImagelintCore

/// `digest-mismatch` (`lint --online`): the pinned digest is not what the tag points to now.
struct DigestMismatch: Rule {
    static let description = RuleDescription(
        id: "digest-mismatch",
        name: "Digest mismatch",
        defaultSeverity: .warning,
        summary: "The pinned digest is not the one the tag points to now (with `--online`)",
        rationale: """
            `app:1.4.2@sha256:…` pulls the digest and ignores the tag, so when the tag moves (a rebuild with \
            security fixes, a re-push) the file silently keeps the old image while readers believe it runs \
            `1.4.2` as published now. When the digest is an older manifest of the repository, the tag moved: \
            review the change and run `imagelint pin --update`. When the registry does not know the digest at \
            all, the pin was copied from elsewhere or edited by hand: the tag and the digest name different \
            images. Active only with `--online`.
            """,
        requiresConfiguration: true,
        examples: [
            RuleExample(
                "Dockerfile", "FROM ↓nginx:1.25.3@\(ExampleFiles.digest)\n", triggers: true,
                registry: ExampleFiles.registry(
                    ["docker.io/library/nginx:1.25.3": .resolved(digest: ExampleFiles.otherDigest, platforms: [:])],
                    digests: ["docker.io/library/nginx@\(ExampleFiles.digest)": true])),
            RuleExample(
                "pod.yaml", ExampleFiles.pod("↓ghcr.io/acme/api:2.4.1@\(ExampleFiles.digest)"), triggers: true,
                registry: ExampleFiles.registry(
                    ["ghcr.io/acme/api:2.4.1": .resolved(digest: ExampleFiles.otherDigest, platforms: [:])],
                    digests: ["ghcr.io/acme/api@\(ExampleFiles.digest)": false])),
            RuleExample(
                "compose.yaml", ExampleFiles.compose("↓redis:7.2.4@\(ExampleFiles.digest)"), triggers: true,
                registry: ExampleFiles.registry(
                    ["docker.io/library/redis:7.2.4": .resolved(digest: ExampleFiles.otherDigest, platforms: [:])])),
            RuleExample(
                "Dockerfile", "FROM nginx:1.25.3@\(ExampleFiles.digest)\n", triggers: false,
                registry: ExampleFiles.registry(["docker.io/library/nginx:1.25.3": .resolved(digest: ExampleFiles.digest, platforms: [:])])),
            RuleExample("Dockerfile", "FROM nginx:1.25.3@\(ExampleFiles.digest)\n", triggers: false),
            RuleExample("pod.yaml", ExampleFiles.pod("ghcr.io/acme/api:2.4.1@\(ExampleFiles.digest)"), triggers: false),
        ]
    )

    static func isConfigured(_ configuration: Configuration) -> Bool { configuration.online }

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        guard let ref = o.reference, let tag = ref.tag, let pinned = ref.digest, let registry = facts.registry,
            case .resolved(let current, let platforms)? = registry.tags[RegistryFacts.tagKey(name: ref.name, tag: tag)],
            current != pinned, platforms[pinned] == nil
        else { return [] }
        switch registry.digests[RegistryFacts.digestKey(name: ref.name, digest: pinned)] {
        case true?:
            return [
                Violation(
                    "image `\(o.written)`: tag `\(tag)` moved; the pinned digest is an older manifest, the tag now points to \(current)"
                )
            ]
        case false?:
            return [
                Violation(
                    "image `\(o.written)`: the pinned digest is unknown in `\(ref.domain)/\(ref.path)`; tag `\(tag)` points to \(current)"
                )
            ]
        case nil:
            return [Violation("image `\(o.written)`: tag `\(tag)` points to \(current), not to the pinned digest")]
        }
    }
}
