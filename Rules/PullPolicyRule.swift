import ImageReference
import ImagelintCore

/// `pull-policy`: a mutable image with an explicit `IfNotPresent` or `Never`.
struct PullPolicyRule: Rule {
    static let description = RuleDescription(
        id: "pull-policy",
        name: "Pull policy fights the tag",
        defaultSeverity: .warning,
        summary: "A mutable image (latest, missing or floating tag) has `imagePullPolicy: IfNotPresent` or `Never`",
        rationale: """
            With `IfNotPresent` or `Never` a node reuses whatever copy of the tag it already has, so a moving \
            tag runs different code on different nodes, and a fix pushed under the same tag never arrives. \
            Pin a digest (then `IfNotPresent` is right), use a fixed release tag, or let the policy default. \
            Kubernetes' defaulting, applied once when the object is created: with `imagePullPolicy` omitted, it \
            is `Always` when the tag is `latest` or there is no tag (and no digest), and `IfNotPresent` \
            otherwise (any other tag, or a digest alone); changing the image later does not change it.
            """,
        appliesTo: [.kubernetes, .compose, .ci, .helm],
        examples: [
            RuleExample("pod.yaml", ExampleFiles.pod("↓nginx:latest", policy: "IfNotPresent"), triggers: true),
            RuleExample("pod.yaml", ExampleFiles.pod("↓python:3.12", policy: "Never"), triggers: true),
            RuleExample("deploy.yaml", ExampleFiles.deployment("↓ghcr.io/acme/api", policy: "IfNotPresent"), triggers: true),
            RuleExample("pod.yaml", ExampleFiles.pod("nginx:latest", policy: "Always"), triggers: false),
            RuleExample("pod.yaml", ExampleFiles.pod("nginx:1.25.3", policy: "IfNotPresent"), triggers: false),
            RuleExample(
                "pod.yaml", ExampleFiles.pod("nginx:latest@\(ExampleFiles.digest)", policy: "IfNotPresent"),
                triggers: false),
            RuleExample("pod.yaml", ExampleFiles.pod("nginx:latest"), triggers: false),
        ]
    )

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        guard let ref = o.reference, ref.digest == nil, let fact = o.origin.facts(PullPolicyFact.self),
            let policy = fact.imagePullPolicy,
            policy == PullPolicy.ifNotPresent.rawValue || policy == PullPolicy.never.rawValue
        else { return [] }
        let what: String
        if let tag = ref.tag {
            if tag == "latest" {
                what = "the `latest` tag"
            } else if TagClassifier(configuration: facts.configuration).isFloating(tag) {
                what = "the floating tag `\(tag)`"
            } else {
                return []
            }
        } else {
            what = "no tag"
        }
        return [
            Violation(
                "image `\(o.written)` has \(what) but `\(fact.pullPolicyText)`, so nodes may keep running a stale copy")
        ]
    }
}
