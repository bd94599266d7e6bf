import ImagelintCore

/// The native JSON report: tool, summary, findings and diagnostics, pretty-printed with 2 spaces.
public struct JSONReporter: Reporter {
    public init() {}

    public func render(_ report: LintReport) -> String {
        let s = report.summary
        let document: JSONValue = .object([
            ("tool", .object([("name", .string(report.toolName)), ("version", .string(report.toolVersion))])),
            (
                "summary",
                .object([
                    ("files", .int(s.files)), ("references", .int(s.references)), ("findings", .int(s.findings)),
                    ("error", .int(s.errors)), ("warning", .int(s.warnings)), ("info", .int(s.infos)),
                ])
            ),
            ("findings", .array(report.findings.map(Self.json))),
            ("diagnostics", .array(report.diagnostics.map(Self.json))),
        ])
        return document.serialized(indent: 2) + "\n"
    }

    static func json(_ f: Finding) -> JSONValue {
        let fix: JSONValue = f.fix.map {
            .object([("description", .string($0.description)), ("replacement", .string($0.replacement))])
        } ?? .null
        return .object([
            ("rule", .string(f.rule)),
            ("severity", .string(f.severity.rawValue)),
            ("message", .string(f.message)),
            ("file", .string(f.file)),
            ("line", .int(f.span.line)),
            ("column", .int(f.span.column)),
            ("endLine", .int(f.span.endLine)),
            ("endColumn", .int(f.span.endColumn)),
            ("image", .optional(f.image)),
            ("resolved", .optional(f.resolved)),
            ("source", .optional(f.source?.rawValue)),
            ("context", f.context?.json ?? .null),
            ("fix", fix),
        ])
    }

    static func json(_ d: Diagnostic) -> JSONValue {
        .object([
            ("file", .string(d.file)),
            ("line", .int(d.line)),
            ("column", .int(d.column)),
            ("severity", .string(d.severity.rawValue)),
            ("message", .string(d.message)),
        ])
    }
}
