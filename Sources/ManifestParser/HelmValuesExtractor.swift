import FastYAML
import ImagelintCore

/// Helm chart values: `values.yaml` and `values-*.yaml` in a chart folder (a `Chart.yaml` beside them).
///
/// The image blocks of the Bitnami and `helm create` conventions — a mapping under a key named `image` (or
/// ending in `Image`) with `repository` and optional `registry`, `tag`, `digest` — are assembled as the
/// chart's templates usually assemble them (`registry/repository:tag@digest`); an empty or missing `tag`
/// means the chart's `appVersion`, which findings then say. Plain string `image:` values are read as
/// they are. A finding points at the scalar that carries the problem: `tag` for a latest or floating tag,
/// `repository` for a missing tag, `registry` for an untrusted or deprecated registry. The block's
/// `pullPolicy` and `pullSecrets` feed the pull-policy and pull-secret rules. Templates are not read (one
/// "render it first" note per chart).
struct HelmValuesExtractor: DocumentExtractor {
    static var id: String { "helm-values" }
    static var fileKind: FileKind { .helm }

    static func accepts(_ document: ManifestDocument) -> Bool {
        guard document.kind == nil, document.apiVersion == nil, isValuesName(document.path),
            let read = document.options.readFile
        else { return false }
        return read(chartFile(of: document.path)) != nil
    }

    static func isValuesName(_ path: String) -> Bool {
        let name = path.lastIndex(of: "/").map { path[path.index(after: $0)...] } ?? path[...]
        guard name.hasSuffix(".yaml") || name.hasSuffix(".yml") else { return false }
        let stem = name.hasSuffix(".yaml") ? name.dropLast(5) : name.dropLast(4)
        return stem == "values" || stem.hasPrefix("values-")
    }

    static func chartFile(of path: String) -> String {
        (path.lastIndex(of: "/").map { String(path[...$0]) } ?? "") + "Chart.yaml"
    }

    static func extract(_ document: ManifestDocument, into analysis: inout FileAnalysis) {
        var appVersion: String? = nil
        var chart: String? = nil
        if let bytes = document.options.readFile?(chartFile(of: document.path)) {
            let stream = bytes.withUnsafeBytes { YAMLStream.parse($0) }
            if let root = stream.documents.first?.root, root.isMapping {
                appVersion = root["appVersion"]?.scalarText.flatMap { $0.isEmpty ? nil : $0 }
                chart = root.string("name")
            }
        }
        let root = document.root
        var sharedSecrets = KubernetesObject.secretNames(root["imagePullSecrets"]) + secretList(root["imagePullSecrets"])
        sharedSecrets += secretList(root["global"]?["imagePullSecrets"]) + KubernetesObject.secretNames(root["global"]?["imagePullSecrets"])
        var reader = Reader(
            path: document.path, locator: document.locator, chart: chart, appVersion: appVersion, sharedSecrets: sharedSecrets)
        var path = ObjectPath()
        reader.walk(root, path: &path, into: &analysis, depth: 0)
        analysis.occurrences.sort { $0.span < $1.span }
    }

    /// `pullSecrets` as a list of names or of `{name}`.
    static func secretList(_ node: YAMLNode?) -> [String] {
        guard let node, node.isSequence else { return [] }
        return node.elements.compactMap(\.stringValue)
    }

    struct Reader {
        let path: String
        let locator: Locator
        let chart: String?
        let appVersion: String?
        let sharedSecrets: [String]

        mutating func walk(_ node: YAMLNode, path: inout ObjectPath, into analysis: inout FileAnalysis, depth: Int) {
            guard depth < 64, node.isMapping else {
                if node.isSequence, depth < 64 {
                    for (i, element) in node.elements.enumerated() where element.isMapping {
                        path.push(index: i)
                        walk(element, path: &path, into: &analysis, depth: depth + 1)
                        path.pop()
                    }
                }
                return
            }
            for (key, value) in node.entries {
                guard let name = key.scalarText, !key.isMergeKey else { continue }
                path.push(key: name)
                defer { path.pop() }
                let isImageKey = name == "image" || (name.hasSuffix("Image") && name.count > 5)
                if isImageKey, value.isMapping, let repository = value["repository"], repository.stringValue != nil {
                    block(value, repository: repository, path: path.text, into: &analysis)
                } else if isImageKey, value.isScalar, let text = value.stringValue {
                    var origin = HelmImageOrigin(path: path.text)
                    origin.chart = chart
                    origin.pullPolicy = node.string("pullPolicy") ?? node.string("imagePullPolicy")
                    origin.imagePullSecrets = sharedSecrets
                    let (span, anchorLine) = locator.locate(value)
                    analysis.occurrences.append(
                        Occurrence(
                            file: self.path, span: span, anchorLine: anchorLine, written: text, resolved: text,
                            source: .helmValues, origin: origin))
                } else if !value.isScalar {
                    walk(value, path: &path, into: &analysis, depth: depth + 1)
                }
            }
        }

        func block(_ block: YAMLNode, repository: YAMLNode, path: String, into analysis: inout FileAnalysis) {
            var text = ""
            var parts: [ReferencePart: Span] = [:]
            if let registry = block["registry"], let r = registry.stringValue {
                text += r + "/"
                parts[.registry] = locator.locate(registry).span
            }
            text += repository.stringValue ?? ""
            let (span, anchorLine) = locator.locate(repository)
            parts[.repository] = span
            var note: String? = nil
            if let tag = block["tag"], tag.isScalar, let t = tag.scalarText, !t.isEmpty, !tag.isNull {
                text += ":" + t
                parts[.tag] = locator.locate(tag).span
            } else if let appVersion {
                text += ":" + appVersion
                note = "the empty `tag` means the chart's appVersion `\(appVersion)`"
            }
            if let digest = block["digest"], let d = digest.stringValue {
                text += "@" + d
                parts[.digest] = locator.locate(digest).span
            }
            var origin = HelmImageOrigin(path: path)
            origin.chart = chart
            origin.pullPolicy = block.string("pullPolicy")
            origin.imagePullSecrets = HelmValuesExtractor.secretList(block["pullSecrets"])
                + KubernetesObject.secretNames(block["pullSecrets"]) + sharedSecrets
            var occurrence = Occurrence(
                file: self.path, span: span, anchorLine: anchorLine, written: text, resolved: text, source: .helmValues,
                origin: origin)
            occurrence.parts = parts
            occurrence.note = note
            analysis.occurrences.append(occurrence)
        }
    }
}

extension ImageSource {
    /// An image of a Helm chart's values.
    public static let helmValues = ImageSource("helm-values", fileKind: .helm)
}

/// An image of a Helm chart's values: where it is in the values, and its block's pull settings.
public struct HelmImageOrigin: OccurrenceOrigin, Hashable, PullPolicyFact, PullSecretFacts {
    /// The chart's `name` from `Chart.yaml`.
    public var chart: String?
    /// The image's path in the values: `image`, `metrics.image`, `sidecars[0].image`.
    public var path: String
    /// The block's `pullPolicy`.
    public var pullPolicy: String?
    /// The block's `pullSecrets` with the chart-wide `imagePullSecrets` / `global.imagePullSecrets`.
    public var imagePullSecrets: [String] = []

    public init(path: String) { self.path = path }

    public var imagePullPolicy: String? { pullPolicy }
    public var pullPolicyText: String { "pullPolicy: \(pullPolicy ?? "")" }
    public var namespace: String? { nil }
    public var serviceAccountName: String? { nil }

    public func forEachContextMember(_ body: (String, ContextMember) -> Void) {
        if let chart { body("chart", .string(chart)) }
        body("path", .string(path))
        if let pullPolicy { body("pullPolicy", .string(pullPolicy)) }
        body("imagePullSecrets", .strings(imagePullSecrets))
    }

    public func forEachFingerprintField(_ body: (String) -> Void) {
        FingerprintFields().forEach(body)
        body(chart ?? "")
        body(path)
    }

    public var displayName: String { "values `\(path)`" }
}
