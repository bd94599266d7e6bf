import Foundation
import ImagelintCore
import Testing

@testable import Reporters

@Suite struct JSONReporterTests {
    @Test func shapeAndFields() throws {
        let out = JSONReporter().render(Fixtures.sample)
        #expect(out.hasPrefix("""
            {
              "tool": {
                "name": "imagelint",
                "version": "0.1.0"
              },
              "summary": {
                "files": 4,
                "references": 6,
                "findings": 5,
                "error": 2,
                "warning": 2,
                "info": 1,
                "suppressed": 0,
                "referencesWithFindings": 0
              },
              "findings": [
                {
                  "rule": "latest-tag",
                  "severity": "warning",
                  "message": "Image nginx:latest uses the latest tag",
                  "file": "Dockerfile",
                  "line": 1,
                  "column": 6,
                  "endLine": 1,
                  "endColumn": 18,
                  "image": "nginx:latest",
                  "resolved": "nginx:latest",
                  "source": "dockerfile-from",
                  "context": {
                    "stage": "web",
                    "stageIndex": 0,
                    "alias": "web",
                    "instruction": "FROM"
                  },
                  "fix": null
                },
            """))
        #expect(out.hasSuffix("""
              "diagnostics": [
                {
                  "file": "broken.yaml",
                  "line": 2,
                  "column": 9,
                  "severity": "error",
                  "message": "mapping values are not allowed here"
                }
              ]
            }

            """))
        Golden.check(out, "sample.json")
    }

    @Test func parsesBackWithPython() throws {
        let out = JSONReporter().render(Fixtures.sample)
        let parsed = Python.json(
            """
            import json
            d = json.load(open(sys.argv[1], encoding='utf-8'))
            f = d['findings']
            print(json.dumps({
              'keys': list(d.keys()),
              'count': len(f),
              'parse': [x['image'] is None and x['source'] is None and x['context'] is None for x in f if x['rule'] == 'parse-error'],
              'fix': [x['fix'] for x in f if x['fix'] is not None],
              'k8s': [x['context'] for x in f if x['source'] == 'kubernetes'],
            }))
            """, input: out) as? [String: Any]
        let result = try #require(parsed)
        #expect(result["keys"] as? [String] == ["tool", "summary", "findings", "diagnostics"])
        #expect(result["count"] as? Int == 5)
        #expect(result["parse"] as? [Bool] == [true])
        #expect(result["fix"] as? [[String: String]] == [["description": "Use icr.io", "replacement": "icr.io/team/app:1.2.3"]])
        let k8s = try #require((result["k8s"] as? [[String: Any]])?.first)
        #expect(k8s["imagePullPolicy"] is NSNull)
        #expect(k8s["kind"] as? String == "Deployment")
        #expect(k8s["imagePullSecrets"] as? [String] == [])
    }

    @Test func emptyReport() {
        let out = JSONReporter().render(Fixtures.clean)
        #expect(out.hasSuffix("  \"findings\": [],\n  \"diagnostics\": []\n}\n"))
    }
}
