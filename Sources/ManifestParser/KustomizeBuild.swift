import ImageReference
import FastYAML
import ImagelintCore

/// Who wrote a part of an effective image: a resource's `image:` scalar, a patch's, or an `images:` entry's
/// `newName`/`newTag`/`digest` scalar.
public struct ImageWriter: Sendable, Hashable {
    public var file: String
    public var span: Span
    public var anchorLine: Int
}

/// An `images:` entry, by kustomization file and index.
public struct ImageOverrideKey: Sendable, Hashable {
    public var kustomization: String
    public var index: Int

    public init(kustomization: String, index: Int) {
        self.kustomization = kustomization
        self.index = index
    }
}

/// A container of a build, with its image as kustomize writes it and who wrote each part of it.
public struct BuiltContainer: Sendable {
    /// The `image:` as the resource file writes it (file, span, origin).
    public var occurrence: Occurrence
    /// The image after the build's patches and `images:` entries.
    public var image: String
    public var nameWriter: ImageWriter
    public var tagWriter: ImageWriter
    public var digestWriter: ImageWriter
    /// The `images:` entries that rewrote it, in order.
    public var rewrittenBy: [ImageOverrideKey] = []
    /// The namespace after the builds' `namespace:` fields.
    public var namespace: String?
    /// False for images kustomize's image transformer does not touch (not in `containers`/`initContainers`).
    public var rewritable: Bool
}

/// What `kustomize build` of one kustomization holds, as far as images go.
public struct KustomizeBuild: Sendable {
    public var root: String
    public var containers: [BuiltContainer] = []
    public var objects = ProjectObjects()
    /// Every file the build reads: kustomizations, resources, patches.
    public var files: [String] = []
    /// The `images:` entries that rewrote some container.
    public var used: Set<ImageOverrideKey> = []
    /// Kustomizations of the build whose entries ran (and whether all their input was built here).
    public var kustomizations: [String] = []
    /// False when something is remote, generated, missing or cyclic: an entry matching nothing proves nothing.
    public var complete = true
    public var diagnostics: [Diagnostic] = []
}

/// Builds kustomizations as kustomize does, for images: resources and bases (files and directories),
/// components (applied to everything accumulated before them), then the kustomization's own patches,
/// `namespace:` and `images:` entries, each entry run in order over the images as they are by then — so an
/// overlay's entries run after its bases' and win. Reads files through `read`; caches what it parsed, so one
/// builder builds many roots cheaply. Not thread-safe.
public final class KustomizeBuilder {
    let read: (String) -> [UInt8]?
    let options: ManifestOptions
    private var kustomizations: [String: Kustomization?] = [:]
    private var analyses: [String: FileAnalysis?] = [:]
    static let maxDepth = 64
    /// Kustomizations run per build: past it (a diamond of bases including bases, 2ᴺ paths) the rest is not
    /// built, with a diagnostic, rather than running for ever.
    static let maxRuns = 4096
    private var runs = 0
    private var buildRoot = ""

    public init(options: ManifestOptions, read: @escaping (String) -> [UInt8]?) {
        self.options = options
        self.read = read
    }

    /// The kustomization in a file, parsed once.
    public func kustomization(_ file: String) -> Kustomization? {
        if let cached = kustomizations[file] { return cached }
        let k = read(file).flatMap { Kustomization.parse(path: file, bytes: $0, options: options.parseOptions) }
        kustomizations[file] = k
        return k
    }

    /// The kustomization file of a directory, if it has one.
    public func kustomizationFile(inDirectory dir: String) -> String? {
        for name in Kustomization.fileNames {
            let file = dir == "." ? name : dir + "/" + name
            if kustomization(file) != nil { return file }
        }
        return nil
    }

    func analysis(_ file: String) -> FileAnalysis? {
        if let cached = analyses[file] { return cached }
        let a = read(file).map { ManifestFrontEnd.analyze(path: file, text: SourceText($0), options: options) }
        analyses[file] = a
        return a
    }

    /// The kustomizations a kustomization includes (resources and components that are directories).
    public func includes(_ file: String) -> [String] {
        guard let k = kustomization(file) else { return [] }
        return (k.resources + k.components).compactMap { e in
            if Kustomization.isRemote(e.value) { return nil }
            let p = Kustomization.join(k.directory, e.value)
            if ManifestFrontEnd.isKustomizationName(p), kustomization(p) != nil { return p }
            return kustomizationFile(inDirectory: p)
        }
    }

    public func build(_ file: String) -> KustomizeBuild {
        var b = KustomizeBuild(root: file)
        var stack: [String] = []
        runs = 0
        buildRoot = file
        run(file, into: &b, stack: &stack)
        b.diagnostics.sort { ($0.file, $0.line, $0.column, $0.message) < ($1.file, $1.line, $1.column, $1.message) }
        return b
    }

    /// Accumulates `file`'s resources into `b` and runs its transformers over all of `b`.
    private func run(_ file: String, into b: inout KustomizeBuild, stack: inout [String]) {
        guard let k = kustomization(file) else { return }
        runs += 1
        if runs > Self.maxRuns {
            if runs == Self.maxRuns + 1 {
                b.diagnostics.append(
                    Diagnostic(
                        file: buildRoot, line: 1,
                        message: "the build runs more than \(Self.maxRuns) kustomizations; the rest is not built", severity: .warning))
            }
            b.complete = false
            return
        }
        stack.append(file)
        defer { stack.removeLast() }
        b.files.append(file)
        b.kustomizations.append(file)
        if !k.notBuilt.isEmpty || !k.diagnostics.isEmpty { b.complete = false }
        for e in k.resources where !Kustomization.isRemote(e.value) {
            let p = Kustomization.join(k.directory, e.value)
            if let sub = directoryKustomization(p, from: e, in: k, into: &b, stack: stack) {
                var inner = KustomizeBuild(root: sub)
                run(sub, into: &inner, stack: &stack)
                b.containers += inner.containers
                b.objects.add(inner.objects)
                b.files += inner.files
                b.used.formUnion(inner.used)
                b.kustomizations += inner.kustomizations
                b.complete = b.complete && inner.complete
                b.diagnostics += inner.diagnostics
            } else if let a = analysis(p) {
                b.files.append(p)
                add(a, to: &b)
            } else if !stackHolds(p, stack) {
                missing(e, in: k, into: &b)
            }
        }
        for e in k.components where !Kustomization.isRemote(e.value) {
            let p = Kustomization.join(k.directory, e.value)
            if let sub = directoryKustomization(p, from: e, in: k, into: &b, stack: stack) {
                run(sub, into: &b, stack: &stack)
            } else if !stackHolds(p, stack) {
                missing(e, in: k, into: &b)
            }
        }
        for patch in k.patches { apply(patch, of: k, to: &b) }
        if let ns = k.namespace {
            for i in b.containers.indices {
                b.containers[i].namespace = ns
                if var pod = b.containers[i].occurrence.origin.value as? PodContainerOrigin {
                    pod.namespace = ns
                    b.containers[i].occurrence.origin = Origin(pod)
                }
            }
            b.objects.setNamespace(ns)
        }
        for entry in k.images { apply(entry, of: k, to: &b) }
    }

    private func stackHolds(_ dir: String, _ stack: [String]) -> Bool {
        stack.contains { Kustomization.directory(of: $0) == dir }
    }

    /// The kustomization a directory entry names; a cycle or depth past the limit is a diagnostic.
    private func directoryKustomization(
        _ p: String, from e: Kustomization.Entry, in k: Kustomization, into b: inout KustomizeBuild, stack: [String]
    ) -> String? {
        let sub = ManifestFrontEnd.isKustomizationName(p) && kustomization(p) != nil ? p : kustomizationFile(inDirectory: p)
        guard let sub else { return nil }
        if stack.contains(sub) {
            b.complete = false
            b.diagnostics.append(
                Diagnostic(
                    file: k.path, line: e.span.line, column: e.span.column,
                    message: "`\(e.value)` includes a kustomization that includes this one (a cycle of "
                        + "\(stack.count - (stack.firstIndex(of: sub) ?? 0)) kustomizations); kustomize build fails",
                    severity: .warning))
            return nil
        }
        if stack.count >= Self.maxDepth {
            b.complete = false
            b.diagnostics.append(
                Diagnostic(
                    file: k.path, line: e.span.line, column: e.span.column,
                    message: "kustomizations nested more than \(Self.maxDepth) deep; `\(e.value)` is not built",
                    severity: .warning))
            return nil
        }
        return sub
    }

    func missing(_ e: Kustomization.Entry, in k: Kustomization, into b: inout KustomizeBuild) {
        b.complete = false
        b.diagnostics.append(
            Diagnostic(
                file: k.path, line: e.span.line, column: e.span.column,
                message: "`\(e.value)` is neither a readable file nor a directory with a kustomization; kustomize build fails",
                severity: .warning))
    }

    private func add(_ a: FileAnalysis, to b: inout KustomizeBuild) {
        b.objects.add(a)
        for o in a.occurrences where o.source.fileKind == .kubernetes {
            let writer = ImageWriter(file: o.file, span: o.span, anchorLine: o.anchorLine)
            let pod = o.origin.value as? PodContainerOrigin
            b.containers.append(
                BuiltContainer(
                    occurrence: o, image: o.written, nameWriter: writer, tagWriter: writer, digestWriter: writer,
                    namespace: (o.origin.value as? any KubernetesObjectOrigin)?.namespace,
                    rewritable: pod.map { $0.containerList == "containers" || $0.containerList == "initContainers" } ?? false))
        }
    }

    /// Runs one `images:` entry over the build's images, as kustomize's image transformer does.
    private func apply(_ e: Kustomization.ImageOverride, of k: Kustomization, to b: inout KustomizeBuild) {
        let key = ImageOverrideKey(kustomization: k.path, index: e.index)
        for i in b.containers.indices where b.containers[i].rewritable && Self.matches(b.containers[i].image, name: e.name) {
            var c = b.containers[i]
            var (name, tag, digest) = KustomizeExtractor.split(c.image)
            if let n = e.newName, let s = e.newNameSpan {
                name = n
                c.nameWriter = ImageWriter(file: k.path, span: s, anchorLine: s.line)
            }
            // A new tag or digest replaces both the tag and the digest.
            if e.newTag != nil || e.digest != nil {
                tag = e.newTag
                digest = e.digest
                let tagWriter = e.newTagSpan ?? e.digestSpan!
                c.tagWriter = ImageWriter(file: k.path, span: tagWriter, anchorLine: tagWriter.line)
                let digestWriter = e.digestSpan ?? e.newTagSpan!
                c.digestWriter = ImageWriter(file: k.path, span: digestWriter, anchorLine: digestWriter.line)
            } else if let suffix = e.tagSuffix, let s = e.tagSuffixSpan {
                tag = (tag ?? "") + suffix
                c.tagWriter = ImageWriter(file: k.path, span: s, anchorLine: s.line)
            }
            c.image = name + (tag.map { ":" + $0 } ?? "") + (digest.map { "@" + $0 } ?? "")
            c.rewrittenBy.append(key)
            b.containers[i] = c
            b.used.insert(key)
        }
    }

    /// kustomize's match of an `images:` name against an image: the name (a regular expression in which
    /// only `.` is special for image names) followed by nothing, a `:tag` and/or an `@sha256:` digest.
    public static func matches(_ image: String, name: String) -> Bool {
        let s = Array(image.utf8)
        let t = Array(name.utf8)
        guard s.count >= t.count, !t.isEmpty else { return false }
        for i in t.indices where t[i] != UInt8(ascii: ".") && t[i] != s[i] { return false }
        var i = t.count
        // kustomize's pattern for what may follow the name: the reference grammar's tag bytes, and `{` `}`.
        func isTagByte(_ c: UInt8) -> Bool { ImageReference.isTagByte(c) || c == 0x7B || c == 0x7D }
        if i < s.count, s[i] == UInt8(ascii: ":") {
            i += 1
            while i < s.count, isTagByte(s[i]) { i += 1 }
        }
        if i < s.count {
            let digest = Array("@sha256:".utf8)
            guard s.count - i >= digest.count, Array(s[i..<(i + digest.count)]) == digest else { return false }
            i += digest.count
            while i < s.count, isTagByte(s[i]) { i += 1 }
        }
        return i == s.count
    }
}
