import ImagelintCore

/// An output format. Pure: the same report gives byte-identical output, whether it is rendered whole or
/// streamed a file at a time.
public protocol Reporter: Sendable {
    /// A fresh writer for one report. `frame` has the final tool and rules; its summary and diagnostics
    /// need not be final yet (`head` and `tail` get the final frame).
    func writer(for frame: ReportFrame) -> any ReportWriter
}

/// Writes one report a file at a time, so a run never holds more than one file's findings: `head`, then
/// `file` for every file in path order, then `tail`; the output is the three joined in that order.
///
/// A writer whose head needs the run's totals (the summary, or counts of what the files said) sets
/// `headNeedsTotals`: it is then asked for its head last, after the tail, and the caller puts the head
/// first (holding the body back meanwhile). Otherwise `head` is asked for first, with a frame whose
/// `summary` and `diagnostics` are not final yet, and must not read them.
public protocol ReportWriter: AnyObject {
    var headNeedsTotals: Bool { get }
    func head(_ frame: ReportFrame, into out: inout ReportBuffer)
    func file(_ file: FileReport, into out: inout ReportBuffer)
    func tail(_ frame: ReportFrame, into out: inout ReportBuffer)
}

extension ReportWriter {
    public var headNeedsTotals: Bool { false }
}

extension Reporter {
    /// The whole report as one string.
    public func render(_ report: LintReport) -> String {
        let frame = report.frame
        let w = writer(for: frame)
        var head = ReportBuffer()
        if !w.headNeedsTotals { w.head(frame, into: &head) }
        var body = ReportBuffer()
        for file in report.fileReports { w.file(file, into: &body) }
        w.tail(frame, into: &body)
        if w.headNeedsTotals { w.head(frame, into: &head) }
        head += body
        return head.string
    }
}
