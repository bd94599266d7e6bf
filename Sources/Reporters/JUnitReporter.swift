import ImagelintCore

/// JUnit XML (Ant/JUnitReport shape): one `<testsuite>` per file, one `<testcase>` per (file, rule) pair
/// with `classname` = path and `name` = rule id. A rule with findings at or above the `--fail-on` threshold
/// in the file fails with one `<failure type="SEVERITY">` (the highest severity among them; an `<error>` for
/// `parse-error`) whose body lists `line:column image message`, one finding per line (`line:column message`
/// when a finding has no image). Findings below the threshold do not fail the case. A rule whose only
/// findings are suppressed (`# imagelint ignore=`, `imagelint.io/ignore`) is `<skipped message="…">` with
/// the reasons; rules without findings pass.
/// Test cases follow `file.rules`; a finding of a rule not listed there (or in a file not in
/// `report.files`) adds its rule's test case after them, in rule-table order.
///
/// Deterministic: `timestamp` is fixed at `1970-01-01T00:00:00`, `hostname` is `localhost` and every
/// `time` is `0` (the schema requires them; imagelint does not time rules). `tests` = passing + `failures` +
/// `errors` + `skipped` in every suite.
///
/// By default `<testsuites>` has no attributes, as the strict windyroad XSD requires (consumers add up the
/// suites). With `rootTotals: true` it carries `name="imagelint"` and the `tests`, `failures` and `errors`
/// totals (valid against the Jenkins xunit XSD).
/// Escaping as in `XMLText` (C0 controls → U+24XX).
public struct JUnitReporter: Reporter {
    public var rootTotals: Bool
    /// Findings at or above this severity fail their test case; nil (`--fail-on never`): none does.
    public var failThreshold: Severity?

    public init(rootTotals: Bool = false, failThreshold: Severity? = .info) {
        self.rootTotals = rootTotals
        self.failThreshold = failThreshold
    }

    fileprivate struct Case {
        var rule: String
        var findings: [Finding]
        var isError: Bool { rule == "parse-error" }

        /// The findings that fail the case.
        func failing(_ threshold: Severity?) -> [Finding] {
            guard let threshold else { return [] }
            return findings.filter { !$0.isSuppressed && $0.severity >= threshold }
        }

        /// True when suppressed findings are all the case has at or above the threshold.
        func skipped(_ threshold: Severity?) -> Bool {
            failing(threshold).isEmpty && findings.contains(where: \.isSuppressed)
        }
    }

    public func writer(for frame: ReportFrame) -> any ReportWriter {
        Writer(frame: frame, rootTotals: rootTotals, failThreshold: failThreshold)
    }

    /// One `<testsuite>` per file as it comes; with `rootTotals` the head is written last (it sums the suites).
    final class Writer: ReportWriter {
        let rootTotals: Bool
        let failThreshold: Severity?
        let ruleOrder: [String: Int]
        var suites = 0
        var totalTests = 0
        var totalFailures = 0
        var totalErrors = 0

        init(frame: ReportFrame, rootTotals: Bool, failThreshold: Severity?) {
            self.rootTotals = rootTotals
            self.failThreshold = failThreshold
            ruleOrder = Dictionary(frame.rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        }

        var headNeedsTotals: Bool { rootTotals }

        func head(_ frame: ReportFrame, into out: inout ReportBuffer) {
            out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            if rootTotals {
                out += "<testsuites name=\"" + XMLText.attribute(frame.toolName) + "\" tests=\"" + String(totalTests)
                out += "\" failures=\"" + String(totalFailures) + "\" errors=\"" + String(totalErrors) + "\">\n"
            } else {
                out += "<testsuites>\n"
            }
        }

        func file(_ group: FileReport, into out: inout ReportBuffer) {
            let cases = JUnitReporter.cases(group, ruleOrder: ruleOrder)
            let t = failThreshold
            let failures = cases.filter { !$0.failing(t).isEmpty && !$0.isError }.count
            let errors = cases.filter { !$0.failing(t).isEmpty && $0.isError }.count
            let skipped = cases.filter { $0.skipped(t) }.count
            totalTests += cases.count
            totalFailures += failures
            totalErrors += errors
            let path = XMLText.attribute(group.path.isEmpty ? "-" : group.path)
            out += "  <testsuite name=\"" + path + "\" package=\"" + path + "\" id=\"" + String(suites)
            out += "\" timestamp=\"1970-01-01T00:00:00\" hostname=\"localhost\" tests=\"" + String(cases.count)
            out += "\" failures=\"" + String(failures) + "\" errors=\"" + String(errors)
            out += "\" skipped=\"" + String(skipped) + "\" time=\"0\">\n"
            out += "    <properties/>\n"
            suites += 1
            for c in cases {
                out += "    <testcase name=\"" + XMLText.attribute(c.rule) + "\" classname=\"" + path + "\" time=\"0\""
                let failing = c.failing(t)
                if failing.isEmpty {
                    guard c.skipped(t) else {
                        out += "/>\n"
                        continue
                    }
                    let suppressed = c.findings.filter(\.isSuppressed)
                    let message = suppressed.map { f in
                        "suppressed" + (f.suppression?.justification.map { ": " + $0 } ?? "")
                    }.joined(separator: "\n")
                    out += ">\n      <skipped message=\"" + XMLText.attribute(message) + "\">"
                    out += XMLText.content(suppressed.map(JUnitReporter.bodyLine).joined(separator: "\n"))
                    out += "</skipped>\n    </testcase>\n"
                    continue
                }
                let element = c.isError ? "error" : "failure"
                let message = failing.map(\.message).joined(separator: "\n")
                let severity = failing.map(\.severity).max()!
                out += ">\n      <" + element + " type=\"" + severity.rawValue + "\" message=\""
                out += XMLText.attribute(message) + "\">"
                out += XMLText.content(failing.map(JUnitReporter.bodyLine).joined(separator: "\n"))
                out += "</" + element + ">\n    </testcase>\n"
            }
            out += "    <system-out/>\n    <system-err/>\n  </testsuite>\n"
        }

        func tail(_ frame: ReportFrame, into out: inout ReportBuffer) {
            out += "</testsuites>\n"
        }
    }

    static func bodyLine(_ f: Finding) -> String {
        var line = String(f.span.line) + ":" + String(f.span.column) + " "
        if let image = f.image { line += image + " " }
        return line + f.message
    }

    fileprivate static func cases(_ group: FileReport, ruleOrder: [String: Int]) -> [Case] {
        var byRule: [String: [Finding]] = [:]
        for f in group.findings { byRule[f.rule, default: []].append(f) }
        var cases: [Case] = []
        var listed = Set<String>()
        for rule in group.linted?.rules ?? [] where listed.insert(rule).inserted {
            cases.append(Case(rule: rule, findings: byRule[rule] ?? []))
        }
        let extra = byRule.keys.filter { !listed.contains($0) }.sorted { a, b in
            let ra = ruleOrder[a] ?? Int.max
            let rb = ruleOrder[b] ?? Int.max
            return ra != rb ? ra < rb : a < b
        }
        for rule in extra { cases.append(Case(rule: rule, findings: byRule[rule]!)) }
        return cases
    }
}
