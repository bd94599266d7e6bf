import FastYAML
import ImagelintCore

/// Finds `services.<name>.image` in docker-compose files, interpolating variables from the project's
/// `.env` as `docker compose config` does. Legacy version-1 files (services at the top level) are read
/// when the file has a compose name; a compose-named file whose structure compose would reject (a service
/// indented out of `services:`, `services` that is not a mapping) gets a diagnostic.
struct ComposeExtractor: DocumentExtractor {
    let path: String
    let locator: Locator
    var environment: ComposeEnvironment? = nil
    var askEnvironment: (@Sendable (String) -> ComposeEnvironment)? = nil

    static var id: String { "compose" }
    static var fileKind: FileKind { .compose }

    static func accepts(_ document: ManifestDocument) -> Bool {
        looksLikeCompose(document.root) || isComposeName(document.path)
    }

    static func extract(_ document: ManifestDocument, into analysis: inout FileAnalysis) {
        var extractor = ComposeExtractor(path: document.path, locator: document.locator)
        extractor.askEnvironment = document.options.composeEnvironment
        extractor.read(document.root, into: &analysis)
    }

    /// `compose.yaml`, `docker-compose.yml`, `docker-compose.prod.yaml`, `compose.override.yml`…
    static func isComposeName(_ path: String) -> Bool {
        let name = (path.lastIndex(of: "/").map { path[path.index(after: $0)...] } ?? path[...]).lowercased()
        guard name.hasSuffix(".yml") || name.hasSuffix(".yaml") else { return false }
        return name.hasPrefix("docker-compose") || name.hasPrefix("compose.") || name.hasPrefix("compose-")
    }

    /// Keys that only a compose service has (at least one service must have one of them).
    static let serviceKeys: Set<String> = [
        "image", "build", "command", "entrypoint", "ports", "environment", "env_file", "volumes", "depends_on",
        "extends", "container_name", "networks", "restart", "deploy", "healthcheck", "expose", "profiles",
    ]

    /// The top-level keys of the compose specification.
    static let topLevelKeys: Set<String> = ["version", "name", "services", "networks", "volumes", "configs", "secrets", "include", "models"]

    /// A top-level `services` mapping whose entries are mappings (or null), at least one with a service key.
    static func looksLikeCompose(_ root: YAMLNode) -> Bool {
        guard let services = root["services"], services.isMapping, services.count > 0 else { return false }
        return looksLikeServices(services)
    }

    static func looksLikeServices(_ services: YAMLNode) -> Bool {
        var sawService = false
        for (_, service) in services.mergedEntries {
            if service.isNull { continue }
            guard service.isMapping else { return false }
            if !sawService { sawService = isServiceShaped(service) }
        }
        return sawService
    }

    static func isServiceShaped(_ node: YAMLNode) -> Bool {
        node.isMapping && node.mergedEntries.contains { entry in entry.key.scalarText.map { serviceKeys.contains($0) } ?? false }
    }

    mutating func read(_ root: YAMLNode, into analysis: inout FileAnalysis) {
        if let services = root["services"] {
            guard services.isMapping || services.isNull else {
                diagnose(services, "`services` must be a mapping of service names to services", into: &analysis)
                return
            }
            for (key, value) in root.entries {
                guard let name = key.scalarText, !key.isMergeKey, !Self.topLevelKeys.contains(name), !name.hasPrefix("x-"),
                    Self.isServiceShaped(value)
                else { continue }
                diagnose(
                    key, "`\(name)` looks like a service but is not under `services:`; compose rejects it (check its indentation)",
                    into: &analysis)
            }
            extract(services, into: &analysis)
            return
        }
        // Version 1: every top-level key is a service.
        let entries = root.entries.filter { !$0.key.isMergeKey && !($0.key.scalarText ?? "").hasPrefix("x-") }
        if !entries.isEmpty, entries.allSatisfy({ $0.value.isMapping }), entries.contains(where: { Self.isServiceShaped($0.value) }),
            entries.allSatisfy({ !Self.topLevelKeys.contains($0.key.scalarText ?? "") })
        {
            extract(root, into: &analysis)
            return
        }
        if entries.contains(where: { Self.isServiceShaped($0.value) }) || root["version"] != nil {
            diagnose(root, "compose file without a `services:` mapping; no service was read", into: &analysis)
        }
    }

    func diagnose(_ node: YAMLNode, _ message: String, into analysis: inout FileAnalysis) {
        let p = locator.text.position(ofByte: node.startOffset)
        analysis.diagnostics.append(Diagnostic(file: path, line: p.line, column: p.column, message: message))
    }

    mutating func extract(_ services: YAMLNode, into analysis: inout FileAnalysis) {
        for (key, service) in services.mergedEntries {
            guard service.isMapping else {
                if !service.isNull {
                    diagnose(service, "service `\(key.scalarText ?? "")` must be a mapping", into: &analysis)
                }
                continue
            }
            guard let image = service["image"], let written = image.stringValue else { continue }
            // With `build:`, `image:` names what the build produces (compose builds it rather than pulling),
            // so it is not an image to check, unless `pull_policy: always` makes compose pull it first.
            if service["build"] != nil, service["pull_policy"]?.stringValue != "always" { continue }
            var context = ComposeServiceOrigin(service: key.scalarText)
            context.pullPolicy = service["pull_policy"]?.stringValue
            if environment == nil, written.contains("$") {
                environment = askEnvironment?(path) ?? ComposeEnvironment()
            }
            let (resolved, reason) = Self.interpolate(written, environment: environment?.variables ?? [:])
            // At the image as written: for services that take it through a merge key (`<<: *defaults`), the
            // anchor's line, where it would be edited (identical findings there are reported once).
            let (span, anchorLine) = locator.locate(image)
            analysis.occurrences.append(
                Occurrence(
                    file: path, span: span, anchorLine: anchorLine, written: written, resolved: resolved,
                    source: .compose, origin: context, unresolvedReason: reason))
        }
    }

    /// Compose interpolation, as the compose specification defines it, with the variables of `environment`:
    /// `${VAR:-default}` gives the default when VAR is unset or empty, `${VAR-default}` when unset;
    /// `${VAR:+alt}`/`${VAR+alt}` give the alternative when set (and non-empty); `${VAR:?err}`/`${VAR?err}`
    /// make the text unresolved with compose's message when unset; `$$` is `$`. A bare `${VAR}` or `$VAR`
    /// that is unset makes the text unresolved: `(nil, reason naming the variable)`.
    static func interpolate(_ text: String, environment: [String: String] = [:]) -> (resolved: String?, reason: String?) {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        if let reason = interpolate(bytes[...], into: &out, environment: environment, depth: 0) { return (nil, reason) }
        return (String(decoding: out, as: UTF8.self), nil)
    }

    /// Appends the interpolation of `s` to `out`; returns the reason when it cannot be resolved.
    private static func interpolate(
        _ s: ArraySlice<UInt8>, into out: inout [UInt8], environment: [String: String], depth: Int
    ) -> String? {
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
                let set = environment[name]
                if rest.isEmpty {
                    guard let set else { return "compose variable `\(name)` is not set and has no default" }
                    out += Array(set.utf8)
                    i = j + 1
                    continue
                }
                var op = rest.startIndex
                let colon = rest[op] == UInt8(ascii: ":")
                if colon { op += 1 }
                guard op < rest.endIndex else { return "invalid interpolation `${\(String(decoding: body, as: UTF8.self))}`" }
                let value = rest[(op + 1)...]
                // `:-`, `:+`, `:?` treat an empty value as unset.
                let present = set.map { !colon || !$0.isEmpty } ?? false
                switch rest[op] {
                case UInt8(ascii: "-"):
                    if present {
                        out += Array(set!.utf8)
                    } else if let reason = interpolate(value, into: &out, environment: environment, depth: depth + 1) {
                        return reason
                    }
                case UInt8(ascii: "+"):
                    if present, let reason = interpolate(value, into: &out, environment: environment, depth: depth + 1) {
                        return reason
                    }
                case UInt8(ascii: "?"):
                    if present {
                        out += Array(set!.utf8)
                    } else {
                        let message = String(decoding: value, as: UTF8.self)
                        return "compose variable `\(name)` is required" + (message.isEmpty ? "" : ": \(message)")
                    }
                default:
                    return "invalid interpolation `${\(String(decoding: body, as: UTF8.self))}`"
                }
                i = j + 1
            } else if isNameStart(n) {
                var j = i + 1
                while j < s.endIndex, isNameChar(s[j]) { j += 1 }
                let name = String(decoding: s[(i + 1)..<j], as: UTF8.self)
                guard let set = environment[name] else { return "compose variable `\(name)` is not set and has no default" }
                out += Array(set.utf8)
                i = j
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
public struct ComposeServiceOrigin: OccurrenceOrigin, Hashable, PullPolicyFact {
    public var service: String?
    /// The service's `pull_policy`, as written.
    public var pullPolicy: String?

    /// Compose's policies in Kubernetes' words (`missing` and `if_not_present` keep a local copy).
    public var imagePullPolicy: String? {
        switch pullPolicy {
        case "always"?: "Always"
        case "never"?: "Never"
        case "missing"?, "if_not_present"?: "IfNotPresent"
        default: nil
        }
    }

    public var pullPolicyText: String { "pull_policy: \(pullPolicy ?? "")" }

    public init(service: String?) { self.service = service }

    public func forEachContextMember(_ body: (String, ContextMember) -> Void) {
        if let service { body("service", .string(service)) }
        if let pullPolicy { body("pullPolicy", .string(pullPolicy)) }
    }

    public func forEachFingerprintField(_ body: (String) -> Void) {
        var f = FingerprintFields()
        f.service = service ?? ""
        f.forEach(body)
    }

    public var displayName: String { service.map { "service `\($0)`" } ?? "service" }
}
