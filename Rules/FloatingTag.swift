import ImagelintCore

/// `floating-tag`: no digest, and the tag is a moving alias.
struct FloatingTag: Rule {
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
            matched against the whole tag).
            """,
        examples: [
            RuleExample("Dockerfile", "FROM ↓python:3.12\n", triggers: true),
            RuleExample("Dockerfile", "FROM ↓node:20-alpine AS deps\n", triggers: true),
            RuleExample("Dockerfile", "FROM ↓nginx:LATEST\n", triggers: true),
            RuleExample("pod.yaml", ExampleFiles.pod("↓mcr.microsoft.com/windows/servercore:ltsc2022"), triggers: true),
            RuleExample(
                "Dockerfile", "FROM ↓nginx:stable\n", triggers: true,
                config: "floating:\n  floating: ['stable.*']\n  fixed: ['stable']\n"),
            RuleExample("Dockerfile", "FROM python:3.12.1\n", triggers: false),
            RuleExample("Dockerfile", "FROM node:20.11.1-alpine3.19\n", triggers: false),
            RuleExample("Dockerfile", "FROM debian:bookworm-20240211\n", triggers: false),
            RuleExample("pod.yaml", ExampleFiles.pod("ghcr.io/acme/api:sha-1a2b3c4"), triggers: false),
            RuleExample("Dockerfile", "FROM python:3.12@\(ExampleFiles.digest)\n", triggers: false),
            RuleExample("Dockerfile", "FROM nginx:stable\n", triggers: false, config: "floating:\n  fixed: ['stable']\n"),
        ]
    )

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        guard let ref = o.reference, ref.digest == nil, let tag = ref.tag, tag != "latest" else { return [] }
        guard TagClassifier(configuration: facts.configuration).isFloating(tag) else { return [] }
        return [Violation("image `\(o.written)` uses the floating tag `\(tag)`, which moves to new releases", part: .tag)]
    }
}
