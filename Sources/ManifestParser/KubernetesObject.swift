import FastYAML
import ImagelintCore

/// One Kubernetes object (`apiVersion` + `kind`) being read, with what the workload extractors share:
/// its identity, and the `image` values already claimed so that no value is reported twice.
struct KubernetesObject {
    let root: YAMLNode
    let kind: String
    let apiVersion: String
    let name: String?
    let namespace: String?
    /// The object's own `imagelint.io/ignore` annotation.
    let ignoreAnnotation: String?
    let path: String
    let locator: Locator
    /// Start offsets of the `image` values earlier extractors turned into occurrences.
    var claimed: Set<Int> = []
    /// Those of the running extractor (an aliased subtree it walks twice is reported twice, as written).
    var claiming: Set<Int> = []

    init(root: YAMLNode, kind: String, apiVersion: String, path: String, locator: Locator) {
        self.root = root
        self.kind = kind
        self.apiVersion = apiVersion
        let metadata = root["metadata"]
        self.name = metadata?.string("name")
        self.namespace = metadata?.string("namespace")
        self.ignoreAnnotation = Self.ignoreAnnotation(metadata)
        self.path = path
        self.locator = locator
    }

    /// The API group (`apps` of `apps/v1`; empty for the core `v1`).
    var group: Substring {
        guard let slash = apiVersion.lastIndex(of: "/") else { return "" }
        return apiVersion[..<slash]
    }

    /// True for kinds Kubernetes itself serves (the API groups of kube-apiserver). Everything else —
    /// `*.x-k8s.io` SIG projects and operators' `*.k8s.io` groups such as `sparkoperator.k8s.io` included —
    /// is a custom resource.
    var isBuiltIn: Bool { Self.builtInGroups.contains(String(group)) }

    static let builtInGroups: Set<String> = [
        "", "apps", "batch", "autoscaling", "policy", "extensions", "admissionregistration.k8s.io",
        "apiextensions.k8s.io", "apiregistration.k8s.io", "authentication.k8s.io", "authorization.k8s.io",
        "certificates.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io",
        "flowcontrol.apiserver.k8s.io", "internal.apiserver.k8s.io", "networking.k8s.io", "node.k8s.io",
        "rbac.authorization.k8s.io", "resource.k8s.io", "scheduling.k8s.io", "storage.k8s.io",
        "storagemigration.k8s.io",
    ]

    /// Appends the occurrence of an `image` value (unless it was claimed already) and claims it.
    mutating func add(
        image: YAMLNode, resolved: String? = nil, source: ImageSource, origin: any OccurrenceOrigin, note: String? = nil,
        into analysis: inout FileAnalysis
    ) {
        guard let written = image.stringValue, !claimed.contains(image.startOffset) else { return }
        claiming.insert(image.startOffset)
        let (span, anchorLine) = locator.locate(image)
        var occurrence = Occurrence(
            file: path, span: span, anchorLine: anchorLine, written: written, resolved: resolved ?? written,
            source: source, origin: origin)
        occurrence.note = note
        analysis.occurrences.append(occurrence)
    }

    /// `metadata.annotations["imagelint.io/ignore"]`, if set.
    static func ignoreAnnotation(_ metadata: YAMLNode?) -> String? {
        guard let annotations = metadata?["annotations"], annotations.isMapping,
            let value = annotations["imagelint.io/ignore"], value.isScalar
        else { return nil }
        return value.scalarText
    }

    /// Joins the ignore annotations of an object and of a pod template (both apply).
    static func joined(_ a: String?, _ b: String?) -> String? {
        switch (a, b) {
        case let (a?, b?): a + "," + b
        default: a ?? b
        }
    }

    /// Names in an `imagePullSecrets` list (`[{name: x}]`); empty when absent.
    static func secretNames(_ node: YAMLNode?) -> [String] {
        guard let node, node.isSequence else { return [] }
        return node.elements.compactMap { $0.isMapping ? $0.string("name") : nil }
    }
}

/// A path inside an object, as it is written in messages and JSON: `spec.workerGroupSpecs[0].template.spec`.
struct ObjectPath {
    private(set) var components: [String] = []

    mutating func push(key: String) { components.append(components.isEmpty ? key : "." + key) }
    mutating func push(index: Int) { components.append("[\(index)]") }
    mutating func pop() { components.removeLast() }

    var text: String { components.joined() }

    func appending(_ suffix: String) -> String {
        let t = text
        return t.isEmpty ? suffix : (suffix.hasPrefix("[") ? t + suffix : t + "." + suffix)
    }
}

/// Finds the images of one kind of workload inside a Kubernetes object. Extractors run in the order of
/// `KubernetesObjectReader.workloadExtractors`; each claims the `image` values it reports, so a later one
/// (and the generic fallback) skips them.
protocol WorkloadExtractor {
    /// True when the extractor reads objects of this kind.
    static func accepts(_ object: KubernetesObject) -> Bool
    static func extract(_ object: inout KubernetesObject, into analysis: inout FileAnalysis)
}

/// Reads Kubernetes objects: `List` items, ServiceAccounts, Secrets (`SecretReader`), and every workload's images.
enum KubernetesObjectReader: DocumentExtractor {
    static var id: String { "kubernetes" }
    static var fileKind: FileKind { .kubernetes }
    static func accepts(_ document: ManifestDocument) -> Bool { document.apiVersion != nil && document.kind != nil }
    static func extract(_ document: ManifestDocument, into analysis: inout FileAnalysis) {
        read(object: document.root, path: document.path, locator: document.locator, into: &analysis)
    }

    /// Workload extractors, most specific first. A new kind of workload is one file and one line here.
    static let workloadExtractors: [any WorkloadExtractor.Type] = [
        ArgoWorkflowExtractor.self,
        TektonExtractor.self,
        PodSpecExtractor.self,
        GenericImageExtractor.self,
    ]

    /// `List` nesting deeper than this is ignored.
    static let maxListDepth = 16

    static func read(object root: YAMLNode, path: String, locator: Locator, into analysis: inout FileAnalysis, depth: Int = 0) {
        guard root.isMapping, let kind = root.string("kind"), let apiVersion = root.string("apiVersion") else { return }
        if kind.hasSuffix("List"), let items = root["items"], items.isSequence {
            guard depth < maxListDepth else { return }
            for item in items.elements {
                read(object: item, path: path, locator: locator, into: &analysis, depth: depth + 1)
            }
            return
        }
        if kind == "ServiceAccount" && apiVersion == "v1" {
            let metadata = root["metadata"]
            var account = ServiceAccountInfo(
                name: metadata?.string("name") ?? "", namespace: metadata?.string("namespace"),
                imagePullSecrets: KubernetesObject.secretNames(root["imagePullSecrets"]), file: path,
                line: locator.text.line(ofByte: root.startOffset))
            account.imagePullSecretSpans = PodSpecExtractor.secretSpans(root["imagePullSecrets"], locator: locator)
            analysis.serviceAccounts.append(account)
            return
        }
        if kind == "Secret" && apiVersion == "v1" {
            analysis.secrets.append(SecretReader.read(root, path: path, locator: locator))
            return
        }
        var object = KubernetesObject(root: root, kind: kind, apiVersion: apiVersion, path: path, locator: locator)
        for extractor in workloadExtractors where extractor.accepts(object) {
            extractor.extract(&object, into: &analysis)
            object.claimed.formUnion(object.claiming)
            object.claiming.removeAll(keepingCapacity: true)
        }
    }
}

/// An origin inside a Kubernetes object: what every such origin writes first (kind, apiVersion, name,
/// namespace) and the object part of its fingerprint.
protocol KubernetesObjectOrigin {
    var kind: String { get }
    var apiVersion: String { get }
    var name: String? { get }
    var namespace: String? { get }
}

extension KubernetesObjectOrigin {
    /// `kind`, `apiVersion`, then `name` and `namespace` when set: the first members of the JSON context.
    func forEachObjectMember(_ body: (String, ContextMember) -> Void) {
        body("kind", .string(kind))
        body("apiVersion", .string(apiVersion))
        if let name { body("name", .string(name)) }
        if let namespace { body("namespace", .string(namespace)) }
    }

    /// The first-release fingerprint fields with the object's kind, namespace and name (and, when given, the
    /// container list and container) filled in.
    func objectFingerprint(containerList: String = "", container: String? = nil) -> FingerprintFields {
        var f = FingerprintFields()
        f.kind = kind
        f.namespace = namespace ?? ""
        f.name = name ?? ""
        f.containerList = containerList
        f.container = container ?? ""
        return f
    }

    /// `Kind `name``, the start of a display name.
    var objectDisplayName: String { kind + (name.map { " `\($0)`" } ?? "") }
}
