import ImagelintCore

/// `parse-error`: a file or document could not be parsed. The engine reports the front ends' diagnostics
/// under this id; the rule itself checks no occurrence.
struct ParseError: Rule {
    static let description = RuleDescription(
        id: "parse-error",
        name: "Parse error",
        defaultSeverity: .error,
        summary: "A file or document could not be read or parsed",
        rationale: """
            A file that cannot be parsed hides its images from every other check, and usually fails in the \
            build or the cluster too. The message gives the parser's reason and position. Unrendered Helm \
            templates are reported at `info`: render them first (`helm template … | imagelint lint -`).
            """,
        examples: [
            RuleExample("Dockerfile", "↓FROM\n↓RUN true\n", triggers: true),
            RuleExample("deploy.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n↓", triggers: true),
            RuleExample("Dockerfile", "FROM alpine:3.19.1\n↓RUN <<EOF\necho hi\n", triggers: true),
            RuleExample("Dockerfile", "FROM alpine:3.19.1\nRUN <<EOF\necho hi\nEOF\n", triggers: false),
            RuleExample("pod.yaml", ExampleFiles.pod("nginx:1.25.3"), triggers: false),
            RuleExample("values.yaml", "image:\n  repository: nginx\n  tag: latest\n", triggers: false),
        ]
    )

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] { [] }
}
