import ImagelintCore

/// The output formats of `imagelint lint --format`.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, junit, sarif, github, gitlab, checkstyle

    /// The reporter for this format. `color` matters only for `text`; `failThreshold` (the `--fail-on`
    /// severity, nil for `never`) only for `junit`, whose test cases fail on findings at or above it.
    public func reporter(color: Bool, failThreshold: Severity? = .info) -> any Reporter {
        switch self {
        case .text: TextReporter(color: color)
        case .json: JSONReporter()
        case .junit: JUnitReporter(failThreshold: failThreshold)
        case .sarif: SARIFReporter()
        case .github: GitHubReporter()
        case .gitlab: GitLabReporter()
        case .checkstyle: CheckstyleReporter()
        }
    }
}
