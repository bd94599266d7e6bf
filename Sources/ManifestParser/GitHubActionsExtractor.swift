import FastYAML
import ImagelintCore

/// GitHub Actions: workflows (`.github/workflows/*.yml`, `*.yaml`) — `jobs.<id>.container` (a string or
/// `{image}`), `jobs.<id>.services.<name>.image`, `jobs.<id>.steps[].uses: docker://IMAGE` — and action
/// metadata (`action.yml`/`action.yaml` anywhere) — `runs.image: docker://IMAGE` (a `Dockerfile` there is
/// a build, not a pull).
///
/// An expression `${{ … }}` makes a reference unresolved, except `${{ matrix.NAME }}` when the job's
/// `strategy.matrix.NAME` is a literal list: the reference then expands to one occurrence per value, each
/// at the image scalar and naming the value in its context.
struct GitHubActionsExtractor: DocumentExtractor {
    static var id: String { "github-actions" }
    static var fileKind: FileKind { .ci }

    static func accepts(_ document: ManifestDocument) -> Bool {
        if isWorkflowPath(document.path) { return document.root["jobs"]?.isMapping ?? false }
        if isActionMetadata(document.path) { return document.root["runs"]?.isMapping ?? false }
        return false
    }

    static func isWorkflowPath(_ path: String) -> Bool {
        guard path.hasSuffix(".yml") || path.hasSuffix(".yaml") else { return false }
        let parts = path.split(separator: "/")
        return parts.count >= 3 && parts[parts.count - 3] == ".github" && parts[parts.count - 2] == "workflows"
    }

    static func isActionMetadata(_ path: String) -> Bool {
        let name = path.lastIndex(of: "/").map { path[path.index(after: $0)...] } ?? path[...]
        return name == "action.yml" || name == "action.yaml"
    }

    static func extract(_ document: ManifestDocument, into analysis: inout FileAnalysis) {
        let images = CIImages(path: document.path, locator: document.locator)
        let root = document.root
        if let runs = root["runs"], runs.isMapping, !isWorkflowPath(document.path) {
            if let image = runs["image"], let text = image.stringValue, text.hasPrefix("docker://") {
                let origin = CIImageOrigin(system: id, job: root.string("name"), role: "action")
                add(image, text: text, prefix: 9, origin: origin, matrix: [:], images: images, into: &analysis)
            }
            return
        }
        guard let jobs = root["jobs"], jobs.isMapping else { return }
        for (key, job) in jobs.entries where job.isMapping {
            let jobID = key.scalarText
            let matrix = literalMatrix(job["strategy"]?["matrix"])
            if let container = job["container"] {
                let image = container.isMapping ? container["image"] : container
                if let image, let text = image.stringValue {
                    let origin = CIImageOrigin(system: id, job: jobID, role: "container")
                    add(image, text: text, origin: origin, matrix: matrix, images: images, into: &analysis)
                }
            }
            if let services = job["services"], services.isMapping {
                for (name, service) in services.entries {
                    let image = service.isMapping ? service["image"] : service
                    guard let image, let text = image.stringValue else { continue }
                    var origin = CIImageOrigin(system: id, job: jobID, role: "service")
                    origin.name = name.scalarText
                    add(image, text: text, origin: origin, matrix: matrix, images: images, into: &analysis)
                }
            }
            if let steps = job["steps"], steps.isSequence {
                for step in steps.elements where step.isMapping {
                    guard let uses = step["uses"], let text = uses.stringValue, text.hasPrefix("docker://") else { continue }
                    var origin = CIImageOrigin(system: id, job: jobID, role: "step")
                    origin.name = step.string("name") ?? step.string("id")
                    add(uses, text: text, prefix: 9, origin: origin, matrix: matrix, images: images, into: &analysis)
                }
            }
        }
    }

    /// `strategy.matrix` entries whose value is a list of scalars.
    static func literalMatrix(_ node: YAMLNode?) -> [String: [String]] {
        guard let node, node.isMapping else { return [:] }
        var result: [String: [String]] = [:]
        for (key, value) in node.entries {
            guard let name = key.scalarText, name != "include", name != "exclude", value.isSequence,
                value.elements.allSatisfy(\.isScalar)
            else { continue }
            result[name] = value.elements.compactMap(\.scalarText)
        }
        return result
    }

    static func add(
        _ node: YAMLNode, text: String, prefix: Int = 0, origin: CIImageOrigin, matrix: [String: [String]],
        images: CIImages, into analysis: inout FileAnalysis
    ) {
        let written = String(text.dropFirst(prefix))
        guard let open = written.firstRange(of: "${{") else {
            analysis.occurrences.append(
                images.occurrence(node, written: written, prefix: prefix, resolved: written, reason: nil, origin: origin))
            return
        }
        // One matrix variable, the only expression in the text: expand it.
        if let close = written[open.upperBound...].firstRange(of: "}}") {
            let expression = written[open.upperBound..<close.lowerBound].trimmingCharacters(" ")
            let rest = written[close.upperBound...]
            if expression.hasPrefix("matrix."), !rest.contains("${{"), !written[..<open.lowerBound].contains("${{"),
                let values = matrix[String(expression.dropFirst(7))]
            {
                for value in values {
                    var o = origin
                    o.matrix = "\(expression.dropFirst(7))=\(value)"
                    let resolved = written[..<open.lowerBound] + value + rest
                    var occurrence = images.occurrence(
                        node, written: written, prefix: prefix, resolved: String(resolved), reason: nil, origin: o)
                    occurrence.note = "with `matrix.\(o.matrix!)`"
                    analysis.occurrences.append(occurrence)
                }
                return
            }
            let reason = "expression `${{ \(expression) }}` is evaluated by GitHub Actions"
            analysis.occurrences.append(
                images.occurrence(node, written: written, prefix: prefix, resolved: nil, reason: reason, origin: origin))
            return
        }
        analysis.occurrences.append(
            images.occurrence(
                node, written: written, prefix: prefix, resolved: nil, reason: "unclosed expression `${{`", origin: origin))
    }
}
