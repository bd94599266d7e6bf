import FastYAML
import ImagelintCore

/// CircleCI (`.circleci/config.yml`): `executors.*.docker[].image` and `jobs.*.docker[].image`, the primary
/// container first, then its service containers. `machine.image` names a virtual machine image, not a
/// container: it is not read.
struct CircleCIExtractor: DocumentExtractor {
    static var id: String { "circleci" }
    static var fileKind: FileKind { .ci }

    static func accepts(_ document: ManifestDocument) -> Bool {
        let path = document.path
        return (path.hasSuffix(".circleci/config.yml") || path.hasSuffix(".circleci/config.yaml")) && document.kind == nil
    }

    static func extract(_ document: ManifestDocument, into analysis: inout FileAnalysis) {
        let images = CIImages(path: document.path, locator: document.locator)
        for (section, role) in [("executors", "executor"), ("jobs", "container")] {
            guard let entries = document.root[section], entries.isMapping else { continue }
            for (key, entry) in entries.entries where entry.isMapping {
                guard let docker = entry["docker"], docker.isSequence else { continue }
                for (i, container) in docker.elements.enumerated() where container.isMapping {
                    guard let image = container["image"], let text = image.stringValue else { continue }
                    let origin = CIImageOrigin(system: id, job: key.scalarText, role: i == 0 ? role : "service")
                    let (resolved, reason) = text.contains("<<")
                        ? (nil, "CircleCI parameter `\(text)` is filled in when the config is processed")
                        : CIImages.expand(text, variables: [:], what: "CircleCI")
                    analysis.occurrences.append(
                        images.occurrence(image, written: text, resolved: resolved, reason: reason, origin: origin))
                }
            }
        }
        analysis.occurrences.sort { $0.span < $1.span }
    }
}
