import ImagelintCore

/// The native JSON report: tool, summary, findings and diagnostics, pretty-printed with 2 spaces.
public struct JSONReporter: Reporter {
    public init() {}

    public func render(_ report: LintReport) -> String {
        var out = ""
        out.reserveCapacity(1024 + report.findings.count * 700 + report.diagnostics.count * 200)
        write(report, into: &out, flushing: { _ in })
        return out
    }

    /// Streams the report in pieces of about 64 KiB (see `write(_:chunkSize:to:)`).
    public func write(_ report: LintReport, to emit: (String) -> Void) {
        write(report, chunkSize: 1 << 16, to: emit)
    }

    /// Streams the report: calls `emit` with consecutive pieces of the output, each about `chunkSize`
    /// bytes (the last may be shorter). The pieces joined are exactly `render(report)`; only one piece is
    /// held at a time, so memory stays flat however many findings there are.
    public func write(_ report: LintReport, chunkSize: Int = 1 << 16, to emit: (String) -> Void) {
        var out = ""
        out.reserveCapacity(chunkSize + 4096)
        write(report, into: &out) { buffer in
            guard buffer.utf8.count >= chunkSize else { return }
            emit(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
        if !out.isEmpty { emit(out) }
    }

    /// Writes the document into `out`, calling `flush` after each finding and diagnostic. The same bytes
    /// as serializing one `JSONValue` of the whole document, without holding that tree.
    func write(_ report: LintReport, into out: inout String, flushing flush: (inout String) -> Void) {
        let s = report.summary
        let tool: JSONValue = .object([("name", .string(report.toolName)), ("version", .string(report.toolVersion))])
        let summary: JSONValue = .object([
            ("files", .int(s.files)), ("references", .int(s.references)), ("findings", .int(s.findings)),
            ("error", .int(s.errors)), ("warning", .int(s.warnings)), ("info", .int(s.infos)),
        ])
        out += "{\n  \"tool\": "
        tool.serialize(into: &out, indent: 2, level: 1)
        out += ",\n  \"summary\": "
        summary.serialize(into: &out, indent: 2, level: 1)
        out += ",\n  \"findings\": "
        if report.findings.isEmpty {
            out += "[]"
        } else {
            out += "["
            var first = true
            for f in report.findings {
                out += first ? "\n    " : ",\n    "
                first = false
                Self.write(f, into: &out)
                flush(&out)
            }
            out += "\n  ]"
        }
        out += ",\n  \"diagnostics\": "
        Self.writeArray(report.diagnostics, into: &out, flushing: flush) { Self.json($0) }
        out += "\n}\n"
    }

    /// A member array at level 1 of the document, one element at a time.
    static func writeArray<T>(
        _ items: [T], into out: inout String, flushing flush: (inout String) -> Void, _ json: (T) -> JSONValue
    ) {
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
            flush(&out)
        }
        out += "\n  ]"
    }

    /// One finding at level 2 of the document: the bytes `json(f)` serializes to, written directly (the
    /// hot path of a large report); `context` still goes through `OccurrenceContext.json`.
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
            context.json.serialize(into: &out, indent: 2, level: 3)
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
