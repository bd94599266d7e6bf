import FastYAML
import ImagelintCore

/// Turns the `images:` entries of a kustomization into the references kustomize will write.
struct KustomizeExtractor: DocumentExtractor {
    let path: String
    let locator: Locator

    static var id: String { "kustomize" }
    static var fileKind: FileKind { .kustomize }

    /// A `Kustomization` or `Component` of `kustomize.config.k8s.io`, or a kustomization file without
    /// `apiVersion` and `kind`.
    static func accepts(_ document: ManifestDocument) -> Bool {
        if let kind = document.kind, let apiVersion = document.apiVersion {
            return (kind == "Kustomization" || kind == "Component") && apiVersion.hasPrefix("kustomize.config.k8s.io/")
        }
        return document.kind == nil && document.apiVersion == nil
            && ManifestFrontEnd.isKustomizationName(document.path)
    }

    static func extract(_ document: ManifestDocument, into analysis: inout FileAnalysis) {
        KustomizeExtractor(path: document.path, locator: document.locator).extract(document.root, into: &analysis)
    }

    func extract(_ root: YAMLNode, into analysis: inout FileAnalysis) {
        guard let images = root["images"], images.isSequence else { return }
        for entry in images.elements where entry.isMapping {
            guard let nameNode = entry["name"], let name = nameNode.stringValue else { continue }
            let effective = Self.effectiveReference(
                name: name, newName: entry.string("newName"), newTag: entry.string("newTag"),
                digest: entry.string("digest"), tagSuffix: entry.string("tagSuffix"))
            let context = KustomizeImageOrigin(name: name)
            let (span, anchorLine) = locator.locate(nameNode)
            analysis.occurrences.append(
                Occurrence(
                    file: path, span: span, anchorLine: anchorLine, written: effective.text,
                    resolved: effective.complete ? effective.text : nil, source: .kustomize, origin: context,
                    unresolvedReason: effective.complete ? nil : effective.reason))
        }
    }

    /// The reference kustomize writes for images matching `name`, as its image-tag filter does: `newName`
    /// replaces the name; `newTag` and/or `digest` replace both the tag and the digest of the matched
    /// image; otherwise the matched image keeps its own tag or digest, which is known only when `name`
    /// itself carries one (`name: nginx:1.25` matches only `nginx:1.25`). `tagSuffix` (without `newTag`)
    /// is appended to the kept tag.
    static func effectiveReference(
        name: String, newName: String?, newTag: String?, digest: String?, tagSuffix: String? = nil
    ) -> (text: String, complete: Bool, reason: String) {
        let (base, ownTag, ownDigest) = split(name)
        var text = newName ?? base
        var tag: String?
        var newDigest: String?
        var complete = true
        switch (newTag, digest) {
        case let (t?, d?): (tag, newDigest) = (t, d)
        case let (t?, nil): tag = t
        case let (nil, d?): newDigest = d
        case (nil, nil):
            if ownTag == nil && ownDigest == nil { complete = false }
            tag = ownTag.map { $0 + (tagSuffix ?? "") }
            newDigest = ownDigest
            if ownTag == nil && tagSuffix != nil { complete = false }
        }
        if let tag { text += ":" + tag }
        if let newDigest { text += "@" + newDigest }
        return (text, complete, "kustomize keeps the tag of the images named `\(name)` in the resources it rewrites")
    }

    /// Splits `name[:tag][@digest]` (a `:` before the last `/` belongs to a registry port).
    static func split(_ reference: String) -> (name: String, tag: String?, digest: String?) {
        var rest = Substring(reference)
        var digest: String?
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
        }
        let lastSlash = rest.lastIndex(of: "/") ?? rest.startIndex
        if let colon = rest[lastSlash...].lastIndex(of: ":") {
            return (String(rest[..<colon]), String(rest[rest.index(after: colon)...]), digest)
        }
        return (String(rest), nil, digest)
    }
}

/// An entry of a kustomization's `images:` list.
public struct KustomizeImageOrigin: OccurrenceOrigin, Hashable {
    /// The entry's `name`: the image it replaces.
    public var name: String

    public init(name: String) { self.name = name }

    public func forEachContextMember(_ body: (String, ContextMember) -> Void) {
        body("kustomizeName", .string(name))
    }

    public func forEachFingerprintField(_ body: (String) -> Void) {
        var f = FingerprintFields()
        f.kustomizeName = name
        f.forEach(body)
    }

    public var displayName: String { "images entry `\(name)`" }
}

/// An `images:` entry that rewrote no container of the builds it runs in.
public struct UnusedImageOverrideOrigin: OccurrenceOrigin, Hashable, UnusedImageOverrideFacts {
    public var overrideName: String
    public var suggestion: String?

    public init(name: String, suggestion: String?) {
        self.overrideName = name
        self.suggestion = suggestion
    }

    public func forEachContextMember(_ body: (String, ContextMember) -> Void) {
        body("kustomizeName", .string(overrideName))
        if let suggestion { body("suggestion", .string(suggestion)) }
    }

    public func forEachFingerprintField(_ body: (String) -> Void) {
        var f = FingerprintFields()
        f.kustomizeName = overrideName
        f.forEach(body)
    }

    public var displayName: String { "images entry `\(overrideName)`" }
}
