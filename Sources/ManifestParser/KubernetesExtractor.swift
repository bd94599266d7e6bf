import FastYAML
import ImagelintCore

/// Finds the containers of Kubernetes objects (and of `List` items) and the ServiceAccounts.
struct KubernetesExtractor {
    let path: String
    let locator: Locator

    /// `List` nesting deeper than this is ignored.
    static let maxListDepth = 16
    static let containerLists = ["containers", "initContainers", "ephemeralContainers"]
    /// Kinds whose pod spec is at `spec.template.spec`.
    static let templateKinds: Set<String> = [
        "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController",
    ]

    init(path: String, locator: Locator) {
        self.path = path
        self.locator = locator
    }

    mutating func extract(object: YAMLNode, into analysis: inout FileAnalysis, depth: Int) {
        guard object.isMapping, let kind = object.string("kind"), let apiVersion = object.string("apiVersion") else {
            return
        }
        let metadata = object["metadata"]
        if kind.hasSuffix("List"), let items = object["items"], items.isSequence {
            guard depth < Self.maxListDepth else { return }
            for item in items.elements { extract(object: item, into: &analysis, depth: depth + 1) }
            return
        }
        if kind == "ServiceAccount" && apiVersion == "v1" {
            analysis.serviceAccounts.append(
                ServiceAccountInfo(
                    name: metadata?.string("name") ?? "", namespace: metadata?.string("namespace"),
                    imagePullSecrets: Self.secretNames(object["imagePullSecrets"]), file: path,
                    line: locator.text.line(ofByte: object.startOffset)))
            return
        }
        guard let (template, podSpec) = Self.podSpec(of: object, kind: kind) else { return }

        var context = OccurrenceContext()
        context.kind = kind
        context.apiVersion = apiVersion
        context.name = metadata?.string("name")
        context.namespace = metadata?.string("namespace")
        context.imagePullSecrets = Self.secretNames(podSpec["imagePullSecrets"])
        context.serviceAccountName = podSpec.string("serviceAccountName") ?? podSpec.string("serviceAccount")
        var annotations = Self.annotations(metadata)
        if let template {
            for (key, value) in Self.annotations(template["metadata"]) {
                // Suppressions on the object and on its pod template both apply; other keys: template wins.
                if key == "imagelint.io/ignore", let objectValue = annotations[key] {
                    annotations[key] = objectValue + "," + value
                } else {
                    annotations[key] = value
                }
            }
        }
        context.annotations = annotations

        for list in Self.containerLists {
            guard let containers = podSpec[list], containers.isSequence else { continue }
            for container in containers.elements where container.isMapping {
                guard let image = container["image"], let written = image.stringValue else { continue }
                var c = context
                c.container = container.string("name")
                c.containerList = list
                c.imagePullPolicy = container.string("imagePullPolicy")
                let (span, anchorLine) = locator.locate(image)
                analysis.occurrences.append(
                    Occurrence(
                        file: path, span: span, anchorLine: anchorLine, written: written, resolved: written,
                        source: .kubernetes, context: c))
            }
        }
    }

    /// The pod template (nil for a Pod) and pod spec of an object, if it has one.
    static func podSpec(of object: YAMLNode, kind: String) -> (template: YAMLNode?, spec: YAMLNode)? {
        switch kind {
        case "Pod":
            guard let spec = object["spec"], spec.isMapping else { return nil }
            return (nil, spec)
        case "PodTemplate":
            guard let template = object["template"], let spec = template["spec"], spec.isMapping else { return nil }
            return (template, spec)
        case "CronJob":
            guard let template = object["spec"]?["jobTemplate"]?["spec"]?["template"], let spec = template["spec"],
                spec.isMapping
            else { return nil }
            return (template, spec)
        case _ where templateKinds.contains(kind):
            guard let template = object["spec"]?["template"], let spec = template["spec"], spec.isMapping else {
                return nil
            }
            return (template, spec)
        default:
            // Custom resources that embed a pod template: Argo Rollout, Knative Service, DeploymentConfig…
            if let template = object["spec"]?["template"], let spec = template["spec"], isPodSpecShaped(spec) {
                return (template, spec)
            }
            if let template = object["spec"]?["jobTemplate"]?["spec"]?["template"], let spec = template["spec"],
                isPodSpecShaped(spec)
            {
                return (template, spec)
            }
            return nil
        }
    }

    /// A mapping with a `containers` sequence whose elements are all mappings.
    static func isPodSpecShaped(_ spec: YAMLNode) -> Bool {
        guard spec.isMapping, let containers = spec["containers"], containers.isSequence, containers.count > 0 else {
            return false
        }
        return containers.elements.allSatisfy(\.isMapping)
    }

    /// Names in an `imagePullSecrets` list (`[{name: x}]`); empty when absent.
    static func secretNames(_ node: YAMLNode?) -> [String] {
        guard let node, node.isSequence else { return [] }
        return node.elements.compactMap { $0.isMapping ? $0.string("name") : nil }
    }

    /// `metadata.annotations` as strings (non-scalar values are left out).
    static func annotations(_ metadata: YAMLNode?) -> [String: String] {
        guard let annotations = metadata?["annotations"], annotations.isMapping else { return [:] }
        var result: [String: String] = [:]
        for (key, value) in annotations.mergedEntries {
            guard let k = key.scalarText, value.isScalar, let v = value.scalarText else { continue }
            result[k] = v
        }
        return result
    }
}
