import ImagelintCore

/// The output formats of `imagelint lint --format`.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, junit, sarif, github, gitlab, checkstyle

    /// The reporter for this format. `color` matters only for `text`; `failThreshold` (the `--fail-on`
    /// severity, nil for `never`) only for `junit`, whose test cases fail on findings at or above it.
    /// `workspace` and `currentDirectory` only for `github` (annotation paths relative to `GITHUB_WORKSPACE`).
    public func reporter(
        color: Bool, failThreshold: Severity? = .info, workspace: String? = nil, currentDirectory: String? = nil
    ) -> any Reporter {
        switch self {
        case .text: TextReporter(color: color)
        case .json: JSONReporter()
        case .junit: JUnitReporter(failThreshold: failThreshold)
        case .sarif: SARIFReporter()
        case .github: GitHubReporter(workspace: workspace, currentDirectory: currentDirectory)
        case .gitlab: GitLabReporter()
        case .checkstyle: CheckstyleReporter()
        }
    }
}
