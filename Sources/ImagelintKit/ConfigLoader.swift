import BuiltinRules
import FastYAML
import ImagelintCore
import ManifestParser

/// A problem in the configuration: file, position and a message (with a suggestion for likely typos).
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// Reads `.imagelint.yml` / `.imagelint.yaml`.
public enum ConfigLoader {
    public static let fileNames = [".imagelint.yml", ".imagelint.yaml"]

    /// Looks for a configuration file from `directory` upward, stopping at the repository root (the first
    /// directory holding `.git`) or the file-system root.
    public static func discover(from directory: String) -> String? {
        var dir = directory
        while true {
            for name in fileNames {
                let candidate = FileSystem.join(dir, name)
                if FileSystem.exists(candidate), !FileSystem.isDirectory(candidate) { return candidate }
            }
            if FileSystem.exists(FileSystem.join(dir, ".git")) { return nil }
            guard let slash = dir.lastIndex(of: "/"), dir != "/" else { return nil }
            dir = slash == dir.startIndex ? "/" : String(dir[..<slash])
        }
    }

    /// Reads and validates the file at `path`.
    public static func load(path: String) throws(ConfigError) -> Configuration {
        switch FileSystem.read(path, limit: 4 * 1024 * 1024) {
        case .success(let bytes):
            return try parse(bytes, file: path)
        case .failure(let p):
            throw ConfigError(file: path, line: 1, column: 1, message: "cannot read the configuration: \(p.message)")
        }
    }

    static let topLevelKeys = [
        "rules", "registries", "tags", "floating", "exclude", "ignore", "build-args", "fail-on", "inputs",
    ]

    /// Parses configuration text.
    public static func parse(_ bytes: [UInt8], file: String) throws(ConfigError) -> Configuration {
        let stream = YAMLStream.parse(bytes)
        if let e = stream.errors.first {
            throw ConfigError(file: file, line: e.line, column: e.column, message: "invalid YAML: \(e.message)")
        }
        if stream.documents.count > 1 {
            // Only one could be read: a file of `---`, a comment, `---` and the settings would otherwise be
            // read as empty, its settings silently ignored.
            let second = stream.documents[1].startMark
            throw ConfigError(
                file: file, line: second.line + 1, column: second.column + 1,
                message: "a second YAML document starts here; the configuration must be one document (remove the extra `---`)")
        }
        var config = Configuration()
        config.source = file
        guard let doc = stream.documents.first, !doc.root.isNull else { return config }
        let reader = Reader(file: file)
        let root = doc.root
        guard root.isMapping else { throw reader.error(root, "the configuration must be a mapping of keys") }
        try reader.rejectDuplicates(root)
        for (key, value) in root.entries {
            let name = try reader.keyName(key)
            switch name {
            case "rules": try reader.rules(value, into: &config)
            case "registries":
                try reader.mapping(value, allowed: ["allowed", "private", "deprecated", "insecure", "require-namespace", "secrets"]) {
                    k, v throws(ConfigError) in
                    switch k {
                    case "allowed": config.allowedRegistries = try reader.registryList(v)
                    case "require-namespace": config.namespacedRegistries = try reader.registryList(v)
                    case "secrets":
                        switch try reader.string(v) {
                        case "complete": config.secretsComplete = true
                        case "partial": config.secretsComplete = false
                        case let other:
                            throw reader.error(v, "`registries.secrets` must be `complete` or `partial`; found `\(other)`")
                        }
                    case "insecure": config.insecureRegistries = try reader.registryList(v)
                    case "private": config.privateRegistries = try reader.registryList(v)
                    default:
                        guard v.isMapping else { throw reader.error(v, "`registries.deprecated` must map old registry to new") }
                        for (ok, nv) in v.entries {
                            let old = try reader.string(ok)
                            let new = try reader.string(nv)
                            config.deprecatedRegistries.append((old, new))
                        }
                    }
                }
            case "tags":
                try reader.mapping(value, allowed: ["patterns"]) { _, v throws(ConfigError) in
                    guard v.isSequence else { throw reader.error(v, "`tags.patterns` must be a list of {images, allow}") }
                    for item in v.elements {
                        var images: Glob? = nil
                        var allow: Pattern? = nil
                        try reader.mapping(item, allowed: ["images", "allow"]) { ik, iv throws(ConfigError) in
                            if ik == "images" { images = Glob(try reader.string(iv)) } else { allow = try reader.regex(iv) }
                        }
                        guard let images, let allow else {
                            throw reader.error(item, "a tag pattern needs both `images` (a glob) and `allow` (a regex)")
                        }
                        config.tagPatterns.append(TagPattern(images: images, allow: allow))
                    }
                }
            case "floating":
                try reader.floating(value, into: &config)
            case "exclude":
                config.exclude = try reader.stringList(value).map(Glob.init)
            case "ignore":
                try reader.mapping(value, allowed: ["images"]) { _, v throws(ConfigError) in
                    config.ignoreImages = try reader.stringList(v).map(Glob.init)
                }
            case "build-args":
                guard value.isMapping || value.isNull else { throw reader.error(value, "`build-args` must map NAME to value") }
                if value.isMapping {
                    for (k, v) in value.entries { config.buildArgs[try reader.string(k)] = try reader.string(v) }
                }
            case "inputs":
                let kinds = ManifestFrontEnd.inputKinds
                guard value.isMapping || value.isNull else {
                    throw reader.error(value, "`inputs` must map an input kind (\(kinds.joined(separator: ", "))) to true or false")
                }
                if value.isMapping {
                    for (k, v) in value.entries {
                        let kind = try reader.keyName(k)
                        guard kinds.contains(kind) else { throw reader.unknownKey(k, kind, allowed: kinds, at: "inputs.") }
                        switch v.scalarText {
                        case "true"?, "on"?: config.disabledInputs.remove(kind)
                        case "false"?, "off"?: config.disabledInputs.insert(kind)
                        default: throw reader.error(v, "`inputs.\(kind)` must be true or false")
                        }
                    }
                }
            case "fail-on":
                let s = try reader.string(value)
                guard let f = FailOn(rawValue: s) else {
                    throw reader.error(value, "`fail-on` must be one of error, warning, info, never; found `\(s)`")
                }
                config.failOn = f
            default:
                throw reader.unknownKey(key, name, allowed: topLevelKeys, at: "")
            }
        }
        return config
    }

    struct Reader {
        let file: String

        func error(_ node: YAMLNode, _ message: String) -> ConfigError {
            ConfigError(file: file, line: node.startLine + 1, column: node.startColumn + 1, message: message)
        }

        func unknownKey(_ node: YAMLNode, _ name: String, allowed: [String], at section: String) -> ConfigError {
            var message = "unknown key `\(section)\(name)`"
            if let guess = Engine.closest(to: name, in: allowed) {
                message += "; did you mean `\(section)\(guess)`?"
            } else {
                message += "; expected one of \(allowed.map { "`\($0)`" }.joined(separator: ", "))"
            }
            return error(node, message)
        }

        func keyName(_ key: YAMLNode) throws(ConfigError) -> String {
            guard key.isScalar, let s = key.scalarText else { throw error(key, "keys must be plain text") }
            return s
        }

        func string(_ node: YAMLNode) throws(ConfigError) -> String {
            guard node.isScalar, !node.isNull, let s = node.scalarText else {
                throw error(node, "expected a text value")
            }
            return s
        }

        func stringList(_ node: YAMLNode) throws(ConfigError) -> [String] {
            if node.isNull { return [] }
            if node.isScalar { return [try string(node)] }
            guard node.isSequence else { throw error(node, "expected a list of text values") }
            var out: [String] = []
            for e in node.elements { out.append(try string(e)) }
            return out
        }

        func registryList(_ node: YAMLNode) throws(ConfigError) -> [String] {
            let list = try stringList(node)
            for (i, s) in list.enumerated() where s.isEmpty || s.contains(" ") {
                throw error(node.isSequence ? node.elements[i] : node, "`\(s)` is not a registry pattern")
            }
            return list
        }

        func regex(_ node: YAMLNode) throws(ConfigError) -> Pattern {
            let s = try string(node)
            do {
                return try Pattern(s)
            } catch {
                throw self.error(node, "invalid regular expression `\(s)`: \(error)")
            }
        }

        func rejectDuplicates(_ node: YAMLNode) throws(ConfigError) {
            if let dup = node.duplicateKeys.first {
                throw error(dup, "duplicate key `\(dup.scalarText ?? "?")`")
            }
        }

        func mapping(
            _ node: YAMLNode, allowed: [String], _ body: (String, YAMLNode) throws(ConfigError) -> Void
        ) throws(ConfigError) {
            if node.isNull { return }
            guard node.isMapping else {
                throw error(node, "expected a mapping with keys \(allowed.map { "`\($0)`" }.joined(separator: ", "))")
            }
            try rejectDuplicates(node)
            for (k, v) in node.entries {
                let name = try keyName(k)
                guard allowed.contains(name) else { throw unknownKey(k, name, allowed: allowed, at: "") }
                try body(name, v)
            }
        }

        func severity(_ node: YAMLNode) throws(ConfigError) -> Severity? {
            let s = try string(node)
            switch s.lowercased() {
            case "off", "false", "none", "disabled": return nil
            default:
                guard let sev = Severity(rawValue: s.lowercased()) else {
                    throw error(node, "severity must be one of off, info, warning, error; found `\(s)`")
                }
                return sev
            }
        }

        func floating(_ node: YAMLNode, into config: inout Configuration) throws(ConfigError) {
            try mapping(node, allowed: ["fixed", "floating"]) { k, v throws(ConfigError) in
                var patterns: [Pattern] = []
                if v.isSequence {
                    for e in v.elements { patterns.append(try regex(e)) }
                } else if !v.isNull {
                    patterns.append(try regex(v))
                }
                if k == "fixed" { config.fixedTagPatterns += patterns } else { config.floatingTagPatterns += patterns }
            }
        }

        func rules(_ node: YAMLNode, into config: inout Configuration) throws(ConfigError) {
            if node.isNull { return }
            guard node.isMapping else { throw error(node, "`rules` must map rule ids to a severity") }
            try rejectDuplicates(node)
            let ids = BuiltinRules.descriptions.map(\.id)
            for (k, v) in node.entries {
                let id = try keyName(k)
                guard ids.contains(id) else {
                    var message = "unknown rule `\(id)`"
                    if let guess = Engine.closest(to: id, in: ids) { message += "; did you mean `\(guess)`?" }
                    throw error(k, message)
                }
                if v.isMapping {
                    let allowed = id == "floating-tag" ? ["severity", "fixed", "floating"] : ["severity"]
                    try mapping(v, allowed: allowed) { ok, ov throws(ConfigError) in
                        switch ok {
                        case "severity": config.ruleSeverities[id] = .some(try severity(ov))
                        default:
                            var patterns: [Pattern] = []
                            for e in try stringListNodes(ov) { patterns.append(try regex(e)) }
                            if ok == "fixed" { config.fixedTagPatterns += patterns } else { config.floatingTagPatterns += patterns }
                        }
                    }
                } else {
                    config.ruleSeverities[id] = .some(try severity(v))
                }
            }
        }

        func stringListNodes(_ node: YAMLNode) throws(ConfigError) -> [YAMLNode] {
            if node.isSequence { return Array(node.elements) }
            if node.isScalar { return [node] }
            throw error(node, "expected a list")
        }
    }
}
