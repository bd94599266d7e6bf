import FastYAML
import ImagelintCore

/// Bitbucket Pipelines (`bitbucket-pipelines.yml`): the top-level `image`, `definitions.services.*.image`
/// and every step's `image` (in `pipelines`, `definitions.steps`, parallel and stage groups), each a string or
/// `{name}`.
struct BitbucketPipelinesExtractor: DocumentExtractor {
    static var id: String { "bitbucket-pipelines" }
    static var fileKind: FileKind { .ci }

    static func accepts(_ document: ManifestDocument) -> Bool {
        let path = document.path
        let name = path.lastIndex(of: "/").map { path[path.index(after: $0)...] } ?? path[...]
        return (name == "bitbucket-pipelines.yml" || name == "bitbucket-pipelines.yaml") && document.kind == nil
    }

    static func extract(_ document: ManifestDocument, into analysis: inout FileAnalysis) {
        let images = CIImages(path: document.path, locator: document.locator)
        let root = document.root
        if let image = root["image"] {
            add(image, origin: CIImageOrigin(system: id, job: nil, role: "image"), images: images, into: &analysis)
        }
        if let services = root["definitions"]?["services"], services.isMapping {
            for (name, service) in services.entries where service.isMapping {
                guard let image = service["image"] else { continue }
                var origin = CIImageOrigin(system: id, job: nil, role: "service")
                origin.name = name.scalarText
                add(image, origin: origin, images: images, into: &analysis)
            }
        }
        var seen = Set<Int>()
        for key in ["pipelines", "definitions"] {
            if let node = root[key] { steps(in: node, images: images, seen: &seen, into: &analysis, depth: 0) }
        }
        analysis.occurrences.sort { $0.span < $1.span }
    }

    /// Every `step:` mapping below `node` (an aliased step is reported once, where it is written).
    static func steps(in node: YAMLNode, images: CIImages, seen: inout Set<Int>, into analysis: inout FileAnalysis, depth: Int) {
        guard depth < 32 else { return }
        if node.isMapping {
            for (key, value) in node.entries {
                if key.scalarEquals("step"), value.isMapping {
                    if let image = value["image"], seen.insert(image.resolved.startOffset).inserted {
                        var origin = CIImageOrigin(system: id, job: value.string("name"), role: "step")
                        origin.name = value.string("name")
                        add(image, origin: origin, images: images, into: &analysis)
                    }
                } else if !value.isScalar {
                    steps(in: value, images: images, seen: &seen, into: &analysis, depth: depth + 1)
                }
            }
        } else if node.isSequence {
            for element in node.elements where !element.isScalar {
                steps(in: element, images: images, seen: &seen, into: &analysis, depth: depth + 1)
            }
        }
    }

    static func add(_ image: YAMLNode, origin: CIImageOrigin, images: CIImages, into analysis: inout FileAnalysis) {
        let node = image.isMapping ? image["name"] : image
        guard let node, let text = node.stringValue else { return }
        let (resolved, reason) = CIImages.expand(text, variables: [:], what: "Bitbucket Pipelines")
        analysis.occurrences.append(images.occurrence(node, written: text, resolved: resolved, reason: reason, origin: origin))
    }
}
