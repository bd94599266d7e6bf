import FastYAML
import ImagelintCore

/// GitLab CI: `.gitlab-ci.yml` (and `*.gitlab-ci.yml`), and the YAML files it `include:`s as `local:` when
/// they are in the tree. Top-level and `default:` `image`/`services`; job `image` (a string or `{name,
/// pull_policy, entrypoint}`) and `services` (strings or `{name, alias}`). Hidden jobs (`.name`) and
/// `extends:` are merged as GitLab merges them: a job's own keys win over those of the jobs it extends (the
/// later of several), which win over `default:` and the top level; variables merge key by key.
/// `$VAR`/`${VAR}` expand from literal top-level and job `variables:`; others (CI-provided, secrets) leave
/// the reference unresolved. `pull_policy` feeds the `pull-policy` rule.
///
/// Each image is reported in the file where it is written, once per expansion, naming the first job that
/// runs it; an image no job reaches (a hidden job nobody extends) is reported as written.
struct GitLabCIExtractor: DocumentExtractor {
    static var id: String { "gitlab-ci" }
    static var fileKind: FileKind { .ci }

    static let keywords: Set<String> = [
        "image", "services", "stages", "types", "variables", "workflow", "include", "default", "before_script",
        "after_script", "cache", "spec",
    ]

    static func accepts(_ document: ManifestDocument) -> Bool {
        guard document.apiVersion == nil, document.kind == nil else { return false }
        if isGitLabName(document.path) { return true }
        guard looksLikeJobs(document.root), let read = document.options.readFile else { return false }
        return Project.root(including: document.path, read: read) != nil
    }

    static func isGitLabName(_ path: String) -> Bool {
        path.hasSuffix(".gitlab-ci.yml") || path.hasSuffix(".gitlab-ci.yaml") || path == "gitlab-ci.yml"
    }

    /// A mapping with at least one entry that could be a job or a job template (a mapping with `script`,
    /// `extends`, `image`…), and no compose `services:` mapping. Only such files are looked up in the
    /// includes of an enclosing `.gitlab-ci.yml`.
    static func looksLikeJobs(_ root: YAMLNode) -> Bool {
        guard root.isMapping, root["services"]?.isMapping != true else { return false }
        return root.entries.contains { entry in
            entry.value.isMapping
                && ["script", "extends", "trigger", "stage", "run", "image", "services", "before_script", "needs", "rules"]
                    .contains { entry.value[$0] != nil }
        }
    }

    static func extract(_ document: ManifestDocument, into analysis: inout FileAnalysis) {
        var project = Project(current: document.path, currentRoot: document.root)
        if let read = document.options.readFile {
            if isGitLabName(document.path) {
                for missing in project.loadIncludes(of: document.root, file: document.path, read: read) {
                    let p = document.locator.text.position(ofByte: missing.node.startOffset)
                    analysis.diagnostics.append(
                        Diagnostic(
                            file: document.path, line: p.line, column: p.column,
                            message: "local include `\(missing.path)` is not in the tree; its jobs were not read",
                            severity: .info))
                }
            } else if let root = Project.root(including: document.path, read: read) {
                project.load(root: root, read: read)
            }
        }
        project.report(images: CIImages(path: document.path, locator: document.locator), into: &analysis)
    }

    /// The pipeline as GitLab assembles it: the root file and its local includes, jobs by name.
    struct Project {
        let current: String
        /// Top-level documents in merge order (includes first, then the including file), with their files.
        var documents: [(root: YAMLNode, file: String)] = []

        /// The document being linted.
        let ownRoot: YAMLNode

        init(current: String, currentRoot: YAMLNode) {
            self.current = current
            self.ownRoot = currentRoot
            documents = [(currentRoot, current)]
        }

        /// The `.gitlab-ci.yml` of an enclosing folder that includes `path`, read with `read`.
        static func root(including path: String, read: (String) -> [UInt8]?) -> (file: String, root: YAMLNode)? {
            var dir = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
            for _ in 0..<12 {
                let candidate = dir.isEmpty ? ".gitlab-ci.yml" : dir + "/.gitlab-ci.yml"
                if let bytes = read(candidate), let root = parse(bytes) {
                    let relative = dir.isEmpty ? path : String(path.dropFirst(dir.count + 1))
                    if localIncludes(root).contains(normalize(relative)) { return (candidate, root) }
                    return nil
                }
                if dir.isEmpty || dir == "." || dir == "/" { return nil }
                dir = dir.lastIndex(of: "/").map { String(dir[..<$0]) } ?? ""
            }
            return nil
        }

        static func parse(_ bytes: [UInt8]) -> YAMLNode? {
            let stream = bytes.withUnsafeBytes { YAMLStream.parse($0) }
            // A CI/CD component starts with a `spec:` header document; the pipeline is the next one.
            return stream.documents.map(\.root).first { $0.isMapping && !($0.count == 1 && $0["spec"] != nil) }
        }

        static func normalize(_ path: String) -> String {
            var p = Substring(path)
            while p.hasPrefix("/") || p.hasPrefix("./") { p = p.hasPrefix("/") ? p.dropFirst() : p.dropFirst(2) }
            return String(p)
        }

        /// The `local:` includes of a root (strings without a scheme count as local).
        static func localIncludes(_ root: YAMLNode) -> [String] { localIncludeNodes(root).map(\.path) }

        /// The `local:` includes with the scalars that name them (wildcards are left out).
        static func localIncludeNodes(_ root: YAMLNode) -> [(path: String, node: YAMLNode)] {
            guard let include = root["include"] else { return [] }
            let items = include.isSequence ? Array(include.elements) : [include]
            var paths: [(String, YAMLNode)] = []
            for item in items {
                if let s = item.stringValue, !s.contains("://") {
                    paths.append((normalize(s), item))
                } else if item.isMapping, let node = item["local"], let local = node.stringValue {
                    paths.append((normalize(local), node))
                }
            }
            return paths.filter { !$0.0.contains("*") }
        }

        mutating func load(root: (file: String, root: YAMLNode), read: (String) -> [UInt8]?) {
            documents = []
            let dir = root.file.lastIndex(of: "/").map { String(root.file[...$0]) } ?? ""
            for include in Self.localIncludes(root.root) {
                let file = dir + include
                if Self.normalize(file) == Self.normalize(current) {
                    documents.append((ownRoot, current))
                } else if let bytes = read(file), let doc = Self.parse(bytes) {
                    documents.append((doc, file))
                }
            }
            documents.append((root.root, root.file))
        }

        /// Loads the local includes of the root being linted; returns those that are not in the tree.
        mutating func loadIncludes(of root: YAMLNode, file: String, read: (String) -> [UInt8]?) -> [(path: String, node: YAMLNode)] {
            documents = []
            var missing: [(path: String, node: YAMLNode)] = []
            let dir = file.lastIndex(of: "/").map { String(file[...$0]) } ?? ""
            for include in Self.localIncludeNodes(root) {
                if let bytes = read(dir + include.path) {
                    if let doc = Self.parse(bytes) { documents.append((doc, dir + include.path)) }
                } else {
                    missing.append(include)
                }
            }
            documents.append((root, file))
            return missing
        }

        /// Jobs by name (later documents override earlier ones), in the order first defined.
        var jobs: [(name: String, node: YAMLNode, file: String)] {
            var order: [String] = []
            var table: [String: (YAMLNode, String)] = [:]
            for (root, file) in documents {
                for (key, value) in root.entries where value.isMapping {
                    guard let name = key.scalarText, !GitLabCIExtractor.keywords.contains(name) else { continue }
                    if table[name] == nil { order.append(name) }
                    table[name] = (value, file)
                }
            }
            return order.map { ($0, table[$0]!.0, table[$0]!.1) }
        }

        /// A top-level keyword, the last document that sets it winning.
        func global(_ key: String) -> (YAMLNode, String)? {
            for (root, file) in documents.reversed() {
                if let v = root[key] { return (v, file) }
            }
            return nil
        }

        func report(images: CIImages, into analysis: inout FileAnalysis) {
            let jobs = self.jobs
            var byName: [String: (node: YAMLNode, file: String)] = [:]
            for j in jobs { byName[j.name] = (j.node, j.file) }
            let defaults = global("default")
            var topVariables: [String: String] = [:]
            if let (v, _) = global("variables") { Self.addVariables(v, into: &topVariables) }

            var reported = Set<String>()
            var reachedOffsets = Set<Int>()
            var reaching = true
            func emit(_ node: YAMLNode, file: String, role: String, job: String?, variables: [String: String], into analysis: inout FileAnalysis) {
                guard file == current else { return }
                let items: [YAMLNode] = role == "service" ? (node.isSequence ? Array(node.elements) : []) : [node]
                for item in items {
                    let nameNode = item.isMapping ? item["name"] : item
                    guard let nameNode, let text = nameNode.stringValue else { continue }
                    if reaching {
                        reachedOffsets.insert(nameNode.startOffset)
                    } else if reachedOffsets.contains(nameNode.startOffset) {
                        continue  // a job reached it: reported with that job's variables
                    }
                    let (resolved, reason) = CIImages.expand(text, variables: variables, what: "GitLab CI")
                    let key = "\(nameNode.startOffset)|\(resolved ?? "?")"
                    guard reported.insert(key).inserted else { continue }
                    var origin = CIImageOrigin(system: GitLabCIExtractor.id, job: job, role: role)
                    if item.isMapping {
                        origin.name = item.string("alias")
                        if let policy = item["pull_policy"] {
                            origin.pullPolicy = policy.isSequence ? policy[0]?.stringValue : policy.stringValue
                        }
                    }
                    analysis.occurrences.append(
                        images.occurrence(nameNode, written: text, resolved: resolved, reason: reason, origin: origin))
                }
            }

            for (name, node, file) in jobs where !name.hasPrefix(".") {
                var variables = topVariables
                let chain = Self.chain(node, file: file, byName: byName)
                for link in chain.reversed() { if let v = link.node["variables"] { Self.addVariables(v, into: &variables) } }
                for key in ["image", "services"] {
                    let role = key == "image" ? "image" : "service"
                    if let found = chain.lazy.compactMap({ link in link.node[key].map { ($0, link.file) } }).first {
                        emit(found.0, file: found.1, role: role, job: name, variables: variables, into: &analysis)
                    } else if let (d, file) = defaults, let v = d[key] {
                        emit(v, file: file, role: role, job: name, variables: variables, into: &analysis)
                    } else if let (v, file) = global(key) {
                        emit(v, file: file, role: role, job: name, variables: variables, into: &analysis)
                    }
                }
            }
            // What no job reached: hidden jobs nobody extends, a default every job overrides.
            reaching = false
            var rest: [(YAMLNode, String?)] = []
            if let (root, _) = documents.last(where: { $0.file == current }) {
                rest.append((root, nil))
                if let d = root["default"] { rest.append((d, nil)) }
                for (key, value) in root.entries where value.isMapping {
                    guard let name = key.scalarText, !GitLabCIExtractor.keywords.contains(name) else { continue }
                    rest.append((value, name))
                }
            }
            for (node, job) in rest {
                var variables = topVariables
                if job != nil, let v = node["variables"] { Self.addVariables(v, into: &variables) }
                for key in ["image", "services"] {
                    if let v = node[key] {
                        emit(v, file: current, role: key == "image" ? "image" : "service", job: job, variables: variables, into: &analysis)
                    }
                }
            }
            analysis.occurrences.sort { $0.span < $1.span }
        }

        /// The job, then the jobs it extends (later ones first, depth first), as GitLab resolves `extends`
        /// (at most 11 levels).
        static func chain(
            _ job: YAMLNode, file: String, byName: [String: (node: YAMLNode, file: String)]
        ) -> [(node: YAMLNode, file: String)] {
            var out: [(node: YAMLNode, file: String)] = []
            func visit(_ node: YAMLNode, _ file: String, depth: Int) {
                guard depth < 11, out.count < 64 else { return }
                out.append((node, file))
                guard let extends = node["extends"] else { return }
                let names = extends.isSequence ? extends.elements.compactMap(\.stringValue) : [extends.stringValue].compactMap { $0 }
                for parent in names.reversed() {
                    if let p = byName[parent] { visit(p.node, p.file, depth: depth + 1) }
                }
            }
            visit(job, file, depth: 0)
            return out
        }

        static func addVariables(_ node: YAMLNode, into variables: inout [String: String]) {
            guard node.isMapping else { return }
            for (key, value) in node.entries {
                guard let name = key.scalarText else { continue }
                if value.isScalar, let text = value.scalarText {
                    variables[name] = text
                } else if value.isMapping, let text = value["value"]?.scalarText {
                    variables[name] = text
                }
            }
        }
    }
}
