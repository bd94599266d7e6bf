import Foundation
import Testing
import TestSupport

/// The real reports of `imagelint lint Examples` (the goldens) are valid against the official schemas, not only
/// the synthetic reports of the reporter tests.
@Suite struct GoldenSchemaTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    /// `../shared/conformance/schemas` beside the package root (`IMAGELINT_SCHEMAS` overrides it), "" when absent.
    static let schemas: String =
        ProcessInfo.processInfo.environment["IMAGELINT_SCHEMAS"] ?? TestPaths.shared("conformance/schemas") ?? ""
    static let schemasPresent = FileManager.default.fileExists(atPath: schemas + "/sarif-schema-2.1.0.json")

    @Test(.enabled(if: schemasPresent, Comment(rawValue: "skipped: no conformance schemas (set IMAGELINT_SCHEMAS, or check out ../shared beside the package root)")))
    func examplesReportsValidate() throws {
        let g = Self.root + "/Tests/EndToEndTests/Goldens/"
        let script = """
            import json, sys, jsonschema, xmlschema, junitparser
            S, G = sys.argv[1] + '/', sys.argv[2]
            sarif = json.load(open(G + 'lint-examples.sarif'))
            jsonschema.validate(sarif, json.load(open(S + 'sarif-schema-2.1.0.json')))
            assert len(sarif['runs'][0]['results']) > 10
            xmlschema.XMLSchema(S + 'junit-windyroad.xsd').validate(G + 'lint-examples.xml')
            suites = list(junitparser.JUnitXml.fromfile(G + 'lint-examples.xml'))
            assert len(suites) >= 8 and all(s.tests == len(list(s)) for s in suites)
            xmlschema.XMLSchema(S + 'checkstyle-report-1.0.0.xsd').validate(G + 'lint-examples.checkstyle.xml')
            gl = json.load(open(G + 'lint-examples.gitlab.json'))
            item = json.load(open(S + 'gitlab-codequality.schema.json'))
            for issue in gl: jsonschema.validate(issue, item)
            assert len({i['fingerprint'] for i in gl}) == len(gl)
            print('ok')
            """
        // The validators come from Tests/Python/venv.py (a virtual environment in .build/test-venv, made on first
        // use, shared with the reporter tests); it fails with the reason when it cannot make one.
        let venv = try ProcessRunner.run("/usr/bin/env", ["python3", Self.root + "/Tests/Python/venv.py"])
        let python = venv.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(venv.status == 0 && !python.isEmpty, "no Python for the schema validators: \(venv.stderr)")
        let r = try ProcessRunner.run(python, ["-c", script, Self.schemas, g])
        let text = r.stdout + r.stderr
        #expect(r.status == 0 && text.contains("ok"), "\(text)")
    }
}
