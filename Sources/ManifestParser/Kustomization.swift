import FastYAML
import ImagelintCore

/// A kustomization file as kustomize reads it for a build: what it includes (`resources:`, legacy `bases:`,
/// `components:`), the patches that may set images, its `namespace:`, its `images:` entries, and what it asks
/// kustomize to fetch or generate (remote resources, `helmCharts`, generator and transformer plugins), which
/// imagelint does not build.
public struct Kustomization: Sendable {
    /// A path or URL written in the file, where it is written.
    public struct Entry: Sendable, Hashable {
        public var value: String
        public var span: Span
    }

    /// One `images:` entry. Spans point at the scalars, for findings about what each one sets.
    public struct ImageOverride: Sendable, Hashable {
        public var index: Int
        public var name: String
        public var newName: String?
        public var newTag: String?
        public var digest: String?
        public var tagSuffix: String?
        public var nameSpan: Span
        public var newNameSpan: Span?
        public var newTagSpan: Span?
        public var digestSpan: Span?
        public var tagSuffixSpan: Span?
        public var anchorLine: Int
    }

    /// A patch: a file (`patchesStrategicMerge:`, `patches: - path:`, `patchesJson6902:`) or inline text,
    /// with the objects a `target:` selects.
    public struct Patch: Sendable, Hashable {
        public var file: Entry?
        /// Inline patch text, with the line and column its first content line starts at in the kustomization.
        public var inline: (text: String, line: Int, column: Int)?
        public var targetKind: String?
        public var targetName: String?

        public static func == (a: Patch, b: Patch) -> Bool {
            a.file == b.file && a.inline?.text == b.inline?.text && a.inline?.line == b.inline?.line
                && a.targetKind == b.targetKind && a.targetName == b.targetName
        }
        public func hash(into h: inout Hasher) {
            h.combine(file)
            h.combine(inline?.text)
            h.combine(targetKind)
            h.combine(targetName)
        }
    }

    public var path: String
    public var directory: String
    public var isComponent = false
    public var resources: [Entry] = []
    public var components: [Entry] = []
    public var patches: [Patch] = []
    public var namespace: String?
    public var images: [ImageOverride] = []
    /// Remote resources and generated input, as `what (where)` for the note, with the first one's span.
    public var notBuilt: [String] = []
    public var notBuiltSpan: Span?
    public var diagnostics: [Diagnostic] = []

    /// The file names kustomize looks for in a directory, in its order.
    public static let fileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"]

    /// Parses a kustomization; nil when the text is not one (not a mapping, or another kind of object).
    public static func parse(path: String, bytes: [UInt8], options: YAMLParseOptions = .init()) -> Kustomization? {
        let text = SourceText(bytes)
        let stream = bytes.withUnsafeBytes { YAMLStream.parse($0, options: options) }
        guard let root = stream.documents.first?.root, root.isMapping else {
            if let e = stream.errors.first {
                var k = Kustomization(path: path, directory: directory(of: path))
                let p = text.position(ofByte: min(e.offset, bytes.count))
                k.diagnostics.append(Diagnostic(file: path, line: p.line, column: p.column, message: "invalid YAML: " + e.message))
                return k
            }
            return nil
        }
        if let kind = root.string("kind"), kind != "Kustomization" && kind != "Component" { return nil }
        let locator = Locator(text: text)
        var k = Kustomization(path: path, directory: directory(of: path))
        k.isComponent = root.string("kind") == "Component"
        k.namespace = root.string("namespace")
        func entries(_ key: String) -> [Entry] {
            guard let list = root[key], list.isSequence else { return [] }
            return list.elements.compactMap { e in e.stringValue.map { Entry(value: $0, span: locator.locate(e).span) } }
        }
        k.resources = entries("resources") + entries("bases")
        k.components = entries("components")
        for e in entries("patchesStrategicMerge") {
            // An inline strategic-merge patch is written as a string holding YAML.
            if e.value.contains("\n") {
                k.patches.append(Patch(inline: (e.value, e.span.line, e.span.column)))
            } else {
                k.patches.append(Patch(file: e))
            }
        }
        for key in ["patches", "patchesJson6902"] {
            guard let list = root[key], list.isSequence else { continue }
            for p in list.elements where p.isMapping {
                let target = p["target"]
                var patch = Patch(targetKind: target?.string("kind"), targetName: target?.string("name"))
                if let node = p["path"], let value = node.stringValue {
                    patch.file = Entry(value: value, span: locator.locate(node).span)
                } else if let node = p["patch"], let value = node.stringValue {
                    let span = locator.locate(node).span
                    patch.inline = (value, span.line, span.column)
                } else {
                    continue
                }
                k.patches.append(patch)
            }
        }
        if let images = root["images"], images.isSequence {
            for (i, e) in images.elements.enumerated() where e.isMapping {
                guard let nameNode = e["name"], let name = nameNode.stringValue else { continue }
                let (span, anchor) = locator.locate(nameNode)
                func field(_ key: String) -> (String?, Span?) {
                    guard let n = e[key], let v = n.stringValue, !v.isEmpty else { return (nil, nil) }
                    return (v, locator.locate(n).span)
                }
                let (newName, newNameSpan) = field("newName")
                let (newTag, newTagSpan) = field("newTag")
                let (digest, digestSpan) = field("digest")
                let (suffix, suffixSpan) = field("tagSuffix")
                k.images.append(
                    ImageOverride(
                        index: i, name: name, newName: newName, newTag: newTag, digest: digest, tagSuffix: suffix,
                        nameSpan: span, newNameSpan: newNameSpan, newTagSpan: newTagSpan, digestSpan: digestSpan,
                        tagSuffixSpan: suffixSpan, anchorLine: anchor))
            }
        }
        // What kustomize fetches or generates: noted, not built.
        for e in k.resources + k.components where isRemote(e.value) {
            k.noteNotBuilt("`\(e.value)`", e.span)
        }
        for key in ["helmCharts", "helmChartInflationGenerator", "generators", "transformers"] {
            guard let node = root[key], node.isSequence, node.elements.count > 0 else { continue }
            let names = node.elements.compactMap { $0.isMapping ? $0.string("name") : $0.stringValue }
            let what = names.isEmpty ? "`\(key)`" : "`\(key)` (" + names.map { "`\($0)`" }.joined(separator: ", ") + ")"
            k.noteNotBuilt(what, locator.locate(node).span)
        }
        return k
    }

    mutating func noteNotBuilt(_ what: String, _ span: Span) {
        notBuilt.append(what)
        if notBuiltSpan == nil || span < notBuiltSpan! { notBuiltSpan = span }
    }

    /// The one note of a kustomization on what it fetches or generates.
    public var notBuiltNote: Diagnostic? {
        guard let span = notBuiltSpan else { return nil }
        return Diagnostic(
            file: path, line: span.line, column: span.column,
            message: "kustomize fetches or generates \(notBuilt.joined(separator: ", ")) here: not built by imagelint, "
                + "so the images they hold are not checked (lint `kustomize build` output for them)",
            severity: .info)
    }

    /// Remote targets as kustomize accepts them: URLs, `git@` and hosting-site paths, `?ref=` pins.
    public static func isRemote(_ value: String) -> Bool {
        value.contains("://") || value.hasPrefix("git@") || value.hasPrefix("github.com/")
            || value.hasPrefix("gitlab.com/") || value.hasPrefix("bitbucket.org/") || value.contains("?ref=")
            || value.contains("?version=")
    }

    /// Splits `name[:tag][@digest]` as kustomize does (a `:` before the last `/` belongs to a registry port).
    public static func splitImage(_ reference: String) -> (name: String, tag: String?, digest: String?) {
        KustomizeExtractor.split(reference)
    }

    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `directory/relative`, with `.` and `..` resolved by name (as kustomize does for local paths).
    public static func join(_ directory: String, _ relative: String) -> String {
        if relative.hasPrefix("/") { return normalize(relative) }
        return normalize(directory == "." ? relative : directory + "/" + relative)
    }

    /// Resolves `.` and `..` components by name; keeps leading `..` of a relative path.
    public static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for c in path.split(separator: "/", omittingEmptySubsequences: true) {
            if c == "." { continue }
            if c == "..", let last = parts.last, last != ".." {
                parts.removeLast()
                continue
            }
            if c == "..", absolute { continue }
            parts.append(c)
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }
}
