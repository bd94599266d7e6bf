import FastYAML
import ImagelintCore

/// Options for reading YAML files.
public struct ManifestOptions: Sendable {
    /// Limits for the YAML parser (nesting depth, alias expansion).
    public var parseOptions: YAMLParseOptions
    /// The variables compose files interpolate from (the `.env` beside the file, or `--env-file`), asked
    /// for only when a compose file uses a variable. Nil: none.
    public var composeEnvironment: (@Sendable (_ composeFile: String) -> ComposeEnvironment)?
    /// Reads a file the extractors need for context (a chart's `Chart.yaml`, the files a `.gitlab-ci.yml`
    /// includes); nil when it cannot be read. Nil: no file is read.
    public var readFile: (@Sendable (_ path: String) -> [UInt8]?)?
    /// Input kinds turned off by the configuration (`inputs: {gitlab-ci: false}`), by id.
    public var disabledInputs: Set<String>

    public init(
        parseOptions: YAMLParseOptions = .init(),
        composeEnvironment: (@Sendable (_ composeFile: String) -> ComposeEnvironment)? = nil,
        readFile: (@Sendable (_ path: String) -> [UInt8]?)? = nil, disabledInputs: Set<String> = []
    ) {
        self.parseOptions = parseOptions
        self.composeEnvironment = composeEnvironment
        self.readFile = readFile
        self.disabledInputs = disabledInputs
    }
}

/// Turns a YAML file (Kubernetes manifests, docker-compose files, kustomizations) into image occurrences.
///
/// Positions: an occurrence's span covers the reference text itself: for a quoted scalar it starts at the
/// first character inside the quotes; for a block scalar (`|`, `>-`) it covers the content's first line;
/// for an alias (`image: *ref`) it covers the alias. `anchorLine` is the line where the value starts (the
/// line of the opening quote, the `|`/`>` indicator or the alias), so suppression comments trailing the
/// `image:` line or directly above it apply.
public enum ManifestFrontEnd {
    /// True for file names the YAML front end reads: `*.yaml` and `*.yml`.
    public static func isYAMLName(_ fileName: String) -> Bool {
        let name = fileName.lastIndex(of: "/").map { fileName[fileName.index(after: $0)...] } ?? fileName[...]
        return name.hasSuffix(".yaml") || name.hasSuffix(".yml")
    }

    /// True for kustomize's file names: `kustomization.yaml`, `kustomization.yml`, `Kustomization`.
    public static func isKustomizationName(_ fileName: String) -> Bool {
        let name = fileName.lastIndex(of: "/").map { fileName[fileName.index(after: $0)...] } ?? fileName[...]
        return name == "kustomization.yaml" || name == "kustomization.yml" || name == "Kustomization"
    }

    /// The document extractors, in order: the first that accepts a document reads it. A new kind of YAML
    /// document is one file (a `DocumentExtractor`) and one line here; a new kind of workload inside
    /// Kubernetes objects is one file and one line in `KubernetesObjectReader.workloadExtractors`.
    static let documentExtractors: [any DocumentExtractor.Type] = [
        KustomizeExtractor.self,
        KubernetesObjectReader.self,
        GitHubActionsExtractor.self,
        GitLabCIExtractor.self,
        BitbucketPipelinesExtractor.self,
        CircleCIExtractor.self,
        HelmValuesExtractor.self,
        ComposeExtractor.self,
    ]

    /// The ids of the input kinds, for the configuration's `inputs:` switches.
    public static var inputKinds: [String] {
        // (A key path over the existential metatypes crashes the 6.3 compiler.)
        var ids: [String] = []
        for extractor in documentExtractors { ids.append(extractor.id) }
        return ids
    }

    static let helmMessage = "Helm template: render it first, e.g. `helm template … | imagelint lint -`"

    /// True for the note on an unrendered Helm template (per file, or per chart once grouped).
    public static func isHelmNote(_ message: String) -> Bool { message.hasPrefix("Helm template") }

    /// The one note of a chart: how many of its templates were skipped.
    public static func helmChartMessage(chart: String, templates: Int) -> String {
        let name = chart.isEmpty ? "." : chart
        let count = templates == 1 ? "1 template" : "\(templates) templates"
        return "Helm templates of chart `\(name)` (\(count)) were skipped: render it first, e.g. `helm template \(name) | imagelint lint -`"
    }

    /// Reads one YAML file. Never traps: unusable input yields diagnostics. YAML that is none of
    /// Kubernetes, compose or kustomize (CI configs, Helm values, OpenAPI…) yields an empty analysis.
    public static func analyze(path: String, text: SourceText, options: ManifestOptions = .init()) -> FileAnalysis {
        var analysis = FileAnalysis(file: path)
        let stream = text.bytes.withUnsafeBytes { YAMLStream.parse($0, options: options.parseOptions) }

        if !stream.errors.isEmpty || isUnderTemplatesFolder(path), let templateOffset = firstTemplateOffset(text.bytes) {
            let p = text.position(ofByte: templateOffset)
            analysis.diagnostics.append(
                Diagnostic(file: path, line: p.line, column: p.column, message: helmMessage, severity: .info))
            return analysis
        }

        let locator = Locator(text: text)
        for document in stream.documents {
            let root = document.root
            guard root.isMapping else { continue }
            let doc = ManifestDocument(
                root: root, path: path, locator: locator, apiVersion: root["apiVersion"]?.scalarText,
                kind: root["kind"]?.scalarText, options: options)
            let found = documentExtractors.first { !options.disabledInputs.contains($0.id) && $0.accepts(doc) }
            found?.extract(doc, into: &analysis)
            guard let found else { continue }
            analysis.kinds.insert(found.fileKind)
            for duplicate in document.duplicateKeys() {
                let p = text.position(ofByte: duplicate.key.startOffset)
                let previous = text.line(ofByte: duplicate.previous.startOffset)
                analysis.diagnostics.append(
                    Diagnostic(
                        file: path, line: p.line, column: p.column,
                        message: "duplicate key `\(duplicate.key.scalarText ?? "")` (also on line \(previous)); "
                            + "the later value wins", severity: .warning))
            }
        }

        for error in stream.errors {
            let p = text.position(ofByte: min(error.offset, text.bytes.count))
            var message: String
            switch error.kind {
            case .syntax:
                message = "invalid YAML: " + error.message
                if let context = error.context { message += " (\(context))" }
                if error.offset < text.bytes.count, text.bytes[error.offset] == UInt8(ascii: "\t") {
                    message += "; tabs cannot be used for indentation"
                }
            case .encoding:
                message = "not UTF-8 YAML text: " + error.message
            case .depth, .aliasExpansion, .undefinedAlias, .tooLarge:
                message = "unusable YAML: " + error.message
            }
            analysis.diagnostics.append(Diagnostic(file: path, line: p.line, column: p.column, message: message))
        }
        analysis.diagnostics.sort { ($0.line, $0.column) < ($1.line, $1.column) }
        analysis.occurrences.sort { $0.span < $1.span }
        return analysis
    }

    /// Byte offset of the first `{{` outside a YAML comment, if any. A `{{` in a comment does not make a
    /// file a template: such a file with a syntax error is reported as broken YAML, and its valid
    /// documents are linted.
    static func firstTemplateOffset(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { b in
            guard b.count >= 2 else { return nil }
            var i = 0
            var inComment = false
            while i < b.count - 1 {
                let c = b[i]
                if c == 0x0A {
                    inComment = false
                } else if c == UInt8(ascii: "#"), !inComment, i == 0 || b[i - 1] == 0x20 || b[i - 1] == 0x09 || b[i - 1] == 0x0A {
                    inComment = true
                } else if !inComment, c == UInt8(ascii: "{"), b[i + 1] == UInt8(ascii: "{") {
                    return i
                }
                i += 1
            }
            return nil
        }
    }

    static func isUnderTemplatesFolder(_ path: String) -> Bool {
        // Most paths do not hold the word at all: a byte search rules them out without splitting.
        var bytes = path
        let mentionsWord = bytes.withUTF8 { b in
            let word = templatesWord
            guard b.count >= word.count else { return false }
            for start in 0...(b.count - word.count) where b[start] == word[0] {
                if UnsafeBufferPointer(rebasing: b[start..<(start + word.count)]).elementsEqual(word) { return true }
            }
            return false
        }
        guard mentionsWord else { return false }
        return path.split(separator: "/").dropLast().contains("templates")
    }

    static let templatesWord = Array("templates".utf8)
}

/// One YAML document as the extractors see it.
struct ManifestDocument {
    let root: YAMLNode
    let path: String
    let locator: Locator
    /// The root's `apiVersion` and `kind`, when it has them.
    let apiVersion: String?
    let kind: String?
    let options: ManifestOptions
}

/// Reads one kind of YAML document (Kubernetes objects, compose files, kustomizations…).
protocol DocumentExtractor {
    /// The input kind's id, as the configuration's `inputs:` switches name it (`gitlab-ci`).
    static var id: String { get }
    /// The kind of file the document makes its file (rules declare the kinds they apply to).
    static var fileKind: FileKind { get }
    /// True when the extractor reads this document.
    static func accepts(_ document: ManifestDocument) -> Bool
    static func extract(_ document: ManifestDocument, into analysis: inout FileAnalysis)
}
