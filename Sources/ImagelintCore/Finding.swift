/// A suggested fix: replace the text of the finding's span with `replacement`.
public struct Fix: Sendable, Hashable {
    public var description: String
    public var replacement: String

    public init(description: String, replacement: String) {
        self.description = description
        self.replacement = replacement
    }
}

/// What the findings of one occurrence share (the image as written and resolved, where it came from, the source
/// line). Immutable and shared by reference, so a reference with three findings stores it once.
final class FindingSubject: Sendable, Hashable {
    static func == (a: FindingSubject, b: FindingSubject) -> Bool {
        a === b
            || (a.image == b.image && a.resolved == b.resolved && a.source == b.source && a.sourceLine == b.sourceLine
                && a.origin == b.origin)
    }

    func hash(into h: inout Hasher) {
        h.combine(image)
        h.combine(resolved)
        h.combine(source)
        h.combine(sourceLine)
        h.combine(origin)
    }

    let image: String?
    let resolved: String?
    let source: ImageSource?
    let origin: Origin?
    let sourceLine: String?

    init(image: String?, resolved: String?, source: ImageSource?, origin: Origin?, sourceLine: String?) {
        self.image = image
        self.resolved = resolved
        self.source = source
        self.origin = origin
        self.sourceLine = sourceLine
    }

    func with(
        image: String?? = nil, resolved: String?? = nil, source: ImageSource?? = nil,
        origin: Origin?? = nil, sourceLine: String?? = nil
    ) -> FindingSubject {
        FindingSubject(
            image: image ?? self.image, resolved: resolved ?? self.resolved, source: source ?? self.source,
            origin: origin ?? self.origin, sourceLine: sourceLine ?? self.sourceLine)
    }

    static let empty = FindingSubject(image: nil, resolved: nil, source: nil, origin: nil, sourceLine: nil)
}

/// One problem found, positioned at the reference text (or the diagnostic's position).
///
/// Compact: the fields every finding of one reference shares live in one shared box, so a large run keeps
/// little more than the message per finding.
public struct Finding: Sendable, Hashable {
    public var rule: String
    public var severity: Severity
    /// A short sentence without a trailing period that names the image as written.
    public var message: String
    public var file: String
    public var span: Span
    public var fix: Fix?
    var subject: FindingSubject

    /// The reference as written; nil for findings not about an image (`parse-error`).
    public var image: String? {
        get { subject.image }
        set { subject = subject.with(image: .some(newValue)) }
    }
    public var resolved: String? {
        get { subject.resolved }
        set { subject = subject.with(resolved: .some(newValue)) }
    }
    public var source: ImageSource? {
        get { subject.source }
        set { subject = subject.with(source: .some(newValue)) }
    }
    /// Where the reference came from (nil for findings not about an image).
    public var origin: Origin? {
        get { subject.origin }
        set { subject = subject.with(origin: .some(newValue)) }
    }
    /// The text of the finding's first line, for reporters that show the source (no file is re-read).
    public var sourceLine: String? {
        get { subject.sourceLine }
        set { subject = subject.with(sourceLine: .some(newValue)) }
    }

    public init(
        rule: String, severity: Severity, message: String, file: String, span: Span, image: String? = nil,
        resolved: String? = nil, source: ImageSource? = nil, origin: Origin? = nil, fix: Fix? = nil,
        sourceLine: String? = nil
    ) {
        self.init(
            rule: rule, severity: severity, message: message, file: file, span: span, fix: fix,
            subject: FindingSubject(
                image: image, resolved: resolved, source: source, origin: origin, sourceLine: sourceLine))
    }

    init(rule: String, severity: Severity, message: String, file: String, span: Span, fix: Fix?, subject: FindingSubject) {
        self.rule = rule
        self.severity = severity
        self.message = message
        self.file = file
        self.span = span
        self.fix = fix
        self.subject = subject
    }

    /// True when both findings share one subject (same reference occurrence): their image, resolved
    /// reference, source, context and source line are then the same, so writers can reuse what they made of them.
    public func sharesSubject(with other: Finding) -> Bool { subject === other.subject }

    public static func == (a: Finding, b: Finding) -> Bool {
        a.rule == b.rule && a.severity == b.severity && a.message == b.message && a.file == b.file && a.span == b.span
            && a.fix == b.fix && a.image == b.image && a.resolved == b.resolved && a.source == b.source
            && a.origin == b.origin && a.sourceLine == b.sourceLine
    }

    public func hash(into h: inout Hasher) {
        h.combine(rule)
        h.combine(message)
        h.combine(file)
        h.combine(span)
        h.combine(image)
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
