import ImageReference
import ImagelintCore

/// `implicit-pull-policy` (opt-in): a mutable tag with no `imagePullPolicy`, whose default is fixed when the
/// object is created.
struct ImplicitPullPolicy: Rule {
    static let id = "implicit-pull-policy"

    static let description = RuleDescription(
        id: id,
        name: "Implicit pull policy",
        defaultSeverity: .warning,
        summary: "A mutable tag has no `imagePullPolicy`: the default is fixed when the object is created (opt-in)",
        rationale: """
            The API server writes the default `imagePullPolicy` into the object once, when it is created: \
            `Always` for `latest` or no tag, `IfNotPresent` for any other tag. An update that later changes \
            the tag keeps the old policy, so `app:latest` changed to `app:1.4` still pulls at every start, and \
            `app:3.12` changed to `app:latest` keeps `IfNotPresent` and runs whatever copy each node has. \
            Write the policy the tag needs. Only the built-in workloads (Pod, Deployment, StatefulSet, \
            DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) are checked: a custom resource's pod \
            template (a Tekton step, an Argo Rollout) is not defaulted in the stored object, and each pod made \
            from it gets the default for its own tag. Off by default: turn it on with `rules: {implicit-pull-policy: \
            warning}`.
            """,
        appliesTo: [.kubernetes],
        requiresConfiguration: true,
        examples: [
            // The Kubernetes "Images" page, "Default image pull policy" (#imagepullpolicy-defaulting).
            RuleExample("pod.yaml", ExampleFiles.pod("↓nginx:latest"), triggers: true, config: config),
            RuleExample("pod.yaml", ExampleFiles.pod("↓python:3.12"), triggers: true, config: config),
            RuleExample("deploy.yaml", ExampleFiles.deployment("↓ghcr.io/acme/api"), triggers: true, config: config),
            RuleExample("pod.yaml", ExampleFiles.pod("nginx:latest", policy: "Always"), triggers: false, config: config),
            RuleExample("pod.yaml", ExampleFiles.pod("nginx:1.25.3"), triggers: false, config: config),
            RuleExample("pod.yaml", ExampleFiles.pod("nginx@\(ExampleFiles.digest)"), triggers: false, config: config),
            RuleExample("pod.yaml", ExampleFiles.pod("python:3.12"), triggers: false),
            // Tekton (IBM/cloud-native-starter's tasks): each TaskRun makes a new pod, defaulted afresh.
            RuleExample(
                "task.yaml",
                "apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: deploy\nspec:\n  steps:\n    - name: apply\n      image: alpine\n",
                triggers: false, config: config),
        ]
    )

    static let config = "rules:\n  implicit-pull-policy: warning\n"

    /// On only when `rules:` names it with a severity.
    static func isConfigured(_ c: Configuration) -> Bool {
        if case .some(.some) = c.ruleSeverities[id] { return true }
        return false
    }

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        guard let ref = o.reference, ref.digest == nil, let fact = o.origin.facts(PullPolicyFact.self),
            fact.imagePullPolicy == nil, fact.policyDefaultedInObject
        else { return [] }
        let what: String
        let policy: String
        if let tag = ref.tag, tag != "latest" {
            guard TagClassifier(configuration: facts.configuration).isFloating(tag) else { return [] }
            what = "the floating tag `\(tag)`"
            policy = "IfNotPresent"
        } else {
            what = ref.tag == nil ? "no tag" : "the `latest` tag"
            policy = "Always"
        }
        return [
            Violation(
                "image `\(o.written)` has \(what) and no `imagePullPolicy`: it is defaulted to `\(policy)` when the object is created and kept when the tag changes; write the policy"
            )
        ]
    }
}
