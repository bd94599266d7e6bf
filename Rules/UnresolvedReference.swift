import ImagelintCore

/// `unresolved-reference`: variables or templates that cannot be resolved.
struct UnresolvedReference: Rule {
    static let description = RuleDescription(
        id: "unresolved-reference",
        name: "Unresolved reference",
        defaultSeverity: .info,
        summary: "The image holds variables or templates that cannot be resolved here",
        rationale: """
            `FROM ${BASE}` with no default, `image: $(IMAGE)` or `{{ .Values.image }}` are filled in at build \
            or deploy time, so no other rule can judge them. Give global `ARG`s a default, pass \
            `--build-arg NAME=VALUE` (or `build-args` in the configuration), use `${VAR:-default}` in compose \
            files, or lint rendered manifests (`helm template … | imagelint lint -`).
            """,
        examples: [
            RuleExample("Dockerfile", "ARG BASE\nFROM ↓${BASE}\n", triggers: true),
            RuleExample("Dockerfile", "FROM ↓${REGISTRY}/app:1.0.0\n", triggers: true),
            RuleExample("pod.yaml", ExampleFiles.pod("↓$(IMAGE)"), triggers: true),
            RuleExample("compose.yaml", ExampleFiles.compose("↓${REGISTRY}/web:1.0.0"), triggers: true),
            RuleExample("Dockerfile", "ARG BASE=python:3.12.1\nFROM ${BASE}\n", triggers: false),
            RuleExample("compose.yaml", ExampleFiles.compose("redis:${TAG:-7.2.4}"), triggers: false),
            RuleExample("pod.yaml", ExampleFiles.pod("nginx:1.25.3"), triggers: false),
        ]
    )

    static var checksUnparsed: Bool { true }

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        guard case .unresolved(let why) = o.status else { return [] }
        return [Violation("image `\(o.written)` cannot be resolved (\(why)); other rules were not applied")]
    }
}
