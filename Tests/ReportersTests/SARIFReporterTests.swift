import Foundation
import ImagelintCore
import Testing

@testable import Reporters

@Suite struct SARIFReporterTests {
    @Test func headerDriverAndRules() {
        let out = SARIFReporter().render(Fixtures.sample)
        #expect(out.hasPrefix("""
            {
              "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
              "version": "2.1.0",
              "runs": [
                {
                  "tool": {
                    "driver": {
                      "name": "imagelint",
                      "version": "0.1.0",
                      "semanticVersion": "0.1.0",
                      "informationUri": "https://github.com/imagelint/imagelint",
                      "rules": [
                        {
                          "id": "latest-tag",
                          "name": "LatestTag",
                          "shortDescription": {
                            "text": "Image uses the latest tag or no tag"
                          },
                          "fullDescription": {
                            "text": "`latest` moves: pin a release tag or a digest."
                          },
                          "help": {
                            "text": "`latest` moves: pin a release tag or a digest.\\n\\nExample that triggers the rule (Dockerfile):\\n\\n    FROM nginx:latest\\n",
                            "markdown": "`latest` moves: pin a release tag or a digest.\\n\\nExample that triggers the rule (`Dockerfile`):\\n\\n```dockerfile\\nFROM nginx:latest\\n```"
                          },
                          "helpUri": "https://github.com/imagelint/imagelint/blob/main/Rules/README.md#latest-tag",
                          "defaultConfiguration": {
                            "level": "warning"
                          }
                        },
            """))
        #expect(out.contains("\"columnKind\": \"unicodeCodePoints\""))
        #expect(out.contains("\"%SRCROOT%\": {\n          \"description\""))
        Golden.check(out, "sample.sarif")
    }

    @Test func resultsWithLocationsFingerprintsAndFixes() throws {
        let out = SARIFReporter().render(Fixtures.sample)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 5)
        #expect(results.map { $0["ruleId"] as? String } == ["latest-tag", "missing-digest", "parse-error", "deprecated-registry", "latest-tag"])
        #expect(results.map { $0["ruleIndex"] as? Int } == [0, 2, 1, 3, 0])
        #expect(results.map { $0["level"] as? String } == ["warning", "note", "error", "error", "warning"])

        let deprecated = results[3]
        let location = try #require((deprecated["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect(location["artifactLocation"] as? [String: String] == ["uri": "deploy/app.yaml", "uriBaseId": "%SRCROOT%"])
        #expect(location["region"] as? [String: Int] == ["startLine": 7, "startColumn": 16, "endLine": 7, "endColumn": 51])
        let fix = try #require((deprecated["fixes"] as? [[String: Any]])?.first)
        #expect((fix["description"] as? [String: String])?["text"] == "Use icr.io")
        let change = try #require((fix["artifactChanges"] as? [[String: Any]])?.first)
        let replacement = try #require((change["replacements"] as? [[String: Any]])?.first)
        #expect(replacement["deletedRegion"] as? [String: Int] == ["startLine": 7, "startColumn": 16, "endLine": 7, "endColumn": 51])
        #expect((replacement["insertedContent"] as? [String: String])?["text"] == "icr.io/team/app:1.2.3")
        #expect(results.filter { $0["fixes"] != nil }.count == 1)
        #expect(deprecated["properties"] as? [String: String]
            == ["image": "registry.bluemix.net/team/app:1.2.3", "resolved": "registry.bluemix.net/team/app:1.2.3"])
        #expect(results[2]["properties"] == nil)

        let fingerprints = results.compactMap { ($0["partialFingerprints"] as? [String: String])?["imagelint/v1"] }
        #expect(fingerprints.count == 5)
        #expect(Set(fingerprints).count == 5)
        #expect(fingerprints.allSatisfy { $0.count == 64 })
    }

    @Test func fingerprintsIgnoreLinesButNotIdentity() {
        let base = Fixtures.sample
        var moved = base
        for i in moved.findings.indices {
            moved.findings[i].span.line += 10
            moved.findings[i].span.endLine += 10
        }
        #expect(Fingerprint.fingerprints(of: base.findings) == Fingerprint.fingerprints(of: moved.findings))
        var renamed = base
        renamed.findings[0].image = "nginx:latest-other"
        #expect(Fingerprint.fingerprints(of: base.findings)[0] != Fingerprint.fingerprints(of: renamed.findings)[0])
        #expect(Fingerprint.fingerprints(of: base.findings)[1...] == Fingerprint.fingerprints(of: renamed.findings)[1...])
        var otherStage = base
        otherStage.findings[0].context?.stage = "build"
        #expect(Fingerprint.fingerprints(of: base.findings)[0] != Fingerprint.fingerprints(of: otherStage.findings)[0])
        // identical findings on different lines get different fingerprints
        let twice = [base.findings[0], base.findings[0]]
        let prints = Fingerprint.fingerprints(of: twice)
        #expect(prints[0] != prints[1])
        #expect(prints[0] == Fingerprint.fingerprints(of: base.findings)[0])
    }

    @Test(arguments: [
        ("deploy/app.yaml", "deploy/app.yaml", false),
        ("./k8s/my app.yaml", "k8s/my%20app.yaml", false),
        ("we,ird:dir/my file%ü🐳.yaml", "we%2Cird%3Adir/my%20file%25%C3%BC%F0%9F%90%B3.yaml", false),
        ("a#b?c[d]", "a%23b%3Fc%5Bd%5D", false),
        ("/abs/dir/Docker file", "file:///abs/dir/Docker%20file", true),
        ("C:/work/Dockerfile", "file:///C:/work/Dockerfile", true),
        ("C:\\work\\x y", "file:///C:/work/x%20y", true),
    ])
    func uris(path: String, uri: String, absolute: Bool) {
        let got = Paths.uri(path)
        #expect(got.uri == uri)
        #expect(got.isAbsolute == absolute)
        let location = SARIFReporter.artifactLocation(path)
        #expect(location == (absolute ? .object([("uri", .string(uri))]) : .object([("uri", .string(uri)), ("uriBaseId", .string("%SRCROOT%"))])))
    }

    @Test(arguments: [
        (Span(line: 3, column: 2, endLine: 3, endColumn: 5), #"{"startLine":3,"startColumn":2,"endLine":3,"endColumn":5}"#),
        (Span(line: 3, column: 2, endLine: 5, endColumn: 1), #"{"startLine":3,"startColumn":2,"endLine":5,"endColumn":1}"#),
        (Span(line: 3, column: 0, endLine: 3, endColumn: 0), #"{"startLine":3,"endLine":3}"#),
        (Span(line: 3, column: 5, endLine: 3, endColumn: 2), #"{"startLine":3,"startColumn":5,"endLine":3}"#),
        (Span(line: 3, column: 5, endLine: 2, endColumn: 9), #"{"startLine":3,"startColumn":5}"#),
    ])
    func regions(span: Span, expected: String) {
        #expect(SARIFReporter.region(span)?.serialized(indent: 0) == expected)
    }

    @Test func unknownRuleHasNoRuleIndex() throws {
        var report = Fixtures.clean
        report.findings = [Finding(rule: "not-listed", severity: .info, message: "m", file: "f", span: Span(line: 1, column: 1, length: 1))]
        let out = SARIFReporter().render(report)
        #expect(out.contains("\"ruleId\": \"not-listed\",\n          \"level\": \"note\""))
        #expect(!out.contains("\"ruleIndex\""))
    }

    @Test func noRegionForLineZero() {
        #expect(SARIFReporter.region(Span(line: 0, column: 1, length: 1)) == nil)
    }

    @Test(arguments: [("latest-tag", "LatestTag"), ("parse-error", "ParseError"), ("x", "X"), ("floating-tag-2", "FloatingTag2")])
    func pascalCase(id: String, name: String) {
        #expect(SARIFReporter.pascalCase(id) == name)
    }

    @Test(.enabled(if: Python.schemasPresent, Python.schemasAbsent)) func validAgainstSchema() throws {
        var report = Fixtures.sample
        report.findings += Fixtures.nasty.findings
        report.findings.append(
            Finding(rule: "latest-tag", severity: .warning, message: "m", file: "/abs/Dockerfile", span: Span(line: 1, column: 1, length: 1), image: "x"))
        report.findings.sort(by: Finding.reportOrder)
        let out = SARIFReporter().render(report)
        let parsed = Python.json(
            """
            import json, jsonschema
            schema = json.load(open('\(Python.schemas)sarif-schema-2.1.0.json', encoding='utf-8'))
            log = json.load(open(sys.argv[1], encoding='utf-8'))
            errata = json.load(open('\(Python.schemas)sarif-schema-2.1.0-errata01.json', encoding='utf-8'))
            errors = []
            for v in [jsonschema.Draft7Validator(schema), jsonschema.Draft4Validator(errata)]:
                errors += [e.message + ' at ' + '/'.join(map(str, e.absolute_path)) for e in v.iter_errors(log)]
            print(json.dumps(errors))
            """, input: out, modules: ["jsonschema"])
        #expect(parsed as? [String] == [])
    }

    /// Suppressed findings stay in the log with `suppressions: [{kind: inSource, justification}]`, and the log
    /// still validates against the official schema and its errata.
    @Test(.enabled(if: Python.schemasPresent, Python.schemasAbsent)) func suppressedFindingsValidateAgainstSchema() throws {
        var report = Fixtures.sample
        report.findings[0].suppression = Suppression(justification: "bitnami tracks minor", via: .annotation, line: 4)
        report.findings[1].suppression = Suppression(justification: nil, via: .comment, line: 2)
        let out = SARIFReporter().render(report)
        #expect(out.contains("""
                      "suppressions": [
                        {
                          "kind": "inSource",
                          "justification": "bitnami tracks minor"
                        }
                      ]
            """))
        let parsed = Python.json(
            """
            import json, jsonschema
            schema = json.load(open('\(Python.schemas)sarif-schema-2.1.0.json', encoding='utf-8'))
            log = json.load(open(sys.argv[1], encoding='utf-8'))
            errata = json.load(open('\(Python.schemas)sarif-schema-2.1.0-errata01.json', encoding='utf-8'))
            errors = []
            for v in [jsonschema.Draft7Validator(schema), jsonschema.Draft4Validator(errata)]:
                errors += [e.message + ' at ' + '/'.join(map(str, e.absolute_path)) for e in v.iter_errors(log)]
            kinds = [r.get('suppressions') for r in log['runs'][0]['results']]
            print(json.dumps({'errors': errors, 'suppressed': sum(1 for k in kinds if k)}))
            """, input: out, modules: ["jsonschema"])
        let result = parsed as? [String: Any]
        #expect(result?["errors"] as? [String] == [])
        #expect(result?["suppressed"] as? Int == 2)
    }
}
