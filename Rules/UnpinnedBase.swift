import ImagelintCore

/// `unpinned-base`: an image a Dockerfile build pulls has no digest.
struct UnpinnedBase: Rule {
    static let description = RuleDescription(
        id: "unpinned-base",
        name: "Unpinned base image",
        defaultSeverity: .warning,
        summary: "An image a build pulls (FROM, COPY --from, RUN --mount from=, # syntax=) has no digest",
        rationale: """
            Tags can be moved or re-pushed, even release tags. A build is reproducible, and safe from a \
            compromised tag, only when every image it pulls is pinned by digest: `FROM python:3.12.1@sha256:…` \
            keeps the readable tag and pulls exactly the bytes you reviewed. Tools such as Renovate and \
            Dependabot keep digests up to date. Stage references and `scratch` are not images.
            """,
        appliesTo: [.dockerfile],
        examples: [
            RuleExample("Dockerfile", "FROM ↓python:3.12.1-slim\nRUN pip install poetry\n", triggers: true),
            RuleExample(
                "Dockerfile", "FROM alpine@\(ExampleFiles.digest)\nCOPY --from=↓nginx:1.25.3 /etc/nginx /etc/nginx\n",
                triggers: true),
            RuleExample(
                "Dockerfile",
                "FROM alpine@\(ExampleFiles.digest)\nRUN --mount=type=bind,from=↓ghcr.io/acme/tools:1.0.0,target=/t /t/run\n",
                triggers: true),
            RuleExample("Dockerfile", "# syntax=↓docker/dockerfile:1.7.0\nFROM alpine@\(ExampleFiles.digest)\n", triggers: true),
            RuleExample("Dockerfile", "FROM python:3.12.1@\(ExampleFiles.digest)\n", triggers: false),
            RuleExample("Dockerfile", "FROM scratch\nCOPY app /\n", triggers: false),
            RuleExample(
                "Dockerfile",
                "FROM golang@\(ExampleFiles.digest) AS build\nFROM scratch\nCOPY --from=build /app /app\n",
                triggers: false),
            RuleExample("pod.yaml", ExampleFiles.pod("nginx:1.25.3"), triggers: false),
        ]
    )

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        guard let ref = o.reference, ref.digest == nil else { return [] }
        let what = o.source == .dockerfileSyntax ? "frontend image" : "image"
        return [Violation("\(what) `\(o.written)` is not pinned by digest")]
    }
}
