import ImagelintCore

/// `latest-tag`: the tag is exactly `latest` and there is no digest.
struct LatestTag: Rule {
    static let description = RuleDescription(
        id: "latest-tag",
        name: "Latest tag",
        defaultSeverity: .error,
        summary: "The image uses the `latest` tag without a digest",
        rationale: """
            `latest` is an ordinary tag that the publisher moves with every push: the same file builds or deploys \
            different images over time, nobody can tell which version runs, and rollbacks go nowhere. Pin a \
            release tag such as `1.25.3`, ideally with its digest (`nginx:1.25.3@sha256:…`). The check is \
            case-sensitive: `LATEST` is a different tag (see `floating-tag`).
            """,
        examples: [
            RuleExample("Dockerfile", "FROM ↓nginx:latest\nRUN nginx -t\n", triggers: true),
            RuleExample("Dockerfile", "FROM ↓localhost:5000/team/app:latest AS build\n", triggers: true),
            RuleExample("pod.yaml", ExampleFiles.pod("↓nginx:latest"), triggers: true),
            RuleExample("compose.yaml", ExampleFiles.compose("↓redis:latest"), triggers: true),
            RuleExample("Dockerfile", "FROM nginx:latest@\(ExampleFiles.digest)\n", triggers: false),
            RuleExample("Dockerfile", "FROM nginx:LATEST\n", triggers: false),
            RuleExample("Dockerfile", "FROM scratch\nCOPY app /app\n", triggers: false),
            RuleExample("Dockerfile", "ARG BASE=python:3.12.1\nFROM ${BASE}\n", triggers: false),
            RuleExample("pod.yaml", ExampleFiles.pod("nginx:1.25.3"), triggers: false),
        ]
    )

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        guard let ref = o.reference, ref.tag == "latest", ref.digest == nil else { return [] }
        return [Violation("image `\(o.written)` uses the `latest` tag, which moves with every push; pin a release tag", part: .tag)]
    }
}
