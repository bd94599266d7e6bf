import FastYAML
import ImagelintCore

/// The fallback for custom resources: in an object that is not a built-in Kubernetes kind, every string
/// value of a key named `image` that no other extractor claimed — SparkApplication `spec.image`, KatibConfig
/// `runtime.suggestions[].image`, operator-managed images (Prometheus, Elasticsearch, RedisFailover),
/// OpenFaaS functions, KubeVirt `containerDisk.image`, Crossplane packages, the images an Argo `withItems`
/// list feeds to a template.
///
/// Excluded, because the value there is not something pulled:
/// - `rbd.image` (a Ceph block device name);
/// - skaffold's `build.artifacts[].image` and `test[].image` (`skaffold/*` configs), which name what the
///   build produces.
/// `metadata` and `status` are never searched.
struct GenericImageExtractor: WorkloadExtractor {
    static func accepts(_ object: KubernetesObject) -> Bool { !object.isBuiltIn }

    static func extract(_ object: inout KubernetesObject, into analysis: inout FileAnalysis) {
        var path = ObjectPath()
        let skaffold = object.apiVersion.hasPrefix("skaffold/")
        walk(object.root, path: &path, skaffold: skaffold, object: &object, analysis: &analysis, depth: 0)
    }

    static let maxDepth = 64

    private static func walk(
        _ node: YAMLNode, path: inout ObjectPath, skaffold: Bool, object: inout KubernetesObject,
        analysis: inout FileAnalysis, depth: Int
    ) {
        guard depth < maxDepth else { return }
        if node.isMapping {
            for (k, value) in node.entries {
                if k.isMergeKey {
                    for source in value.isSequence ? Array(value.elements) : [value] where source.isMapping {
                        walk(source, path: &path, skaffold: skaffold, object: &object, analysis: &analysis, depth: depth + 1)
                    }
                    continue
                }
                guard let key = k.scalarText else { continue }
                if depth == 0, key == "metadata" || key == "status" { continue }
                if value.isScalar {
                    guard key == "image", !isExcluded(path: path, skaffold: skaffold) else { continue }
                    var origin = CustomResourceImageOrigin(
                        kind: object.kind, apiVersion: object.apiVersion, path: path.appending("image"))
                    origin.name = object.name
                    origin.namespace = object.namespace
                    origin.ignoreAnnotation = object.ignoreAnnotation
                    // `{image: debian, tag: "12"}` (an Argo loop item, an operator's spec): the sibling `tag`
                    // is the image's tag.
                    if let tag = node["tag"], tag.isScalar, !tag.isNull, let t = tag.scalarText, !t.isEmpty,
                        let text = value.stringValue, !text.contains("@"),
                        !(text.split(separator: "/").last ?? "").contains(":")
                    {
                        object.add(
                            image: value, resolved: text + ":" + t, source: .customResource, origin: origin,
                            note: "with the tag `\(t)` of its sibling `tag` key", into: &analysis)
                        continue
                    }
                    object.add(image: value, source: .customResource, origin: origin, into: &analysis)
                    continue
                }
                path.push(key: key)
                walk(value, path: &path, skaffold: skaffold, object: &object, analysis: &analysis, depth: depth + 1)
                path.pop()
            }
        } else if node.isSequence {
            for (i, element) in node.elements.enumerated() where !element.isScalar {
                path.push(index: i)
                walk(element, path: &path, skaffold: skaffold, object: &object, analysis: &analysis, depth: depth + 1)
                path.pop()
            }
        }
    }

    /// The documented places where `image` names something that is not pulled.
    static func isExcluded(path: ObjectPath, skaffold: Bool) -> Bool {
        let c = path.components
        if let last = c.last, last == "rbd" || last == ".rbd" { return true }
        if skaffold {
            // build.artifacts[i] or test[i]
            if c.count == 3, c[0] == "build", c[1] == ".artifacts", c[2].hasPrefix("[") { return true }
            if c.count == 2, c[0] == "test", c[1].hasPrefix("[") { return true }
        }
        return false
    }
}

/// An `image` value of a custom resource that no workload extractor knows: the object and the path name it.
public struct CustomResourceImageOrigin: OccurrenceOrigin, Hashable, KubernetesObjectOrigin, AnnotationSuppression {
    public var kind: String
    public var apiVersion: String
    public var name: String?
    public var namespace: String?
    /// The value's path in the object: `spec.image`, `runtime.suggestions[3].image`.
    public var path: String
    public var ignoreAnnotation: [IgnoreAnnotation] = []

    // Like every origin inside a Kubernetes object, this one declares its own members, in the order its JSON
    // context writes them; what they share (kind, apiVersion, name, namespace, the object's fingerprint)
    // comes from `KubernetesObjectOrigin`. The look-alike initializers and member lists are deliberate.
    public init(kind: String, apiVersion: String, path: String) {
        self.kind = kind
        self.apiVersion = apiVersion
        self.path = path
    }

    public func forEachContextMember(_ body: (String, ContextMember) -> Void) {
        forEachObjectMember(body)
        body("path", .string(path))
    }

    public func forEachFingerprintField(_ body: (String) -> Void) {
        objectFingerprint().forEach(body)
        body(path)
    }

    public var displayName: String { objectDisplayName + " at `\(path)`" }
}
