import FastYAML
import ImagelintCore

/// Patches that set images: strategic-merge patches (a container of the same name in the same object gets the
/// patch's image; a new name adds a container, as does a patch whose object is not built here) and JSON 6902
/// operations on `…/containers/N/image`.
extension KustomizeBuilder {
    func apply(_ patch: Kustomization.Patch, of k: Kustomization, to b: inout KustomizeBuild) {
        let path: String
        let bytes: [UInt8]
        var shift = (line: 0, column: 0)
        if let f = patch.file {
            path = Kustomization.join(k.directory, f.value)
            guard let data = read(path) else {
                missing(f, in: k, into: &b)
                return
            }
            b.files.append(path)
            bytes = data
        } else if let inline = patch.inline {
            path = k.path
            bytes = Array(inline.text.utf8)
            shift = (inline.line - 1, inline.column - 1)
        } else {
            return
        }
        let stream = bytes.withUnsafeBytes { YAMLStream.parse($0, options: options.parseOptions) }
        if let root = stream.documents.first?.root, root.isSequence {
            applyJSON6902(root, text: SourceText(bytes), path: path, shift: shift, patch: patch, to: &b)
            return
        }
        // `$patch: delete` removes the object it names.
        for document in stream.documents where document.root.isMapping && document.root.string("$patch") == "delete" {
            let kind = document.root.string("kind") ?? ""
            let name = document.root["metadata"]?.string("name")
            b.containers.removeAll { c in
                guard let q = c.occurrence.origin.value as? any KubernetesObjectOrigin else { return false }
                return Self.selects(patch, kind: q.kind, name: q.name, patchKind: kind, patchName: name)
            }
            b.objects.serviceAccounts.removeAll { kind == "ServiceAccount" && $0.name == name }
        }
        let a = patch.file != nil ? analysis(path) : ManifestFrontEnd.analyze(path: path, text: SourceText(bytes), options: options)
        guard let a else { return }
        for o in a.occurrences where o.source.fileKind == .kubernetes {
            guard let p = o.origin.value as? PodContainerOrigin else { continue }
            let span = Self.shifted(o.span, shift)
            let writer = ImageWriter(file: path, span: span, anchorLine: o.anchorLine + shift.line)
            var containerFound = false
            for i in b.containers.indices {
                guard let q = b.containers[i].occurrence.origin.value as? PodContainerOrigin,
                    Self.selects(patch, kind: q.kind, name: q.name, patchKind: p.kind, patchName: p.name)
                else { continue }
                guard q.podSpec == p.podSpec, q.containerList == p.containerList, q.container == p.container else { continue }
                containerFound = true
                b.containers[i].image = o.written
                b.containers[i].nameWriter = writer
                b.containers[i].tagWriter = writer
                b.containers[i].digestWriter = writer
            }
            // A new container of the object; or, when the object is not in what was built here (a remote or
            // missing base), the patch's image is still what deploys.
            if !containerFound {
                var added = o
                added.span = span
                added.anchorLine = writer.anchorLine
                b.containers.append(
                    BuiltContainer(
                        occurrence: added, image: o.written, nameWriter: writer, tagWriter: writer, digestWriter: writer,
                        namespace: p.namespace,
                        rewritable: p.containerList == "containers" || p.containerList == "initContainers"))
            }
        }
    }

    /// A patch applies to the objects its `target:` selects, else to the object it names.
    static func selects(_ patch: Kustomization.Patch, kind: String, name: String?, patchKind: String, patchName: String?) -> Bool {
        if patch.targetKind != nil || patch.targetName != nil {
            return (patch.targetKind.map { $0 == kind } ?? true) && (patch.targetName.map { $0 == name } ?? true)
        }
        return kind == patchKind && name == patchName
    }

    /// `replace`/`add` operations whose path ends in `/containers/N/image` (or `initContainers`).
    func applyJSON6902(
        _ ops: YAMLNode, text: SourceText, path: String, shift: (line: Int, column: Int), patch: Kustomization.Patch,
        to b: inout KustomizeBuild
    ) {
        let locator = Locator(text: text)
        for op in ops.elements where op.isMapping {
            guard let kind = op.string("op"), kind == "replace" || kind == "add", let target = op.string("path"),
                let valueNode = op["value"], let value = valueNode.stringValue
            else { continue }
            let parts = target.split(separator: "/").map(String.init)
            guard parts.count >= 3, parts.last == "image", let index = Int(parts[parts.count - 2]),
                parts[parts.count - 3] == "containers" || parts[parts.count - 3] == "initContainers"
            else { continue }
            let list = parts[parts.count - 3]
            let podSpec = parts.dropLast(3).joined(separator: ".")
            let (span0, anchor) = locator.locate(valueNode)
            let span = Self.shifted(span0, shift)
            let writer = ImageWriter(file: path, span: span, anchorLine: anchor + shift.line)
            // The N-th container of each selected object's list.
            var seen: [String: Int] = [:]
            for i in b.containers.indices {
                guard let q = b.containers[i].occurrence.origin.value as? PodContainerOrigin,
                    q.podSpec == podSpec, q.containerList == list,
                    patch.targetKind.map({ $0 == q.kind }) ?? true, patch.targetName.map({ $0 == q.name }) ?? true
                else { continue }
                let object = q.kind + "/" + (q.name ?? "")
                let n = seen[object, default: 0]
                seen[object] = n + 1
                guard n == index else { continue }
                b.containers[i].image = value
                b.containers[i].nameWriter = writer
                b.containers[i].tagWriter = writer
                b.containers[i].digestWriter = writer
            }
        }
    }

    static func shifted(_ s: Span, _ shift: (line: Int, column: Int)) -> Span {
        guard shift != (0, 0) else { return s }
        return Span(line: s.line + shift.line, column: s.column + shift.column, endLine: s.endLine + shift.line, endColumn: s.endColumn + shift.column)
    }
}
