import Foundation
import ImagelintCore
import Testing

@testable import Reporters

@Suite struct GitLabReporterTests {
    @Test func issues() throws {
        let out = GitLabReporter().render(Fixtures.sample)
        let fingerprint = Fingerprint.fingerprints(of: Fixtures.sample.findings)[3]
        #expect(out.contains("""
              {
                "type": "issue",
                "check_name": "deprecated-registry",
                "description": "Image registry.bluemix.net/team/app:1.2.3 uses the deprecated registry registry.bluemix.net",
                "categories": [
                  "Bug Risk"
                ],
                "severity": "major",
                "fingerprint": "\(fingerprint)",
                "location": {
                  "path": "deploy/app.yaml",
                  "lines": {
                    "begin": 7
                  }
                }
              }
            """))
        #expect(out.hasPrefix("[\n  {\n"))
        #expect(out.hasSuffix("\n]\n"))
        Golden.check(out, "sample.gitlab.json")
        let issues = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]])
        #expect(issues.map { $0["severity"] as? String } == ["minor", "info", "major", "major", "minor"])
    }

    @Test func emptyIsAnEmptyArray() {
        #expect(GitLabReporter().render(Fixtures.clean) == "[]\n")
    }

    @Test func leadingDotSlashIsDropped() {
        var report = Fixtures.clean
        report.findings = [Finding(rule: "r", severity: .info, message: "m", file: "./a/./b.yaml", span: Span(line: 1, column: 1, endLine: 3, endColumn: 1))]
        let out = GitLabReporter().render(report)
        #expect(out.contains("\"path\": \"a/./b.yaml\""))
        #expect(out.contains("\"begin\": 1,\n        \"end\": 3"))
    }

    @Test(.enabled(if: Python.schemasPresent, Python.schemasAbsent)) func validAgainstSchemaAndDocs() throws {
        var report = Fixtures.sample
        report.findings += Fixtures.nasty.findings + [Fixtures.sample.findings[0]]
        report.findings.sort(by: Finding.reportOrder)
        let out = GitLabReporter().render(report)
        let parsed = Python.json(
            """
            import json, jsonschema
            schema = json.load(open('\(Python.schemas)gitlab-codequality.schema.json', encoding='utf-8'))
            raw = open(sys.argv[1], 'rb').read()
            errors = []
            if raw.startswith(b'\\xef\\xbb\\xbf'): errors.append('BOM')
            doc = json.loads(raw)
            if not isinstance(doc, list): errors.append('not an array')
            v = jsonschema.Draft7Validator(schema)
            for i, e in enumerate(doc):
                errors += ['%d: %s' % (i, x.message) for x in v.iter_errors(e)]
                if not isinstance(e.get('check_name'), str): errors.append('%d: check_name' % i)
                if not isinstance(e['location'].get('path'), str): errors.append('%d: path' % i)
                if e['severity'] not in ['info', 'minor', 'major', 'critical', 'blocker']: errors.append('%d: severity' % i)
                if not isinstance(e['location'].get('lines', {}).get('begin'), int): errors.append('%d: lines.begin' % i)
            if len({e['fingerprint'] for e in doc}) != len(doc): errors.append('duplicate fingerprints')
            print(json.dumps({'errors': errors, 'count': len(doc)}))
            """, input: out, modules: ["jsonschema"]) as? [String: Any]
        let result = try #require(parsed)
        #expect(result["errors"] as? [String] == [])
        #expect(result["count"] as? Int == 7)
    }
}
