import ImagelintCore

/// An output format. Pure: the same report gives byte-identical output.
public protocol Reporter: Sendable {
    func render(_ report: LintReport) -> String

    /// Streams the output: `emit` receives consecutive pieces whose concatenation is `render(report)`.
    /// Formats that can stream hold one piece at a time; the default emits `render(report)` whole.
    func write(_ report: LintReport, to emit: (String) -> Void)
}

extension Reporter {
    public func write(_ report: LintReport, to emit: (String) -> Void) { emit(render(report)) }
}
