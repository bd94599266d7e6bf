import ImagelintCore
import ManifestParser

/// One "render it first" note per Helm chart, not one per template file.
///
/// The files of a chart's `templates/` folder come one after another in the report's path order, so the
/// per-file results are held back while they belong to one chart: the first template's note is kept and
/// names how many templates the chart had skipped, the other templates' notes are dropped. Held results are
/// bounded by the size of one chart's templates folder.
struct HelmChartNotes {
    /// The chart folder being held (`charts/web`; empty for a `templates/` folder at the root).
    private var chart: String? = nil
    private var held: [Pipeline.PerFile] = []
    /// Index in `held` of the result whose note is kept.
    private var noteIndex: Int? = nil
    private var skipped = 0

    /// Passes `p` (or, when a chart's run ends, the held results) to `next`.
    mutating func add(_ p: Pipeline.PerFile, _ next: (Pipeline.PerFile) -> Void) {
        if let chart, Self.isUnder(p.path, chart: chart) {
            hold(p)
            return
        }
        flush(next)
        if let chart = Self.chart(ofTemplate: p.path), p.diagnostics.contains(where: Self.isNote) {
            self.chart = chart
            hold(p)
        } else {
            next(p)
        }
    }

    mutating func flush(_ next: (Pipeline.PerFile) -> Void) {
        guard let chart else { return }
        if let i = noteIndex {
            let message = ManifestFrontEnd.helmChartMessage(chart: chart, templates: skipped)
            for j in held[i].diagnostics.indices where Self.isNote(held[i].diagnostics[j]) {
                held[i].diagnostics[j].message = message
            }
            for j in held[i].findings.indices
            where held[i].findings[j].rule == Engine.parseErrorID && ManifestFrontEnd.isHelmNote(held[i].findings[j].message) {
                held[i].findings[j].message = message
            }
        }
        for p in held { next(p) }
        self.chart = nil
        held = []
        noteIndex = nil
        skipped = 0
    }

    private mutating func hold(_ p: Pipeline.PerFile) {
        var p = p
        if p.diagnostics.contains(where: Self.isNote) {
            skipped += 1
            if noteIndex == nil {
                noteIndex = held.count
            } else {
                p.diagnostics.removeAll(where: Self.isNote)
                p.findings.removeAll { $0.rule == Engine.parseErrorID && ManifestFrontEnd.isHelmNote($0.message) }
            }
        }
        held.append(p)
    }

    static func isNote(_ d: Diagnostic) -> Bool { d.severity == .info && ManifestFrontEnd.isHelmNote(d.message) }

    /// The chart folder of a file under a `templates/` folder: the path before its first `templates`
    /// component (`charts/web/templates/a.yaml` → `charts/web`).
    static func chart(ofTemplate path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard let i = parts.dropLast().firstIndex(of: "templates") else { return nil }
        return parts[..<i].joined(separator: "/")
    }

    static func isUnder(_ path: String, chart: String) -> Bool {
        path.hasPrefix(chart.isEmpty ? "templates/" : chart + "/templates/")
    }
}
