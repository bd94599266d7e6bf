import ImagelintCore

/// An output format. Pure: the same report gives byte-identical output.
public protocol Reporter: Sendable {
    func render(_ report: LintReport) -> String
}
