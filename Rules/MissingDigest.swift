import ImagelintCore

/// `missing-digest`: a Kubernetes, compose or kustomize image has no digest.
struct MissingDigest: Rule {
    static let description = RuleDescription(
        id: "missing-digest",
        name: "Missing digest",
        defaultSeverity: .warning,
        summary: "A deployed image has no digest",
        rationale: """
            Only a digest makes a deployment immutable: with a tag alone, each node resolves it when it pulls, \
            and a re-pushed tag runs different code on different nodes. Deploy `image: app:1.4.2@sha256:…` \
            (admission controllers that rewrite tags to digests exist for this reason). The tag stays \
            informative; the digest is what is pulled.
            """,
        appliesTo: [.kubernetes, .compose, .kustomize, .ci, .helm],
        examples: [
            RuleExample("pod.yaml", ExampleFiles.pod("↓nginx:1.25.3"), triggers: true),
            RuleExample("deploy.yaml", ExampleFiles.deployment("↓ghcr.io/acme/api:2.4.1"), triggers: true),
            RuleExample("compose.yaml", ExampleFiles.compose("↓postgres:16.2"), triggers: true),
            RuleExample("pod.yaml", ExampleFiles.pod("nginx:1.25.3@\(ExampleFiles.digest)"), triggers: false),
            RuleExample("Dockerfile", "FROM nginx:1.25.3\n", triggers: false),
            RuleExample(
                "config.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  image: nginx:latest\n",
                triggers: false),
        ]
    )

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        guard let ref = o.reference, ref.digest == nil else { return [] }
        return [Violation("image `\(o.written)` has no digest, so nodes may run different builds of it")]
    }
}
