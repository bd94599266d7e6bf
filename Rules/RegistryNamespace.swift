import ImageReference
import ImagelintCore

/// `registry-namespace`: an image on a registry that keeps every repository under a namespace
/// (IBM Cloud Container Registry, or `registries.require-namespace`) names none.
struct RegistryNamespace: Rule {
    static let description = RuleDescription(
        id: "registry-namespace",
        name: "Registry namespace missing",
        defaultSeverity: .error,
        summary: "An image on a namespaced registry (`*.icr.io`) has no namespace path",
        rationale: """
            IBM Cloud Container Registry stores every image in a namespace: `<region>.icr.io/<namespace>/<repo>`. \
            `us.icr.io/app:1.0.0` names no namespace, so no push or pull can succeed and a pod ends in \
            `ImagePullBackOff`. Write the namespace (`ibmcloud cr namespace-list` shows yours). The preset covers \
            `icr.io`, `*.icr.io` and `private.*.icr.io`; list other registries with the same rule under \
            `registries.require-namespace` (same pattern syntax as `registries.allowed`).
            """,
        examples: [
            // IBM Cloud Container Registry, "Pushing Docker images to your namespace" (#registry_images_pushing).
            RuleExample("pod.yaml", ExampleFiles.pod("↓us.icr.io/app:1.0.0"), triggers: true),
            RuleExample("Dockerfile", "FROM ↓icr.io/base:1.0.0\n", triggers: true),
            RuleExample(
                "compose.yaml", ExampleFiles.compose("↓registry.acme.io/web:1.0.0"), triggers: true,
                config: "registries:\n  require-namespace:\n    - registry.acme.io\n"),
            RuleExample("pod.yaml", ExampleFiles.pod("us.icr.io/shop/app:1.0.0"), triggers: false),
            RuleExample("Dockerfile", "FROM icr.io/ibm/liberty:24.0.0.1\n", triggers: false),
            RuleExample("pod.yaml", ExampleFiles.pod("registry.acme.io/web:1.0.0"), triggers: false),
        ]
    )

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        guard let ref = o.reference, !ref.path.contains("/") else { return [] }
        let isICR = IBMCloudRegistry.isICR(ref.domain)
        guard isICR || facts.configuration.namespacedRegistries.contains(where: { RegistryPattern($0).matches(ref) })
        else { return [] }
        let example = ref.domain + "/<namespace>/" + ref.path
        let registry = isICR ? "IBM Cloud Container Registry (`\(ref.domain)`)" : "`\(ref.domain)`"
        return [
            Violation(
                "image `\(o.written)` names no namespace: \(registry) keeps every repository under one, as in `\(example)`",
                part: .repository)
        ]
    }
}
