/// A suggested fix: replace the text of the finding's span with `replacement`.
public struct Fix: Sendable, Hashable {
    public var description: String
    public var replacement: String

    public init(description: String, replacement: String) {
        self.description = description
        self.replacement = replacement
    }
}

/// One problem found, positioned at the reference text (or the diagnostic's position).
public struct Finding: Sendable, Hashable {
    public var rule: String
    public var severity: Severity
    /// A short sentence without a trailing period that names the image as written.
    public var message: String
    public var file: String
    public var span: Span
    /// The reference as written; nil for findings not about an image (`parse-error`).
    public var image: String?
    public var resolved: String?
    public var source: ImageSource?
    public var context: OccurrenceContext?
    public var fix: Fix?
    /// The text of the finding's first line, for reporters that show the source (no file is re-read).
    public var sourceLine: String?

    public init(
        rule: String, severity: Severity, message: String, file: String, span: Span, image: String? = nil,
        resolved: String? = nil, source: ImageSource? = nil, context: OccurrenceContext? = nil, fix: Fix? = nil,
        sourceLine: String? = nil
    ) {
        self.rule = rule
        self.severity = severity
        self.message = message
        self.file = file
        self.span = span
        self.image = image
        self.resolved = resolved
        self.source = source
        self.context = context
        self.fix = fix
        self.sourceLine = sourceLine
    }

    /// The report order: file, line, column, rule (then message, for total determinism).
    public static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        if a.file != b.file { return a.file.utf8.lexicographicallyPrecedes(b.file.utf8) }
        if a.span.line != b.span.line { return a.span.line < b.span.line }
        if a.span.column != b.span.column { return a.span.column < b.span.column }
        if a.rule != b.rule { return a.rule < b.rule }
        return a.message < b.message
    }
}

/// A file that was linted, with the rules that applied to it (for reporters that list passing checks).
public struct LintedFile: Sendable, Hashable {
    public var path: String
    public var kinds: Set<FileKind>
    /// Ids of the enabled rules that apply to this file, in rule-table order.
    public var rules: [String]

    public init(path: String, kinds: Set<FileKind>, rules: [String]) {
        self.path = path
        self.kinds = kinds
        self.rules = rules
    }
}

/// Counts for the summary line and the JSON `summary` object.
public struct Summary: Sendable, Hashable {
    public var files: Int
    public var references: Int
    public var findings: Int
    public var errors: Int
    public var warnings: Int
    public var infos: Int

    public init(files: Int = 0, references: Int = 0, findings: Int = 0, errors: Int = 0, warnings: Int = 0, infos: Int = 0) {
        self.files = files
        self.references = references
        self.findings = findings
        self.errors = errors
        self.warnings = warnings
        self.infos = infos
    }
}

/// Everything a reporter needs. Findings are sorted in report order.
public struct LintReport: Sendable {
    public var toolName: String
    public var toolVersion: String
    public var informationURI: String
    public var findings: [Finding]
    /// Every file that was read and held something imagelint understands (or failed to parse), sorted by path.
    public var files: [LintedFile]
    /// Every known rule, in rule-table order, with the effective severity of enabled ones.
    public var rules: [RuleDescription]
    /// Every diagnostic of the front ends and of reading inputs, sorted by file and line (also reported as
    /// `parse-error` findings unless that rule is off).
    public var diagnostics: [Diagnostic]
    public var summary: Summary

    public init(
        toolName: String = "imagelint", toolVersion: String, informationURI: String = ImagelintInfo.informationURI,
        findings: [Finding], files: [LintedFile], rules: [RuleDescription], diagnostics: [Diagnostic] = [],
        summary: Summary
    ) {
        self.toolName = toolName
        self.toolVersion = toolVersion
        self.informationURI = informationURI
        self.findings = findings
        self.files = files
        self.rules = rules
        self.diagnostics = diagnostics
        self.summary = summary
    }
}

public enum ImagelintInfo {
    /// The one version constant (`imagelint --version`, reports).
    public static let version = "0.1.0"
    public static let informationURI = "https://github.com/imagelint/imagelint"
}
