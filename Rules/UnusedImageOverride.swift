import ImagelintCore

/// `unused-image-override`: a kustomization's `images:` entry whose `name` matches no container of its build.
struct UnusedImageOverride: Rule {
    static let description = RuleDescription(
        id: "unused-image-override",
        name: "Unused image override",
        defaultSeverity: .warning,
        summary: "A kustomize `images:` entry matches no container image of its build",
        rationale: """
            kustomize rewrites only the images whose name (without tag or digest) is the entry's `name`; an \
            entry that matches nothing — a typo, an image renamed in the base, a registry prefix left out — does \
            nothing, silently, and the base's image is what deploys. Checked on the builds that include the \
            kustomization, as kustomize builds them (an entry of a base runs before the overlays' entries); not \
            reported when the build holds remote or generated resources imagelint does not build. Fix the \
            `name` (a close container image is suggested) or remove the entry.
            """,
        appliesTo: [.kustomize],
        examples: [
            RuleExample(
                "kustomization.yaml",
                "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n  - ↓name: ngnix\n    newTag: \"1.25.3\"\n",
                triggers: true),
            RuleExample(
                "kustomization.yaml",
                "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"
                    + "  - https://github.com/acme/deploy//base?ref=v1.2.0\nimages:\n  - name: nginx\n    newTag: \"1.25.3\"\n",
                triggers: false),
        ]
    )

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        guard let entry = o.origin.facts(UnusedImageOverrideFacts.self) else { return [] }
        var message = "`images:` entry `\(entry.overrideName)` matches no container image of the build, so it changes nothing"
        if let s = entry.suggestion { message += "; did you mean `\(s)`?" }
        return [Violation(message)]
    }
}
