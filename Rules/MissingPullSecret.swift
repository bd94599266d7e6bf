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
            `imagePullSecrets` count. Checks the images on `registries.private` (same pattern syntax as \
            `registries.allowed`) and, as IBM Cloud Kubernetes Service works, regional and private IBM Cloud \
            Container Registry images (`us.icr.io`, `private.de.icr.io`) of pods outside the `default` \
            namespace: a cluster's `all-icr-io` (`default-<region>-icr-io`) secrets exist only in `default`, so \
            another namespace needs a copy of its own. The global `icr.io` holds IBM's public images \
            (`icr.io/cpopen`) and is not checked; the entitled `cp.icr.io` needs an `ibm-entitlement-key` secret \
            in every namespace. A namespace written as a template is not known, and not checked.
            """,
        appliesTo: [.kubernetes, .helm],
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
            // IBM Cloud Kubernetes Service, "Copying an existing image pull secret" (#copy_imagePullSecret).
            RuleExample("deploy.yaml", ExampleFiles.deployment("↓us.icr.io/shop/api:2.0.0"), triggers: true),
            RuleExample("pod.yaml", ExampleFiles.pod("us.icr.io/shop/web:1.0.0"), triggers: false),
            // IBM's operators (IBM/ibm-licensing-operator) pull public images from the global `icr.io`.
            RuleExample("deploy.yaml", ExampleFiles.deployment("icr.io/cpopen/ibm-licensing-operator:4.2.3"), triggers: false),
            RuleExample("deploy.yaml", ExampleFiles.deployment("↓cp.icr.io/cp/ibm-mq:9.3.4.0-r1"), triggers: true),
        ]
    )

    static let config = "registries:\n  private:\n    - registry.acme.io\n"

    static var needsServiceAccounts: Bool { true }

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        guard let ref = o.reference else { return [] }
        let pattern = facts.configuration.privateRegistries.first { RegistryPattern($0).matches(ref) }
        let isPrivate = pattern != nil
        let isICR = IBMCloudRegistry.isICR(ref.domain)
        guard isPrivate || isICR, let pod = o.origin.facts(PullSecretFacts.self) else { return [] }
        // IBM Cloud: `default` has the cluster's `all-icr-io` secret on its `default` ServiceAccount.
        // A namespace written as a template or a stand-in (`$NS`, `{{ .Release.Namespace }}`, OLM's
        // `placeholder`) is not known until deployment.
        let knownNamespace = isICR && !(pod.namespace.map { $0.contains("$") || $0.contains("{") || $0 == "placeholder" } ?? false)
        let icrElsewhere =
            knownNamespace && IBMCloudRegistry.isRegional(ref.domain) && (pod.namespace ?? "default") != "default"
        let entitled = isICR && IBMCloudRegistry.isEntitled(ref.domain)
        guard isPrivate || icrElsewhere || entitled else { return [] }
        if !pod.imagePullSecrets.isEmpty { return [] }
        let account = pod.serviceAccountName ?? "default"
        let namespace = pod.namespace ?? "default"
        let accountNote: String
        var severity: Severity? = nil
        switch facts.objects.serviceAccount(named: account, namespace: pod.namespace) {
        case .nearby(let found), .elsewhere(let found):
            if !found.imagePullSecrets.isEmpty { return [] }
            accountNote = "nor does its ServiceAccount `\(account)`"
        case .nowhere:
            accountNote = "and its ServiceAccount `\(account)` in namespace `\(namespace)` is nowhere in the project "
                + "(if it is managed elsewhere, give it the pull secret there)"
            severity = .info
        }
        if entitled && !isPrivate {
            return [
                Violation(
                    "image `\(o.written)` is on IBM's entitled registry `cp.icr.io` but the pod has no imagePullSecrets, \(accountNote): create the `ibm-entitlement-key` secret in `\(namespace)` and name it in `imagePullSecrets` or on the ServiceAccount",
                    severity: severity)
            ]
        }
        if icrElsewhere && !isPrivate {
            return [
                Violation(
                    "image `\(o.written)` is on IBM Cloud Container Registry but the pod in namespace `\(namespace)` has no imagePullSecrets, \(accountNote): the cluster's `all-icr-io` secret exists only in `default`; copy it into `\(namespace)` and name it in `imagePullSecrets` or on the ServiceAccount",
                    severity: severity)
            ]
        }
        return [
            Violation(
                "image `\(o.written)` (`\(ref.name)`) matches the private registry pattern `\(pattern ?? "")` but the pod has no imagePullSecrets, \(accountNote)",
                severity: severity)
        ]
    }
}
