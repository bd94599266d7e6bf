import ImagelintCore

/// GitHub Actions workflow commands, one line per finding:
/// `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=imagelint RULE::message` (`warning`, and
/// `notice` for info). Escaping is that of `@actions/toolkit`: in the message `%`, CR and LF become
/// `%25`, `%0D`, `%0A`; in property values also `:` and `,` become `%3A` and `%2C`. Columns are written
/// only for single-line spans (the runner drops them otherwise); zero or negative positions are left out,
/// as the toolkit does.
public struct GitHubReporter: Reporter {
    public init() {}

    public func writer(for frame: ReportFrame) -> any ReportWriter { Writer() }

    final class Writer: ReportWriter {
        func head(_ frame: ReportFrame, into out: inout ReportBuffer) {}

        func file(_ file: FileReport, into out: inout ReportBuffer) {
            for f in file.findings where !f.isSuppressed {
                out += GitHubReporter.command(f)
                out += "\n"
            }
        }

        func tail(_ frame: ReportFrame, into out: inout ReportBuffer) {}
    }

    static func command(_ f: Finding) -> String {
        var props: [(String, String)] = [("file", f.file)]
        let span = f.span
        let lineOK = span.line > 0
        if lineOK { props.append(("line", String(span.line))) }
        let singleLine = span.endLine == span.line
        if lineOK, singleLine, span.column > 0 {
            props.append(("col", String(span.column)))
        }
        if lineOK, span.endLine >= span.line { props.append(("endLine", String(span.endLine))) }
        if lineOK, singleLine, span.column > 0, span.endColumn >= span.column {
            props.append(("endColumn", String(span.endColumn)))
        }
        props.append(("title", "imagelint " + f.rule))
        let command: String
        switch f.severity {
        case .error: command = "error"
        case .warning: command = "warning"
        case .info: command = "notice"
        }
        let properties = props.filter { !$0.1.isEmpty }.map { $0.0 + "=" + escapeProperty($0.1) }
        return "::" + command + " " + properties.joined(separator: ",") + "::" + escapeData(f.message)
    }

    /// The actions toolkit's escaping of a command's message.
    static func escapeData(_ s: String) -> String {
        escaping(s) { u in
            switch u {
            case "%": "%25"
            case "\r": "%0D"
            case "\n": "%0A"
            default: nil
            }
        }
    }

    /// The actions toolkit's escaping of a property value: as the message, plus `:` and `,`.
    static func escapeProperty(_ s: String) -> String {
        escaping(s) { u in
            switch u {
            case "%": "%25"
            case "\r": "%0D"
            case "\n": "%0A"
            case ":": "%3A"
            case ",": "%2C"
            default: nil
            }
        }
    }
}
