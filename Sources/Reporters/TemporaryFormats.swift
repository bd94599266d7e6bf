// Temporary until the reporters land.
import ImagelintCore

public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, junit, sarif, github, gitlab, checkstyle

    public func reporter(color: Bool) -> any Reporter { TemporaryReporter() }
}

struct TemporaryReporter: Reporter {
    func render(_ report: LintReport) -> String {
        report.findings.map { "\($0.file):\($0.span.line):\($0.span.column): \($0.severity.rawValue): \($0.message) [\($0.rule)]" }
            .joined(separator: "\n") + "\n"
    }
}

public struct TextReporter {
    public static func summaryLine(_ report: LintReport) -> String { "\(report.summary.findings) findings in \(report.summary.files) files" }
}
