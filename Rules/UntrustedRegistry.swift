import ImagelintCore

/// `untrusted-registry`: the image's registry/path matches no `registries.allowed` pattern.
struct UntrustedRegistry: Rule {
    static let description = RuleDescription(
        id: "untrusted-registry",
        name: "Untrusted registry",
        defaultSeverity: .error,
        summary: "The image comes from a registry not listed in `registries.allowed`",
        rationale: """
            Pulling only from registries you control (or mirror) keeps unreviewed, unscanned or typo-squatted \
            images out of builds and clusters. Patterns match as kubelet matches registry credentials: \
            `host` or `host:port`, `*.host` (one label per `*`), and `host/path` for a path prefix \
            (`ghcr.io/acme` allows `ghcr.io/acme/api`, not `ghcr.io/acmeco/api`). Docker Hub is `docker.io`. \
            Active only when `registries.allowed` is configured.
            """,
        requiresConfiguration: true,
        examples: [
            RuleExample("Dockerfile", "FROM ↓nginx:1.25.3\n", triggers: true, config: config),
            RuleExample("pod.yaml", ExampleFiles.pod("↓quay.io/acme/app:1.0.0"), triggers: true, config: config),
            RuleExample("Dockerfile", "FROM ↓ghcr.io/acmeco/app:1.0.0\n", triggers: true, config: config),
            RuleExample("Dockerfile", "FROM ghcr.io/acme/app:1.0.0\n", triggers: false, config: config),
            RuleExample(
                "pod.yaml", ExampleFiles.pod("123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0.0"), triggers: false,
                config: config),
            RuleExample("Dockerfile", "FROM nginx:1.25.3\n", triggers: false),
        ]
    )

    static let config = "registries:\n  allowed:\n    - ghcr.io/acme\n    - \"*.dkr.ecr.eu-west-1.amazonaws.com\"\n"

    static func isConfigured(_ c: Configuration) -> Bool { !c.allowedRegistries.isEmpty }

    /// Allowed patterns named in a message at most (the rest are counted).
    static let listed = 8

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        let allowed = facts.configuration.allowedRegistries
        guard let ref = o.reference, !allowed.isEmpty else { return [] }
        if allowed.contains(where: { RegistryPattern($0).matches(ref) }) { return [] }
        // Name what was checked (the registry and repository path the patterns match against) and what is allowed.
        let list = allowed.prefix(Self.listed).map { "`\($0)`" }.joined(separator: ", ")
        let more = allowed.count > Self.listed ? " and \(allowed.count - Self.listed) more" : ""
        return [
            Violation(
                "image `\(o.written)` comes from `\(ref.name)`, which matches no allowed registry pattern (allowed: \(list)\(more))",
                part: .registry)
        ]
    }
}
