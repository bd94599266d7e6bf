import ImagelintCore
import ManifestParser

/// A file's findings as the kustomize builds that read it deploy it.
///
/// For every root whose build reads the file, each container image is checked as the build writes it, and
/// a finding is kept by the file that wrote the part at fault: the overlay's `newTag`/`digest`/`newName`
/// scalar, a patch's `image:`, or the resource's own `image:`. A finding that several roots share is
/// reported once, naming them (`in overlays/prod, overlays/staging`). `images:` entries that rewrote nothing
/// are `unused-image-override`, or — when the build has input imagelint does not build — checked as written.
extension ProjectContext {
    struct FileCheck {
        var result: Engine.FileResult
        var diagnostics: [Diagnostic]
    }

    /// Nil when no build reads `path` (the file is linted on its own).
    func check(
        path: String, analysis: FileAnalysis, text: SourceText?, engine: Engine, facts: LintFacts
    ) -> FileCheck? {
        guard !rootsByFile.isEmpty else { return nil }
        let key = canonical(path)
        guard let rootIndices = rootsByFile[key], !rootIndices.isEmpty else { return nil }
        let kustomization = kustomizations[key]

        // What the file holds outside the builds (other kinds of content, parse problems, notes).
        var own = analysis
        own.occurrences.removeAll { $0.source.fileKind == .kubernetes || $0.source == .kustomize }
        var diagnostics = Set<Diagnostic>()
        for i in rootIndices {
            for d in roots[i].build.diagnostics where d.file == key { diagnostics.insert(relocated(d, to: path)) }
        }
        if let note = kustomization?.notBuiltNote { diagnostics.insert(relocated(note, to: path)) }
        own.diagnostics += diagnostics.sorted { ($0.line, $0.column, $0.message) < ($1.line, $1.column, $1.message) }
        var result = engine.check(own, text: text, facts: facts)

        // The containers, root by root; identical findings merged with the roots named.
        var merged: [MergeKey: (finding: Finding, roots: [String])] = [:]
        var order: [MergeKey] = []
        for i in rootIndices {
            let root = roots[i]
            let occurrences = root.build.containers.compactMap { occurrence($0, key: key, path: path) }
            guard !occurrences.isEmpty else { continue }
            var rootFacts = facts
            rootFacts.objects.nearby = displayed(root.build.objects)
            let checked = engine.check(FileAnalysis(file: path, occurrences: occurrences), text: text, facts: rootFacts)
            result.references += checked.references
            var findings = checked.findings
            if !checked.deferred.isEmpty {
                if Self.needsElsewhere(checked.deferred, nearby: rootFacts.objects.nearby) {
                    rootFacts.objects.elsewhere = objects(inProjectOf: key)
                }
                findings += engine.finish(checked.deferred, facts: rootFacts)
            }
            for f in findings where f.file == path {
                let k = MergeKey(f)
                if merged[k] == nil {
                    merged[k] = (f, [])
                    order.append(k)
                }
                if !merged[k]!.roots.contains(root.name) { merged[k]!.roots.append(root.name) }
            }
        }
        for k in order {
            var (f, names) = merged[k]!
            // A file of a single build, in its root's directory, needs no root named.
            let only = rootIndices.count == 1 ? roots[rootIndices[0]] : nil
            let inItsRoot = only.map { key.hasPrefix(Kustomization.directory(of: $0.file) + "/") } ?? false
            if !inItsRoot { f.message += " (in " + names.joined(separator: ", ") + ")" }
            result.findings.append(f)
        }

        // `images:` entries that rewrote nothing in any build.
        if let kustomization, !kustomization.images.isEmpty {
            let builds = rootIndices.map { roots[$0].build }
            let complete = builds.allSatisfy(\.complete)
            var unused: [Occurrence] = []
            for e in kustomization.images {
                let entryKey = ImageOverrideKey(kustomization: key, index: e.index)
                if builds.contains(where: { $0.used.contains(entryKey) }) { continue }
                if complete {
                    let images = builds.flatMap { $0.containers.filter(\.rewritable).map(\.image) }
                    var o = Occurrence(
                        file: path, span: e.nameSpan, anchorLine: e.anchorLine, written: e.name, resolved: e.name,
                        source: .kustomize, origin: UnusedImageOverrideOrigin(name: e.name, suggestion: Self.suggestion(for: e.name, among: images)))
                    o.note = nil
                    unused.append(o)
                } else {
                    // It may rewrite what imagelint does not build: checked as written, as on its own.
                    if var o = analysis.occurrences.first(where: { $0.source == .kustomize && $0.span == e.nameSpan }) {
                        // Findings about what the entry sets point at the scalar that sets it.
                        for (part, span) in [(ReferencePart.registry, e.newNameSpan), (.repository, e.newNameSpan), (.tag, e.newTagSpan ?? e.tagSuffixSpan), (.digest, e.digestSpan)] {
                            if let span { o.parts[part] = span }
                        }
                        let checked = engine.check(FileAnalysis(file: path, occurrences: [o]), text: text, facts: facts)
                        result.findings += checked.findings
                        result.references += checked.references
                    }
                }
            }
            if !unused.isEmpty {
                let checked = engine.check(FileAnalysis(file: path, occurrences: unused), text: text, facts: facts)
                result.findings += checked.findings.filter { $0.rule == UnusedImageOverride.id }
            }
        }
        result.deferred = []
        result.findings.sort(by: Finding.reportOrder)
        return FileCheck(result: result, diagnostics: own.diagnostics)
    }

    /// The rule id, without a dependency of this file on the rule's type.
    enum UnusedImageOverride { static let id = "unused-image-override" }

    struct MergeKey: Hashable {
        let rule: String
        let span: Span
        let message: String
        let severity: Severity
        init(_ f: Finding) { (rule, span, message, severity) = (f.rule, f.span, f.message, f.severity) }
    }

    func relocated(_ d: Diagnostic, to path: String) -> Diagnostic {
        var d = d
        d.file = path
        return d
    }

    /// The image of a built container as an occurrence of the file `key` (reported as `path`), when that file
    /// wrote a part of it; parts written elsewhere point at their files, whose findings are theirs.
    func occurrence(_ c: BuiltContainer, key: String, path: String) -> Occurrence? {
        let writers = [c.nameWriter, c.tagWriter, c.digestWriter]
        guard writers.contains(where: { $0.file == key }) else { return nil }
        let original = c.occurrence
        let untouched = writers.allSatisfy { $0.file == original.file && $0.span == original.span }
        if untouched && c.image == original.written {
            var o = original
            o.file = path
            return o
        }
        let (_, tag, digest) = Kustomization.splitImage(c.image)
        let primary = tag != nil ? c.tagWriter : digest != nil ? c.digestWriter : c.tagWriter
        let nameWriter = tag == nil && digest == nil ? c.tagWriter : c.nameWriter
        func file(_ w: ImageWriter) -> String { w.file == key ? path : w.file }
        var o = Occurrence(
            file: file(primary), span: primary.span, anchorLine: primary.file == key ? primary.anchorLine : -1,
            written: c.image, resolved: c.image == original.written ? original.resolved : c.image, source: original.source,
            origin: original.origin.value)
        o.note = original.note
        for (part, w) in [(ReferencePart.registry, nameWriter), (.repository, nameWriter), (.tag, c.tagWriter), (.digest, c.digestWriter)] {
            o.parts[part] = w.span
            if w.file != primary.file { o.partFiles[part] = file(w) }
        }
        return o
    }

    /// A container image close to an entry's name: one ending in `/name`, else the nearest by edit distance.
    static func suggestion(for name: String, among images: [String]) -> String? {
        let names = Set(images.map { Kustomization.splitImage($0).name })
        if let suffixed = names.filter({ $0.hasSuffix("/" + name) }).sorted().first { return suffixed }
        let allowed = name.count >= 12 ? 3 : name.count >= 5 ? 2 : 1
        var best: (String, Int)? = nil
        for c in names.sorted() {
            let d = Engine.editDistance(name, c)
            if d <= allowed, best == nil || d < best!.1 { best = (c, d) }
        }
        return best?.0
    }
}
