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
            RuleExample("kustomization.yaml", Self.header + "images:\n  - name: ↓ngnix\n    newTag: \"1.25.3\"\n", triggers: true),
            // kustomize matches the name without tag or digest: an entry naming a tag matches only that tag.
            RuleExample(
                "kustomization.yaml", Self.header + "images:\n  - name: ↓ghcr.io/acme/api:1.0\n    newTag: \"1.1.0\"\n", triggers: true),
            RuleExample(
                "kustomization.yaml",
                Self.header + "resources: []\nimages:\n  - name: ↓postgres\n    newName: mirror.acme.io/postgres\n",
                triggers: true),
            RuleExample(
                "kustomization.yaml",
                Self.header + "resources:\n  - https://github.com/acme/deploy//base?ref=v1.2.0\nimages:\n  - name: nginx\n    newTag: \"1.25.3\"\n",
                triggers: false),
            RuleExample(
                "kustomization.yaml",
                Self.header + "helmCharts:\n  - name: redis\n    repo: https://charts.bitnami.com/bitnami\n    version: 19.0.1\n"
                    + "images:\n  - name: bitnami/redis\n    newTag: \"7.2.4\"\n",
                triggers: false),
            RuleExample(
                "kustomization.yaml",
                Self.header + "transformers:\n  - image-transformer.yaml\nimages:\n  - name: nginx\n    newTag: \"1.25.3\"\n",
                triggers: false),
        ]
    )

    static let header = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        guard let entry = o.origin.facts(UnusedImageOverrideFacts.self) else { return [] }
        var message = "`images:` entry `\(entry.overrideName)` matches no container image of the build, so it changes nothing"
        if let s = entry.suggestion { message += "; did you mean `\(s)`?" }
        return [Violation(message)]
    }
}
