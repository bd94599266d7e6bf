import ImagelintCore

/// `missing-pull-secret`: a pod pulls from a private registry with no `imagePullSecrets`, and its
/// ServiceAccount (when found among the linted files) has none either.
struct MissingPullSecret: Rule {
    static let description = RuleDescription(
        id: "missing-pull-secret",
        name: "Missing pull secret",
        defaultSeverity: .warning,
        summary: "A pod pulls from a private registry without `imagePullSecrets`",
        rationale: """
            A private registry needs credentials: without `imagePullSecrets` on the pod spec or on its \
            ServiceAccount, the pull fails with `ImagePullBackOff`. Secrets work only in their own namespace. \
            The ServiceAccount is looked up among the linted files (`serviceAccountName`, or `default`, in the \
            pod's namespace). In Helm chart values, an image block's `pullSecrets` and the chart's \
            `imagePullSecrets` count. Active only when `registries.private` is configured (same pattern syntax as \
            `registries.allowed`).
            """,
        appliesTo: [.kubernetes, .helm],
        requiresConfiguration: true,
        examples: [
            RuleExample("pod.yaml", ExampleFiles.pod("↓registry.acme.io/web:1.0.0"), triggers: true, config: config),
            RuleExample(
                "deploy.yaml", ExampleFiles.deployment("↓registry.acme.io/api:2.0.0", podSpecExtra: "      serviceAccountName: api\n"),
                triggers: true, config: config),
            RuleExample(
                "deploy.yaml",
                "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n  namespace: other\nimagePullSecrets:\n  - name: acme\n---\n"
                    + ExampleFiles.deployment("↓registry.acme.io/api:2.0.0", podSpecExtra: "      serviceAccountName: api\n"),
                triggers: true, config: config),
            RuleExample(
                "pod.yaml", ExampleFiles.pod("registry.acme.io/web:1.0.0", extraSpec: "  imagePullSecrets:\n    - name: acme\n"),
                triggers: false, config: config),
            RuleExample(
                "deploy.yaml",
                "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: shop\nimagePullSecrets:\n  - name: acme\n---\n"
                    + ExampleFiles.deployment("registry.acme.io/api:2.0.0"),
                triggers: false, config: config),
            RuleExample("pod.yaml", ExampleFiles.pod("nginx:1.25.3"), triggers: false, config: config),
        ]
    )

    static let config = "registries:\n  private:\n    - registry.acme.io\n"

    static var needsServiceAccounts: Bool { true }
    static func isConfigured(_ c: Configuration) -> Bool { !c.privateRegistries.isEmpty }

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        guard let ref = o.reference, let pod = o.origin.facts(PullSecretFacts.self),
            let pattern = facts.configuration.privateRegistries.first(where: { RegistryPattern($0).matches(ref) })
        else { return [] }
        if !pod.imagePullSecrets.isEmpty { return [] }
        let account = pod.serviceAccountName ?? "default"
        let namespace = pod.namespace ?? "default"
        let found = facts.serviceAccounts.first { $0.name == account && ($0.namespace ?? "default") == namespace }
        if let found, !found.imagePullSecrets.isEmpty { return [] }
        let accountNote =
            found == nil
            ? "and its ServiceAccount `\(account)` is not among the linted files"
            : "nor does its ServiceAccount `\(account)`"
        return [
            Violation(
                "image `\(o.written)` (`\(ref.name)`) matches the private registry pattern `\(pattern)` but the pod has no imagePullSecrets, \(accountNote)"
            )
        ]
    }
}
