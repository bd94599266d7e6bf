import ImagelintCore

/// GitHub Actions workflow commands, one line per finding:
/// `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=imagelint RULE::message` (`warning`, and
/// `notice` for info). Escaping is that of `@actions/toolkit`: in the message `%`, CR and LF become
/// `%25`, `%0D`, `%0A`; in property values also `:` and `,` become `%3A` and `%2C`. Columns are written
/// only for single-line spans (the runner drops them otherwise); zero or negative positions are left out,
/// as the toolkit does.
public struct GitHubReporter: Reporter {
    /// `GITHUB_WORKSPACE` (the checkout GitHub resolves annotation paths against) and the directory imagelint
    /// runs in: with both, paths are written relative to the workspace (`services/api/Dockerfile` for
    /// `Dockerfile` linted in `services/api`). Nil: paths as linted.
    public var workspace: String?
    public var currentDirectory: String?

    public init(workspace: String? = nil, currentDirectory: String? = nil) {
        self.workspace = workspace
        self.currentDirectory = currentDirectory
    }

    public func writer(for frame: ReportFrame) -> any ReportWriter { Writer(reporter: self) }

    final class Writer: ReportWriter {
        let reporter: GitHubReporter
        init(reporter: GitHubReporter) { self.reporter = reporter }

        func head(_ frame: ReportFrame, into out: inout ReportBuffer) {}

        func file(_ file: FileReport, into out: inout ReportBuffer) {
            for f in file.findings where !f.isSuppressed {
                var f = f
                f.file = reporter.annotationPath(f.file)
                out += GitHubReporter.command(f)
                out += "\n"
            }
        }

        func tail(_ frame: ReportFrame, into out: inout ReportBuffer) {}
    }

    /// `path` relative to the workspace when it lies inside it (as linted otherwise).
    func annotationPath(_ path: String) -> String {
        guard var workspace, !workspace.isEmpty, !path.isEmpty, path != "-" else { return path }
        while workspace.count > 1, workspace.hasSuffix("/") { workspace.removeLast() }
        var absolute: String
        if path.hasPrefix("/") {
            absolute = path
        } else {
            guard let cwd = currentDirectory, cwd.hasPrefix("/") else { return path }
            absolute = (cwd.hasSuffix("/") ? cwd : cwd + "/") + Paths.repositoryRelative(path)
        }
        // Drop `.` segments and resolve `..` lexically.
        var segments: [Substring] = []
        for s in absolute.split(separator: "/") {
            if s == "." { continue }
            if s == ".." {
                if !segments.isEmpty { segments.removeLast() }
                continue
            }
            segments.append(s)
        }
        absolute = "/" + segments.joined(separator: "/")
        if absolute == workspace { return "." }
        let prefix = workspace == "/" ? "/" : workspace + "/"
        guard absolute.hasPrefix(prefix) else { return path }
        return String(absolute.dropFirst(prefix.count))
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
