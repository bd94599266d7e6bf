import ImagelintCore

/// GitLab Code Quality (`artifacts:reports:codequality`): a JSON array of Code Climate issues with
/// `description`, `check_name`, `fingerprint`, `severity`, `location.path` and `location.lines`.
/// Severities map error → `major`, warning → `minor`, info → `info`. Fingerprints are unique within a
/// report and stable across line moves (see `Fingerprint`). Paths lose a leading `./`.
public struct GitLabReporter: Reporter {
    public init() {}

    public func render(_ report: LintReport) -> String {
        let fingerprints = Fingerprint.fingerprints(of: report.findings)
        let issues: [JSONValue] = zip(report.findings, fingerprints).map { f, fingerprint in
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
        return JSONValue.array(issues).serialized(indent: 2) + "\n"
    }

    static func severity(_ s: Severity) -> String {
        switch s {
        case .error: "major"
        case .warning: "minor"
        case .info: "info"
        }
    }
}
