/// The output formats of `imagelint lint --format`.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, junit, sarif, github, gitlab, checkstyle

    /// The reporter for this format. `color` matters only for `text`.
    public func reporter(color: Bool) -> any Reporter {
        switch self {
        case .text: TextReporter(color: color)
        case .json: JSONReporter()
        case .junit: JUnitReporter()
        case .sarif: SARIFReporter()
        case .github: GitHubReporter()
        case .gitlab: GitLabReporter()
        case .checkstyle: CheckstyleReporter()
        }
    }
}
