import ImagelintCore

/// `missing-tag`: neither tag nor digest, so the pull uses an implicit `latest`.
struct MissingTag: Rule {
    static let description = RuleDescription(
        id: "missing-tag",
        name: "Missing tag",
        defaultSeverity: .error,
        summary: "The image has neither tag nor digest, so `latest` is pulled",
        rationale: """
            A reference without a tag or digest means `latest`: whatever the publisher pushed last. The build \
            or deployment is not reproducible and the running version is unknown. Write the release tag you \
            tested (`ubuntu:24.04`, `app:1.4.2`) and pin the digest where you can. A registry port is not a \
            tag: `localhost:5000/app` has none. `FROM scratch` and references to earlier build stages are not \
            images and are never reported.
            """,
        examples: [
            RuleExample("Dockerfile", "FROM ↓ubuntu\nRUN apt-get update\n", triggers: true),
            RuleExample("Dockerfile", "FROM ↓localhost:5000/app\n", triggers: true),
            RuleExample("pod.yaml", ExampleFiles.pod("↓nginx"), triggers: true),
            RuleExample("compose.yaml", ExampleFiles.compose("↓ghcr.io/acme/web"), triggers: true),
            RuleExample("Dockerfile", "FROM scratch\nCOPY app /app\n", triggers: false),
            RuleExample(
                "Dockerfile", "FROM golang:1.22.1 AS Builder\nRUN go build\nFROM builder\nCOPY --from=BUILDER /out /out\n",
                triggers: false),
            RuleExample("Dockerfile", "FROM alpine@\(ExampleFiles.digest)\n", triggers: false),
            RuleExample("Dockerfile", "FROM foo:5000\n", triggers: false),
        ]
    )

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        guard let ref = o.reference, ref.tag == nil, ref.digest == nil else { return [] }
        return [Violation("image `\(o.written)` has no tag, so `latest` is pulled; pin a release tag", part: .repository)]
    }
}
