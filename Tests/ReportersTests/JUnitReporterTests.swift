import Foundation
import ImagelintCore
import Testing

@testable import Reporters

@Suite struct JUnitReporterTests {
    @Test func structureAndCounts() {
        let out = JUnitReporter(rootTotals: true).render(Fixtures.sample)
        #expect(out.hasPrefix("""
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="imagelint" tests="17" failures="4" errors="1">
              <testsuite name="Dockerfile" package="Dockerfile" id="0" timestamp="1970-01-01T00:00:00" hostname="localhost" tests="4" failures="2" errors="0" skipped="0" time="0">
                <properties/>
                <testcase name="latest-tag" classname="Dockerfile" time="0">
                  <failure type="latest-tag" message="Image nginx:latest uses the latest tag">1:6 nginx:latest Image nginx:latest uses the latest tag</failure>
                </testcase>
                <testcase name="parse-error" classname="Dockerfile" time="0"/>
            """))
        #expect(out.contains("""
                <testcase name="parse-error" classname="broken.yaml" time="0">
                  <error type="parse-error" message="mapping values are not allowed here">2:9 mapping values are not allowed here</error>
                </testcase>
            """))
        // A file only findings name still gets a suite, with the finding's rule as its one test case.
        #expect(out.contains("""
              <testsuite name="orphan.yaml" package="orphan.yaml" id="4" timestamp="1970-01-01T00:00:00" hostname="localhost" tests="1" failures="1" errors="0" skipped="0" time="0">
                <properties/>
                <testcase name="latest-tag" classname="orphan.yaml" time="0">
            """))
        #expect(out.hasSuffix("  </testsuite>\n</testsuites>\n"))
        Golden.check(out, "sample.junit.xml")
    }

    @Test func severalFindingsOfOneRuleShareOneFailure() {
        var report = Fixtures.clean
        report.findings = [
            Finding(rule: "latest-tag", severity: .warning, message: "A", file: "Dockerfile", span: Span(line: 1, column: 6, length: 1), image: "a"),
            Finding(rule: "latest-tag", severity: .warning, message: "B", file: "Dockerfile", span: Span(line: 4, column: 6, length: 1), image: "b"),
        ]
        let out = JUnitReporter(rootTotals: true).render(report)
        #expect(out.contains("<failure type=\"latest-tag\" message=\"A&#10;B\">1:6 a A\n4:6 b B</failure>"))
        #expect(out.contains("<testsuites name=\"imagelint\" tests=\"1\" failures=\"1\" errors=\"0\">"))
    }

    @Test func rootTotalsCanBeLeftOut() {
        let out = JUnitReporter(rootTotals: false).render(Fixtures.sample)
        #expect(out.contains("\n<testsuites>\n"))
        #expect(out.replacingOccurrences(of: "<testsuites>", with: "<testsuites name=\"imagelint\" tests=\"17\" failures=\"4\" errors=\"1\">")
            == JUnitReporter(rootTotals: true).render(Fixtures.sample))
    }

    static let validate = """
        import json, xmlschema
        from junitparser import JUnitXml
        path = sys.argv[1]
        schemas = '\(Python.schemas)'
        windy = xmlschema.XMLSchema(schemas + 'junit-windyroad.xsd')
        jenkins = xmlschema.XMLSchema(schemas + 'junit-jenkins-xunit.xsd')
        import xml.etree.ElementTree as ET
        tree = ET.parse(path)
        root = tree.getroot()
        stripped = ET.Element('testsuites')
        stripped.extend(list(root))
        errors = [str(e) for e in jenkins.iter_errors(path)]
        errors += [str(e) for e in windy.iter_errors(ET.ElementTree(stripped))]
        if not root.attrib:
            errors += [str(e) for e in windy.iter_errors(path)]
        x = JUnitXml.fromfile(path)
        suites = []
        for s in x:
            cases = list(s)
            suites.append({
              'name': s.name, 'tests': s.tests, 'failures': s.failures, 'errors': s.errors, 'skipped': s.skipped,
              'cases': len(cases),
              'failed': sum(1 for c in cases if any(type(r).__name__ == 'Failure' for r in c.result)),
              'errored': sum(1 for c in cases if any(type(r).__name__ == 'Error' for r in c.result)),
              'passed': sum(1 for c in cases if c.is_passed),
            })
        print(json.dumps({'errors': errors, 'root': dict(root.attrib), 'suites': suites}))
        """

    @Test(.enabled(if: Python.schemasPresent, Python.schemasAbsent), arguments: [true, false])
    func validAgainstSchemasAndJunitparser(rootTotals: Bool) throws {
        let out = JUnitReporter(rootTotals: rootTotals).render(Fixtures.sample)
        let parsed = Python.json(Self.validate, input: out, modules: ["xmlschema", "junitparser"]) as? [String: Any]
        let result = try #require(parsed)
        #expect(result["errors"] as? [String] == [])
        if rootTotals {
            #expect(result["root"] as? [String: String] == ["name": "imagelint", "tests": "17", "failures": "4", "errors": "1"])
        }
        let suites = try #require(result["suites"] as? [[String: Any]])
        #expect(suites.map { $0["name"] as? String } == ["Dockerfile", "broken.yaml", "clean.yaml", "deploy/app.yaml", "orphan.yaml"])
        for s in suites {
            // the declared counts agree with the test cases, and add up
            #expect(s["tests"] as? Int == s["cases"] as? Int)
            #expect(s["failures"] as? Int == s["failed"] as? Int)
            #expect(s["errors"] as? Int == s["errored"] as? Int)
            #expect(s["skipped"] as? Int == 0)
            let sum = (s["passed"] as? Int ?? -1) + (s["failed"] as? Int ?? -1) + (s["errored"] as? Int ?? -1)
            #expect(sum == s["tests"] as? Int)
        }
        #expect(suites.map { $0["failures"] as? Int } == [2, 0, 0, 1, 1])
        #expect(suites.map { $0["errors"] as? Int } == [0, 1, 0, 0, 0])
    }
}
