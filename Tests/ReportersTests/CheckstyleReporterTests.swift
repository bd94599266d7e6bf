import Foundation
import ImagelintCore
import Testing

@testable import Reporters

@Suite struct CheckstyleReporterTests {
    @Test func structure() {
        let out = CheckstyleReporter().render(Fixtures.sample)
        #expect(out.hasPrefix("""
            <?xml version="1.0" encoding="UTF-8"?>
            <checkstyle version="4.3">
              <file name="Dockerfile">
                <error line="1" column="6" severity="warning" message="Image nginx:latest uses the latest tag" source="imagelint.latest-tag"/>
                <error line="3" column="6" severity="info" message="Image python:3.12 is not pinned by digest" source="imagelint.missing-digest"/>
              </file>
              <file name="broken.yaml">
                <error line="2" column="9" severity="error" message="mapping values are not allowed here" source="imagelint.parse-error"/>
              </file>
              <file name="clean.yaml"/>
            """))
        #expect(out.hasSuffix("""
              <file name="orphan.yaml">
                <error line="1" column="8" severity="warning" message="Image redis has no tag" source="imagelint.latest-tag"/>
              </file>
            </checkstyle>

            """))
        Golden.check(out, "sample.checkstyle.xml")
    }

    @Test func nonPositivePositionsAreLeftOut() {
        var report = Fixtures.clean
        report.findings = [Finding(rule: "parse-error", severity: .error, message: "m", file: "Dockerfile", span: Span(line: 0, column: 0, length: 0))]
        #expect(CheckstyleReporter().render(report).contains("<error severity=\"error\" message=\"m\" source=\"imagelint.parse-error\"/>"))
    }

    @Test(.enabled(if: Python.schemasPresent, Python.schemasAbsent)) func validAgainstXSD() throws {
        var report = Fixtures.sample
        report.findings += Fixtures.nasty.findings
        report.findings.sort(by: Finding.reportOrder)
        let out = CheckstyleReporter().render(report)
        let parsed = Python.json(
            """
            import json, xmlschema
            s = xmlschema.XMLSchema('\(Python.schemas)checkstyle-report-1.0.0.xsd')
            print(json.dumps([str(e) for e in s.iter_errors(sys.argv[1])]))
            """, input: out, modules: ["xmlschema"])
        #expect(parsed as? [String] == [])
    }
}
