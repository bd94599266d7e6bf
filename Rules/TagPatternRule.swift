import ImagelintCore

/// `tag-pattern`: the tag of an image matching a pattern's image glob does not match its `allow` regex.
struct TagPatternRule: Rule {
    static let description = RuleDescription(
        id: "tag-pattern",
        name: "Tag pattern",
        defaultSeverity: .error,
        summary: "The tag does not match the pattern configured for that image",
        rationale: """
            Teams often have a tagging policy: release images tagged `X.Y.Z`, never `dev-*` in production. \
            `tags.patterns` lists `{images: GLOB, allow: REGEX}` entries; an image whose name (familiar or \
            normalized, e.g. `ghcr.io/acme/*`, `nginx`, `docker.io/library/*`) matches the glob must have a tag \
            that the regular expression matches as a whole. A reference with no tag is checked as `latest`; \
            one with only a digest is exempt.
            """,
        requiresConfiguration: true,
        examples: [
            RuleExample("Dockerfile", "FROM ↓ghcr.io/acme/api:1.2\n", triggers: true, config: config),
            RuleExample("pod.yaml", ExampleFiles.pod("↓ghcr.io/acme/web:latest"), triggers: true, config: config),
            RuleExample("compose.yaml", ExampleFiles.compose("↓ghcr.io/acme/worker"), triggers: true, config: config),
            RuleExample("Dockerfile", "FROM ghcr.io/acme/api:1.2.3\n", triggers: false, config: config),
            RuleExample("Dockerfile", "FROM nginx:1.2\n", triggers: false, config: config),
            RuleExample("Dockerfile", "FROM ghcr.io/acme/api@\(ExampleFiles.digest)\n", triggers: false, config: config),
        ]
    )

    static let config = "tags:\n  patterns:\n    - images: \"ghcr.io/acme/*\"\n      allow: '\\d+\\.\\d+\\.\\d+'\n"

    static func isConfigured(_ c: Configuration) -> Bool { !c.tagPatterns.isEmpty }

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        guard let ref = o.reference, let tag = ref.impliedTag else { return [] }
        let names = [ref.familiarName, ref.name]
        for p in facts.configuration.tagPatterns where names.contains(where: { p.images.matches($0) }) {
            if !p.allow.wholeMatch(tag) {
                return [
                    Violation(
                        "tag `\(tag)` of image `\(o.written)` does not match `\(p.allow.source)`, required for `\(p.images.pattern)`",
                        part: .tag)
                ]
            }
        }
        return []
    }
}
