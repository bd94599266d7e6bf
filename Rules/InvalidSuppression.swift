import ImagelintCore

/// `invalid-suppression`: an `ignore=` comment names a rule id that does not exist. The engine reports it.
struct InvalidSuppression: Rule {
    static let description = RuleDescription(
        id: "invalid-suppression",
        name: "Invalid suppression",
        defaultSeverity: .warning,
        summary: "A suppression comment or `imagelint.io/ignore` annotation names an unknown rule id",
        rationale: """
            `# imagelint ignore=latest-tga` suppresses nothing, silently: the typo leaves the finding it was \
            meant to hide (or, worse, you believe a check ran that did not). Comments and the \
            `imagelint.io/ignore` annotation share one grammar, `ID[,ID…] [-- reason]`, and an unknown id is \
            reported wherever it is written, at its own line and column. The message suggests the closest rule \
            id. Use `all` to suppress every rule.
            """,
        examples: [
            RuleExample("Dockerfile", "# imagelint ignore=↓latest-tga\nFROM nginx:latest\n", triggers: true),
            RuleExample("Dockerfile", "# imagelint ignore-file=↓no-such-rule\nFROM nginx:1.25.3\n", triggers: true),
            RuleExample("pod.yaml", ExampleFiles.pod("nginx:latest  # imagelint ignore=latest-tag,↓pull-polcy"), triggers: true),
            RuleExample(
                "deploy.yaml",
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: cache
                  annotations:
                    imagelint.io/ignore: "↓flaoting-tag -- bitnami tracks minor"
                spec:
                  template:
                    spec:
                      containers:
                        - name: redis
                          image: bitnami/redis:7.2

                """, triggers: true),
            RuleExample("Dockerfile", "# imagelint ignore=latest-tag -- local dev only\nFROM nginx:latest\n", triggers: false),
            RuleExample("Dockerfile", "# imagelint ignore=all\nFROM nginx:latest\n", triggers: false),
            RuleExample("pod.yaml", ExampleFiles.pod("nginx:latest  # imagelint ignore=latest-tag"), triggers: false),
        ]
    )

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] { [] }
}
