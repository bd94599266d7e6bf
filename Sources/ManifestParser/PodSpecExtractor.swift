import FastYAML
import ImagelintCore

/// Finds every pod spec in a Kubernetes object, wherever it is nested: a mapping with a `containers`
/// (or `initContainers`/`ephemeralContainers`) sequence holding at least one mapping with an `image` key. That covers the built-in workloads
/// (`spec`, `spec.template.spec`, `spec.jobTemplate.spec.template.spec`, `template.spec`) and the custom
/// resources that embed pod templates at paths of their own (Ray `workerGroupSpecs[].template.spec`,
/// JobSet `replicatedJobs[].template.spec.template.spec`, Kubeflow `*ReplicaSpecs.*.template.spec`,
/// KServe, Argo Rollouts analysis jobs…) with no per-kind code. The walk is one pass over the document;
/// it does not descend into a pod spec it found, nor into `metadata` or `status`.
struct PodSpecExtractor: WorkloadExtractor {
    static let containerLists = ["containers", "initContainers", "ephemeralContainers"]

    static func accepts(_ object: KubernetesObject) -> Bool { true }

    static func extract(_ object: inout KubernetesObject, into analysis: inout FileAnalysis) {
        var path = ObjectPath()
        walk(object.root, parent: nil, key: nil, path: &path, object: &object, analysis: &analysis, depth: 0)
    }

    /// Nesting deeper than this is not searched (the YAML parser bounds depth as well).
    static let maxDepth = 64

    private static func walk(
        _ node: YAMLNode, parent: YAMLNode?, key: String?, path: inout ObjectPath, object: inout KubernetesObject,
        analysis: inout FileAnalysis, depth: Int
    ) {
        guard depth < maxDepth else { return }
        if node.isMapping {
            if isPodSpec(node) {
                // The pod template is the mapping whose `spec` this is (not the object itself: a Pod).
                let template = (key == "spec" && depth > 1) ? parent : nil
                extractPod(node, template: template, path: path.text, object: &object, analysis: &analysis)
                return
            }
            for (k, value) in node.entries {
                if k.isMergeKey {
                    for source in value.isSequence ? Array(value.elements) : [value] {
                        walk(source, parent: parent, key: key, path: &path, object: &object, analysis: &analysis, depth: depth + 1)
                    }
                    continue
                }
                guard !value.isScalar, let name = k.scalarText else { continue }
                if depth == 0, name == "metadata" || name == "status" { continue }
                path.push(key: name)
                walk(value, parent: node, key: name, path: &path, object: &object, analysis: &analysis, depth: depth + 1)
                path.pop()
            }
        } else if node.isSequence {
            for (i, element) in node.elements.enumerated() where !element.isScalar {
                path.push(index: i)
                walk(element, parent: node, key: nil, path: &path, object: &object, analysis: &analysis, depth: depth + 1)
                path.pop()
            }
        }
    }

    /// A mapping with a `containers` (or `initContainers`, `ephemeralContainers`: a strategic-merge patch
    /// may name only those) sequence holding at least one mapping with an `image` key.
    static func isPodSpec(_ node: YAMLNode) -> Bool {
        containerLists.contains { list in
            guard let containers = node[list], containers.isSequence else { return false }
            return containers.elements.contains { $0.isMapping && $0["image"] != nil }
        }
    }

    static func extractPod(
        _ spec: YAMLNode, template: YAMLNode?, path: String, object: inout KubernetesObject,
        analysis: inout FileAnalysis
    ) {
        var pod = PodContainerOrigin(kind: object.kind, apiVersion: object.apiVersion, podSpec: path)
        pod.name = object.name
        pod.namespace = object.namespace
        pod.imagePullSecrets = KubernetesObject.secretNames(spec["imagePullSecrets"])
        pod.imagePullSecretSpans = secretSpans(spec["imagePullSecrets"], locator: object.locator)
        pod.nodeSelector = nodeSelection(spec)
        pod.podOS = spec["os"]?.string("name")
        pod.runtimeClassName = spec.string("runtimeClassName")
        pod.hostProcess = isHostProcess(spec)
        pod.serviceAccountName = spec.string("serviceAccountName") ?? spec.string("serviceAccount")
        pod.ignoreAnnotation = KubernetesObject.joined(
            object.ignoreAnnotation, KubernetesObject.ignoreAnnotation(template?["metadata"]))
        for list in containerLists {
            guard let containers = spec[list], containers.isSequence else { continue }
            for container in containers.elements where container.isMapping {
                guard let image = container["image"] else { continue }
                var c = pod
                c.container = container.string("name")
                c.containerList = list
                c.imagePullPolicy = container.string("imagePullPolicy")
                c.hostProcess = pod.hostProcess || isHostProcess(container)
                object.add(image: image, source: .kubernetes, origin: c, into: &analysis)
            }
        }
    }
}

extension PodSpecExtractor {
    /// The span of each `imagePullSecrets[].name` value, in the order of `KubernetesObject.secretNames`.
    static func secretSpans(_ node: YAMLNode?, locator: Locator) -> [Span] {
        guard let node, node.isSequence else { return [] }
        return node.elements.compactMap { e in
            guard e.isMapping, e.string("name") != nil, let name = e["name"] else { return nil }
            return locator.locate(name).span
        }
    }

    /// `securityContext.windowsOptions.hostProcess: true` on a pod spec or a container.
    static func isHostProcess(_ node: YAMLNode) -> Bool {
        node["securityContext"]?["windowsOptions"]?["hostProcess"]?.scalarText?.lowercased() == "true"
    }

    /// `nodeSelector`, with the labels a required node affinity pins to one value (`In` with one value in
    /// every term) added.
    static func nodeSelection(_ spec: YAMLNode) -> [String: String] {
        var labels: [String: String] = [:]
        if let selector = spec["nodeSelector"], selector.isMapping {
            for (k, v) in selector.entries {
                if let key = k.scalarText, let value = v.stringValue { labels[key] = value }
            }
        }
        let terms = spec["affinity"]?["nodeAffinity"]?["requiredDuringSchedulingIgnoredDuringExecution"]?["nodeSelectorTerms"]
        guard let terms, terms.isSequence, terms.elements.count == 1, let term = terms.elements.first,
            let expressions = term["matchExpressions"], expressions.isSequence
        else { return labels }
        for e in expressions.elements where e.isMapping && e.string("operator") == "In" {
            guard let key = e.string("key"), let values = e["values"], values.isSequence, values.elements.count == 1,
                let value = values.elements.first?.stringValue, labels[key] == nil
            else { continue }
            labels[key] = value
        }
        return labels
    }
}

/// A container of a pod spec in a Kubernetes object.
public struct PodContainerOrigin: OccurrenceOrigin, Hashable, KubernetesObjectOrigin, PullPolicyFact, PullSecretFacts,
    PullSecretEntries, NodeSelectionFacts, AnnotationSuppression
{
    public var kind: String
    public var apiVersion: String
    public var name: String?
    public var namespace: String?
    public var container: String?
    /// `containers`, `initContainers` or `ephemeralContainers`.
    public var containerList: String = "containers"
    public var imagePullPolicy: String?
    public var imagePullSecrets: [String] = []
    public var serviceAccountName: String?
    /// Where each `imagePullSecrets` name is written (for findings about one of them).
    public var imagePullSecretSpans: [Span] = []
    /// The pod's node selector (with single-valued required node affinity).
    public var nodeSelector: [String: String] = [:]
    /// `spec.os.name`.
    public var podOS: String?
    /// `spec.runtimeClassName`.
    public var runtimeClassName: String?
    /// `securityContext.windowsOptions.hostProcess: true` on the pod or on this container.
    public var hostProcess = false
    /// Where the pod spec is in the object: `spec.template.spec`, `spec.workerGroupSpecs[0].template.spec`.
    public var podSpec: String
    /// The `imagelint.io/ignore` annotations of the object and of the pod template (comma-joined).
    public var ignoreAnnotation: String?

    public init(kind: String, apiVersion: String, podSpec: String) {
        self.kind = kind
        self.apiVersion = apiVersion
        self.podSpec = podSpec
    }

    /// The places the first release read pod specs from: their findings keep their fingerprints.
    static let firstReleasePaths: Set<String> = ["spec", "template.spec", "spec.template.spec", "spec.jobTemplate.spec.template.spec"]

    public func forEachContextMember(_ body: (String, ContextMember) -> Void) {
        forEachObjectMember(body)
        if let container { body("container", .string(container)) }
        body("containerList", .string(containerList))
        body("imagePullPolicy", .optional(imagePullPolicy))
        body("imagePullSecrets", .strings(imagePullSecrets))
        if let serviceAccountName { body("serviceAccountName", .string(serviceAccountName)) }
        body("podSpec", .string(podSpec))
    }

    public func forEachFingerprintField(_ body: (String) -> Void) {
        objectFingerprint(containerList: containerList, container: container).forEach(body)
        if !Self.firstReleasePaths.contains(podSpec) { body(podSpec) }
    }

    /// The built-in kinds whose stored pod spec the API server defaults (`imagePullPolicy` among others).
    static let builtInWorkloads: Set<String> = [
        "Pod", "PodTemplate", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job",
        "CronJob",
    ]

    public var policyDefaultedInObject: Bool {
        Self.builtInWorkloads.contains(kind)
            && (apiVersion == "v1" || apiVersion.hasPrefix("apps/") || apiVersion.hasPrefix("batch/")
                || apiVersion.hasPrefix("extensions/"))
    }

    public var displayName: String {
        var s = objectDisplayName
        if let container { s += ", container `\(container)`" }
        return s
    }
}
