import ImagelintCore

/// The native JSON report: tool, summary, findings and diagnostics, pretty-printed with 2 spaces.
public struct JSONReporter: Reporter {
    public init() {}

    public func writer(for frame: ReportFrame) -> any ReportWriter { Writer() }

    /// The head holds the summary, so a streamed run holds the body back until the last file.
    final class Writer: ReportWriter {
        var findings = 0

        var headNeedsTotals: Bool { true }

        func head(_ frame: ReportFrame, into out: inout String) {
            let s = frame.summary
            let tool: JSONValue = .object([("name", .string(frame.toolName)), ("version", .string(frame.toolVersion))])
            let summary: JSONValue = .object([
                ("files", .int(s.files)), ("references", .int(s.references)), ("findings", .int(s.findings)),
                ("error", .int(s.errors)), ("warning", .int(s.warnings)), ("info", .int(s.infos)),
            ])
            out += "{\n  \"tool\": "
            tool.serialize(into: &out, indent: 2, level: 1)
            out += ",\n  \"summary\": "
            summary.serialize(into: &out, indent: 2, level: 1)
            out += ",\n  \"findings\": "
        }

        func file(_ file: FileReport, into out: inout String) {
            for f in file.findings {
                out += findings == 0 ? "[\n    " : ",\n    "
                findings += 1
                JSONReporter.write(f, into: &out)
            }
        }

        func tail(_ frame: ReportFrame, into out: inout String) {
            out += findings == 0 ? "[]" : "\n  ]"
            out += ",\n  \"diagnostics\": "
            JSONReporter.writeArray(frame.diagnostics, into: &out) { JSONReporter.json($0) }
            out += "\n}\n"
        }
    }

    /// A member array at level 1 of the document, one element at a time.
    static func writeArray<T>(_ items: [T], into out: inout String, _ json: (T) -> JSONValue) {
        if items.isEmpty {
            out += "[]"
            return
        }
        out += "["
        var first = true
        for item in items {
            out += first ? "\n    " : ",\n    "
            first = false
            json(item).serialize(into: &out, indent: 2, level: 2)
        }
        out += "\n  ]"
    }

    /// One finding at level 2 of the document: the bytes `json(f)` serializes to, written directly (the
    /// hot path of a large report); `context` through `OccurrenceContext.writeJSON`.
    static func write(_ f: Finding, into out: inout String) {
        func member(_ key: String, _ first: Bool = false) {
            out += first ? "{\n      \"" : ",\n      \""
            out += key
            out += "\": "
        }
        func string(_ s: String?) {
            if let s { JSONValue.writeString(s, to: &out) } else { out += "null" }
        }
        member("rule", true)
        string(f.rule)
        member("severity")
        out += "\""
        out += f.severity.rawValue
        out += "\""
        member("message")
        string(f.message)
        member("file")
        string(f.file)
        member("line")
        out += String(f.span.line)
        member("column")
        out += String(f.span.column)
        member("endLine")
        out += String(f.span.endLine)
        member("endColumn")
        out += String(f.span.endColumn)
        member("image")
        string(f.image)
        member("resolved")
        string(f.resolved)
        member("source")
        string(f.source?.rawValue)
        member("context")
        if let context = f.context {
            context.writeJSON(into: &out, level: 3)
        } else {
            out += "null"
        }
        member("fix")
        if let fix = f.fix {
            out += "{\n        \"description\": "
            JSONValue.writeString(fix.description, to: &out)
            out += ",\n        \"replacement\": "
            JSONValue.writeString(fix.replacement, to: &out)
            out += "\n      }"
        } else {
            out += "null"
        }
        out += "\n    }"
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
