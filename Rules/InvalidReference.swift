import ImagelintCore

/// `invalid-reference`: the text violates the reference grammar.
struct InvalidReference: Rule {
    static let description = RuleDescription(
        id: "invalid-reference",
        name: "Invalid reference",
        defaultSeverity: .error,
        summary: "The image reference violates the reference grammar",
        rationale: """
            A malformed reference fails at pull time (`ImagePullBackOff`, `invalid reference format`), often \
            far from the commit that broke it. Repository paths are lowercase; tags are at most 128 of \
            `[A-Za-z0-9_.-]`; a sha256 digest has exactly 64 lowercase hex characters. The message says which \
            part is wrong and why.
            """,
        examples: [
            RuleExample("Dockerfile", "FROM ↓MyOrg/App:1.0.0\n", triggers: true),
            RuleExample("Dockerfile", "FROM ↓alpine@sha256:abc\n", triggers: true),
            RuleExample("pod.yaml", ExampleFiles.pod("↓nginx:1.25:3"), triggers: true),
            RuleExample("compose.yaml", ExampleFiles.compose("↓registry.example.com/-app:1.0.0"), triggers: true),
            RuleExample("Dockerfile", "FROM localhost:5000/app:1.0.0\n", triggers: false),
            RuleExample("Dockerfile", "ARG IMG\nFROM ${IMG}\n", triggers: false),
            RuleExample("pod.yaml", ExampleFiles.pod("\"[::1]:5000/app:1.0.0\""), triggers: false),
        ]
    )

    static var checksUnparsed: Bool { true }

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        guard case .invalid(let error) = o.status else { return [] }
        return [Violation("image `\(o.written)` is not a valid reference: \(error)")]
    }
}
