import ImagelintCore

/// GitLab Code Quality (`artifacts:reports:codequality`): a JSON array of Code Climate issues with
/// `description`, `check_name`, `fingerprint`, `severity`, `location.path` and `location.lines`.
/// Severities map error → `major`, warning → `minor`, info → `info`. Fingerprints are unique within a
/// report (they hash the file path, so each file's are computed alone) and stable across line moves (see `Fingerprint`). Paths lose a leading `./`.
public struct GitLabReporter: Reporter {
    public init() {}

    public func writer(for frame: ReportFrame) -> any ReportWriter { Writer() }

    /// The array's elements as files come; the bytes of the whole array serialized at once.
    final class Writer: ReportWriter {
        var issues = 0

        func head(_ frame: ReportFrame, into out: inout ReportBuffer) {}

        func file(_ file: FileReport, into out: inout ReportBuffer) {
            let shown = file.findings.filter { !$0.isSuppressed }
            for (f, fingerprint) in zip(shown, Fingerprint.fingerprints(of: shown)) {
                out += issues == 0 ? "[\n  " : ",\n  "
                issues += 1
                out.append(GitLabReporter.issue(f, fingerprint: fingerprint), level: 1)
            }
        }

        func tail(_ frame: ReportFrame, into out: inout ReportBuffer) {
            out += issues == 0 ? "[]\n" : "\n]\n"
        }
    }

    static func issue(_ f: Finding, fingerprint: String) -> JSONValue {
        var lines: [(String, JSONValue)] = [("begin", .int(max(f.span.line, 1)))]
        if f.span.endLine > f.span.line { lines.append(("end", .int(f.span.endLine))) }
        return .object([
            ("type", .string("issue")),
            ("check_name", .string(f.rule)),
            ("description", .string(f.message)),
            ("categories", .array([.string("Bug Risk")])),
            ("severity", .string(Self.severity(f.severity))),
            ("fingerprint", .string(fingerprint)),
            ("location", .object([("path", .string(Paths.repositoryRelative(f.file))), ("lines", .object(lines))])),
        ])
    }

    static func severity(_ s: Severity) -> String {
        switch s {
        case .error: "major"
        case .warning: "minor"
        case .info: "info"
        }
    }
}
