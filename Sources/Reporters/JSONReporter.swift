import ImagelintCore

/// The native JSON report: tool, summary, findings and diagnostics, pretty-printed with 2 spaces.
public struct JSONReporter: Reporter {
    public init() {}

    public func writer(for frame: ReportFrame) -> any ReportWriter { Writer() }

    /// The head holds the summary, so a streamed run holds the body back until the last file.
    final class Writer: ReportWriter {
        var findings = 0

        var headNeedsTotals: Bool { true }

        func head(_ frame: ReportFrame, into out: inout ReportBuffer) {
            let s = frame.summary
            let tool: JSONValue = .object([("name", .string(frame.toolName)), ("version", .string(frame.toolVersion))])
            let summary: JSONValue = .object([
                ("files", .int(s.files)), ("references", .int(s.references)), ("findings", .int(s.findings)),
                ("error", .int(s.errors)), ("warning", .int(s.warnings)), ("info", .int(s.infos)),
            ])
            out += "{\n  \"tool\": "
            out.append(tool, level: 1)
            out += ",\n  \"summary\": "
            out.append(summary, level: 1)
            out += ",\n  \"findings\": "
        }

        /// The last finding written and its `image` … `context` members: findings of one reference share them.
        var last: (finding: Finding, subject: [UInt8])? = nil

        func file(_ file: FileReport, into out: inout ReportBuffer) {
            for f in file.findings {
                out += findings == 0 ? "[\n    " : ",\n    "
                findings += 1
                JSONReporter.writeHead(f, into: &out)
                if let last, last.finding.sharesSubject(with: f) {
                    out.append(bytes: last.subject)
                } else {
                    let start = out.count
                    JSONReporter.writeSubject(f, into: &out)
                    last = (f, Array(out.bytes[start...]))
                }
                JSONReporter.writeFix(f, into: &out)
            }
        }

        func tail(_ frame: ReportFrame, into out: inout ReportBuffer) {
            out += findings == 0 ? "[]" : "\n  ]"
            out += ",\n  \"diagnostics\": "
            out.append(.array(frame.diagnostics.map(\.json)), level: 1)
            out += "\n}\n"
        }
    }

    /// One finding at level 2 of the document: the bytes `json(f)` serializes to, written directly (the
    /// hot path of a large report); `context` through `writeContext`.
    static func write(_ f: Finding, into out: inout ReportBuffer) {
        writeHead(f, into: &out)
        writeSubject(f, into: &out)
        writeFix(f, into: &out)
    }

    private static func member(_ key: String, into out: inout ReportBuffer, first: Bool = false) {
        out += first ? "{\n      \"" : ",\n      \""
        out += key
        out += "\": "
    }

    private static func string(_ s: String?, into out: inout ReportBuffer) {
        if let s { out.appendJSONString(s) } else { out += "null" }
    }

    /// `{` through `endColumn`.
    static func writeHead(_ f: Finding, into out: inout ReportBuffer) {
        member("rule", into: &out, first: true)
        string(f.rule, into: &out)
        member("severity", into: &out)
        out += "\""
        out += f.severity.rawValue
        out += "\""
        member("message", into: &out)
        string(f.message, into: &out)
        member("file", into: &out)
        string(f.file, into: &out)
        member("line", into: &out)
        out.append(f.span.line)
        member("column", into: &out)
        out.append(f.span.column)
        member("endLine", into: &out)
        out.append(f.span.endLine)
        member("endColumn", into: &out)
        out.append(f.span.endColumn)
    }

    /// `image`, `resolved`, `source` and `context`: what the findings of one reference share.
    static func writeSubject(_ f: Finding, into out: inout ReportBuffer) {
        member("image", into: &out)
        string(f.image, into: &out)
        member("resolved", into: &out)
        string(f.resolved, into: &out)
        member("source", into: &out)
        string(f.source?.rawValue, into: &out)
        member("context", into: &out)
        if let origin = f.origin {
            writeContext(origin, into: &out, level: 3)
        } else {
            out += "null"
        }
    }

    /// `fix` and the closing brace.
    static func writeFix(_ f: Finding, into out: inout ReportBuffer) {
        member("fix", into: &out)
        if let fix = f.fix {
            out += "{\n        \"description\": "
            out.appendJSONString(fix.description)
            out += ",\n        \"replacement\": "
            out.appendJSONString(fix.replacement)
            out += "\n      }"
        } else {
            out += "null"
        }
        out += "\n    }"
    }

    /// The bytes `context.json.serialize(into:indent: 2, level:)` gives, without building the tree.
    static func writeContext(_ origin: Origin, into out: inout ReportBuffer, level: Int) {
        var first = true
        origin.forEachContextMember { key, member in
            out += first ? "{" : ","
            first = false
            out.newline(level: level + 1)
            out += "\""
            out += key
            out += "\": "
            switch member {
            case .string(let s): out.appendJSONString(s)
            case .int(let i): out.append(i)
            case .bool(let b): out += b ? "true" : "false"
            case .optional(let s):
                if let s { out.appendJSONString(s) } else { out += "null" }
            case .strings(let a): out.append(.array(a.map { .string($0) }), level: level + 1)
            }
        }
        if first {
            out += "{}"
        } else {
            out.newline(level: level)
            out += "}"
        }
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
            ("context", f.origin?.json ?? .null),
            ("fix", fix),
        ])
    }
}
