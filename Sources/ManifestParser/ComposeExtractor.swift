import FastYAML
import ImagelintCore

/// Finds `services.<name>.image` in docker-compose files.
struct ComposeExtractor: DocumentExtractor {
    let path: String
    let locator: Locator

    static var fileKind: FileKind { .compose }
    static func accepts(_ document: ManifestDocument) -> Bool { looksLikeCompose(document.root) }
    static func extract(_ document: ManifestDocument, into analysis: inout FileAnalysis) {
        ComposeExtractor(path: document.path, locator: document.locator).extract(document.root, into: &analysis)
    }

    /// Keys that only a compose service has (at least one service must have one of them).
    static let serviceKeys: Set<String> = [
        "image", "build", "command", "entrypoint", "ports", "environment", "env_file", "volumes", "depends_on",
        "extends", "container_name", "networks", "restart", "deploy", "healthcheck", "expose", "profiles",
    ]

    /// A top-level `services` mapping whose entries are mappings (or null), at least one with a service key.
    static func looksLikeCompose(_ root: YAMLNode) -> Bool {
        guard let services = root["services"], services.isMapping, services.count > 0 else { return false }
        var sawService = false
        for (_, service) in services.mergedEntries {
            if service.isNull { continue }
            guard service.isMapping else { return false }
            if !sawService {
                sawService = service.mergedEntries.contains { entry in
                    entry.key.scalarText.map { serviceKeys.contains($0) } ?? false
                }
            }
        }
        return sawService
    }

    func extract(_ root: YAMLNode, into analysis: inout FileAnalysis) {
        guard let services = root["services"] else { return }
        for (key, service) in services.mergedEntries where service.isMapping {
            guard let image = service["image"], let written = image.stringValue else { continue }
            // With `build:`, `image:` names what the build produces (compose builds it rather than pulling),
            // so it is not an image to check, unless `pull_policy: always` makes compose pull it first.
            if service["build"] != nil, service["pull_policy"]?.stringValue != "always" { continue }
            let context = ComposeServiceOrigin(service: key.scalarText)
            let (resolved, reason) = Self.interpolate(written)
            let (span, anchorLine) = locator.locate(Self.positionNode(image: image, service: service))
            analysis.occurrences.append(
                Occurrence(
                    file: path, span: span, anchorLine: anchorLine, written: written, resolved: resolved,
                    source: .compose, origin: context, unresolvedReason: reason))
        }
    }

    /// Where to report a service's image: the `image` value when the service writes it, or the alias of
    /// the merge key (`<<: *base`) it came through, so each service's occurrence has its own position.
    static func positionNode(image: YAMLNode, service: YAMLNode) -> YAMLNode {
        var viaMerge: YAMLNode?
        for (key, value) in service.entries {
            if key.scalarEquals("image") && !key.isMergeKey { return image }
            guard viaMerge == nil, key.isMergeKey else { continue }
            let sources = value.isSequence ? Array(value.elements) : [value]
            viaMerge = sources.first { $0["image"] != nil }
        }
        return viaMerge ?? image
    }

    /// Compose interpolation with every variable unset: `${VAR:-default}` and `${VAR-default}` give the
    /// default, `${VAR:+alt}`/`${VAR+alt}` give nothing, `$$` is `$`. A bare `${VAR}`, `$VAR`, or
    /// `${VAR:?err}` makes the text unresolved: `(nil, reason naming the variable)`.
    static func interpolate(_ text: String) -> (resolved: String?, reason: String?) {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        if let reason = interpolate(bytes[...], into: &out, depth: 0) { return (nil, reason) }
        return (String(decoding: out, as: UTF8.self), nil)
    }

    /// Appends the interpolation of `s` to `out`; returns the reason when it cannot be resolved.
    private static func interpolate(_ s: ArraySlice<UInt8>, into out: inout [UInt8], depth: Int) -> String? {
        guard depth < 16 else { return "interpolation nested too deeply" }
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            guard c == UInt8(ascii: "$"), i + 1 < s.endIndex else {
                out.append(c)
                i += 1
                continue
            }
            let n = s[i + 1]
            if n == UInt8(ascii: "$") {
                out.append(c)
                i += 2
            } else if n == UInt8(ascii: "{") {
                // Find the matching brace (defaults may nest `${…}`).
                var level = 1
                var j = i + 2
                while j < s.endIndex {
                    if s[j] == UInt8(ascii: "{") { level += 1 }
                    if s[j] == UInt8(ascii: "}") {
                        level -= 1
                        if level == 0 { break }
                    }
                    j += 1
                }
                guard j < s.endIndex else {
                    return "invalid interpolation `\(String(decoding: s[i...], as: UTF8.self))`"
                }
                let body = s[(i + 2)..<j]
                var k = body.startIndex
                while k < body.endIndex, isNameChar(body[k]) { k += 1 }
                let name = String(decoding: body[body.startIndex..<k], as: UTF8.self)
                let rest = body[k...]
                if name.isEmpty { return "invalid interpolation `${\(String(decoding: body, as: UTF8.self))}`" }
                if rest.isEmpty { return "compose variable `\(name)` has no default" }
                var op = rest.startIndex
                let colon = rest[op] == UInt8(ascii: ":")
                if colon { op += 1 }
                guard op < rest.endIndex else { return "invalid interpolation `${\(String(decoding: body, as: UTF8.self))}`" }
                let value = rest[(op + 1)...]
                switch rest[op] {
                case UInt8(ascii: "-"):
                    if let reason = interpolate(value, into: &out, depth: depth + 1) { return reason }
                case UInt8(ascii: "+"):
                    break  // unset: the alternative is not used
                case UInt8(ascii: "?"):
                    return "compose variable `\(name)` is required"
                default:
                    return "invalid interpolation `${\(String(decoding: body, as: UTF8.self))}`"
                }
                i = j + 1
            } else if isNameStart(n) {
                var j = i + 1
                while j < s.endIndex, isNameChar(s[j]) { j += 1 }
                return "compose variable `\(String(decoding: s[(i + 1)..<j], as: UTF8.self))` has no default"
            } else {
                out.append(c)
                i += 1
            }
        }
        return nil
    }

    static func isNameStart(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
    }
    static func isNameChar(_ c: UInt8) -> Bool { isNameStart(c) || (c >= 0x30 && c <= 0x39) }
}

/// A service of a docker-compose file.
public struct ComposeServiceOrigin: OccurrenceOrigin, Hashable {
    public var service: String?

    public init(service: String?) { self.service = service }

    public func forEachContextMember(_ body: (String, ContextMember) -> Void) {
        if let service { body("service", .string(service)) }
    }

    public func forEachFingerprintField(_ body: (String) -> Void) {
        var f = FingerprintFields()
        f.service = service ?? ""
        f.forEach(body)
    }

    public var displayName: String { service.map { "service `\($0)`" } ?? "service" }
}
