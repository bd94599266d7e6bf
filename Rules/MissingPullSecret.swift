import ImagelintCore

/// `missing-pull-secret`: a pod pulls from a private registry with no `imagePullSecrets`, and its
/// ServiceAccount (looked up in its kustomize build or directory, then in the project) has none either.
struct MissingPullSecret: Rule {
    static let description = RuleDescription(
        id: "missing-pull-secret",
        name: "Missing pull secret",
        defaultSeverity: .warning,
        summary: "A pod pulls from a private registry without `imagePullSecrets`",
        rationale: """
            A private registry needs credentials: without `imagePullSecrets` on the pod spec or on its \
            ServiceAccount, the pull fails with `ImagePullBackOff`. Secrets work only in their own namespace. \
            The ServiceAccount (`serviceAccountName`, or `default`, in the pod's namespace) is looked up on \
            disk whichever files were named: in the pod's kustomize build (or, outside any build, the YAML files \
            of its directory), then anywhere in the project; one found nowhere is reported at `info`, as it may \
            be managed elsewhere. In Helm chart values, an image block's `pullSecrets` and the chart's \
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
            facts.configuration.privateRegistries.contains(where: { RegistryPattern($0).matches(ref) })
        else { return [] }
        if !pod.imagePullSecrets.isEmpty { return [] }
        let account = pod.serviceAccountName ?? "default"
        let namespace = pod.namespace ?? "default"
        let message = "image `\(o.written)` is on the private registry `\(ref.domain)` but the pod has no imagePullSecrets, "
        switch facts.objects.serviceAccount(named: account, namespace: pod.namespace) {
        case .nearby(let found), .elsewhere(let found):
            if !found.imagePullSecrets.isEmpty { return [] }
            return [Violation(message + "nor does its ServiceAccount `\(account)` (\(found.file):\(found.line))")]
        case .nowhere:
            return [
                Violation(
                    message + "and its ServiceAccount `\(account)` in namespace `\(namespace)` is nowhere in the project "
                        + "(if it is managed elsewhere, give it the pull secret there)", severity: .info)
            ]
        }
    }
}
