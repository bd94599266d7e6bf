import ImagelintCore

/// `unused-suppression`: a suppression that hid nothing in this run. The engine reports it.
struct UnusedSuppression: Rule {
    static let description = RuleDescription(
        id: "unused-suppression",
        name: "Unused suppression",
        defaultSeverity: .info,
        summary: "A suppression comment or annotation matched no finding",
        rationale: """
            A suppression outlives the finding it was written for: the image got a digest, the rule was renamed, \
            the comment moved away from its line. Left in place it will silently hide the next finding of that \
            rule there. Each id of an `# imagelint ignore=` comment or an `imagelint.io/ignore` annotation that \
            hid nothing is reported at its own column; remove it. Ids of rules that did not run (turned off, \
            not configured, the online rules without `--online`) are not reported, nor is anything with \
            `--no-ignore`.
            """,
        examples: [
            RuleExample("Dockerfile", "# imagelint ignore=↓latest-tag\nFROM nginx:1.25.3\n", triggers: true),
            RuleExample("Dockerfile", "# imagelint ignore=latest-tag,↓floating-tag -- dev image\nFROM nginx:latest\n", triggers: true),
            RuleExample(
                "pod.yaml",
                """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                  annotations:
                    imagelint.io/ignore: "↓floating-tag -- tracks the minor line"
                spec:
                  containers:
                    - name: app
                      image: nginx:1.25.3

                """, triggers: true),
            RuleExample("Dockerfile", "# imagelint ignore=latest-tag -- local dev only\nFROM nginx:latest\n", triggers: false),
            RuleExample("Dockerfile", "# imagelint ignore=tag-not-found\nFROM nginx:1.25.3\n", triggers: false),
            RuleExample(
                "pod.yaml",
                """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                  annotations:
                    imagelint.io/ignore: "floating-tag -- bitnami tracks minor"
                spec:
                  containers:
                    - name: app
                      image: bitnami/redis:7.2

                """, triggers: false),
        ]
    )

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] { [] }
}
