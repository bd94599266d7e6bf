import ImagelintCore

/// `tag-not-found` (`lint --online`): the registry has no such tag, or no such repository.
struct TagNotFound: Rule {
    static let description = RuleDescription(
        id: "tag-not-found",
        name: "Tag not found",
        defaultSeverity: .error,
        summary: "The tag does not exist in the repository, or the repository does not exist (with `--online`)",
        rationale: """
            A reference to a tag that was never published (a typo, a release that failed to push, a tag deleted \
            by a retention policy) fails only when something pulls it: the build breaks, or pods sit in \
            `ImagePullBackOff` after the rollout began. Only the registry can tell; `imagelint lint --online` asks \
            it for every tagged reference (one request per distinct tag). Fix the tag, or push the image first. \
            Active only with `--online`.
            """,
        requiresConfiguration: true,
        examples: [
            RuleExample(
                "Dockerfile", "FROM ↓nginx:1.25.99\n", triggers: true,
                registry: ExampleFiles.registry(["docker.io/library/nginx:1.25.99": .notFound(repositoryExists: true)])),
            RuleExample(
                "pod.yaml", ExampleFiles.pod("↓ghcr.io/acme/apii:2.4.1"), triggers: true,
                registry: ExampleFiles.registry(["ghcr.io/acme/apii:2.4.1": .notFound(repositoryExists: false)])),
            RuleExample(
                "compose.yaml", ExampleFiles.compose("↓postgres:16.2-alpine@\(ExampleFiles.digest)"), triggers: true,
                registry: ExampleFiles.registry(["docker.io/library/postgres:16.2-alpine": .notFound(repositoryExists: true)])),
            RuleExample(
                "Dockerfile", "FROM nginx:1.25.3\n", triggers: false,
                registry: ExampleFiles.registry(["docker.io/library/nginx:1.25.3": .resolved(digest: ExampleFiles.digest, platforms: [:])])),
            RuleExample("Dockerfile", "FROM nginx:1.25.3\n", triggers: false),
            RuleExample(
                "pod.yaml", ExampleFiles.pod("ghcr.io/acme/api:2.4.1"), triggers: false,
                registry: ExampleFiles.registry(["ghcr.io/acme/api:2.4.1": .unknown])),
        ]
    )

    static func isConfigured(_ configuration: Configuration) -> Bool { configuration.online }

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        guard let ref = o.reference, let tag = ref.tag,
            case .notFound(let repositoryExists)? = facts.registry?.tags[RegistryFacts.tagKey(name: ref.name, tag: tag)]
        else { return [] }
        if !repositoryExists {
            return [Violation("image `\(o.written)`: repository `\(ref.domain)/\(ref.path)` does not exist in the registry")]
        }
        return [Violation("image `\(o.written)`: tag `\(tag)` does not exist in `\(ref.domain)/\(ref.path)`")]
    }
}
