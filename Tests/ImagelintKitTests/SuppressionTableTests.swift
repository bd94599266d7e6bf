import ImagelintCore
import ImagelintKit
import Testing

/// One grammar everywhere (`ID[,ID…] [-- reason]` in comments and the `imagelint.io/ignore` annotation), typos
/// reported where they are written, unused suppressions reported, suppressed findings kept and marked.
@Suite struct SuppressionTableTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var file: String
        var text: String
        /// `rule@line` of the findings reported (not suppressed), sorted.
        var reported: [String]
        /// `rule@line:reason` of the suppressed findings.
        var suppressed: [String]
        var testDescription: String { name }
    }

    static func deployment(annotation: String, image: String = "bitnami/redis:7.2") -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: cache
          annotations:
            imagelint.io/ignore: \(annotation)
        spec:
          template:
            spec:
              containers:
                - name: redis
                  image: \(image)

        """
    }

    static let cases: [Case] = [
        Case(
            name: "annotation with a reason suppresses, and keeps the reason",
            file: "d.yaml", text: deployment(annotation: "\"floating-tag -- bitnami tracks minor\""),
            reported: ["missing-digest@12"], suppressed: ["floating-tag@12:bitnami tracks minor"]),
        Case(
            name: "annotation list with blanks around commas",
            file: "d.yaml", text: deployment(annotation: "floating-tag , missing-digest"),
            reported: [], suppressed: ["floating-tag@12:", "missing-digest@12:"]),
        Case(
            name: "typo in an annotation is invalid-suppression at the annotation's line",
            file: "d.yaml", text: deployment(annotation: "\"flaoting-tag -- bitnami\""),
            reported: ["floating-tag@12", "invalid-suppression@6", "missing-digest@12"], suppressed: []),
        Case(
            name: "annotation that matches nothing is unused-suppression at its line",
            file: "d.yaml", text: deployment(annotation: "latest-tag", image: "bitnami/redis:7.2.4@sha256:" + String(repeating: "a", count: 64)),
            reported: ["unused-suppression@6"], suppressed: []),
        Case(
            name: "comment with a reason",
            file: "Dockerfile", text: "# imagelint ignore=latest-tag,unpinned-base -- dev only\nFROM nginx:latest\n",
            reported: [], suppressed: ["latest-tag@2:dev only", "unpinned-base@2:dev only"]),
        Case(
            name: "comment naming a rule with nothing to suppress",
            file: "Dockerfile", text: "# imagelint ignore=latest-tag\nFROM nginx:1.25.3\n",
            reported: ["unpinned-base@2", "unused-suppression@1"], suppressed: []),
        Case(
            name: "one id of two unused",
            file: "Dockerfile", text: "# imagelint ignore=latest-tag,missing-tag\nFROM nginx:latest\n",
            reported: ["unpinned-base@2", "unused-suppression@1"], suppressed: ["latest-tag@2:"]),
        Case(
            name: "online rules are never unused offline",
            file: "Dockerfile", text: "# imagelint ignore=tag-not-found,digest-mismatch\nFROM nginx:1.25.3@sha256:" + String(repeating: "c", count: 64) + "\n",
            reported: [], suppressed: []),
        Case(
            name: "file-wide all that hides nothing",
            file: "Dockerfile", text: "# imagelint ignore-file=all\nFROM nginx:1.25.3@sha256:" + String(repeating: "d", count: 64) + "\n",
            reported: ["unused-suppression@1"], suppressed: []),
        Case(
            name: "unused-suppression can itself be suppressed by a comment above",
            file: "Dockerfile", text: "# imagelint ignore=unused-suppression -- kept for the next bump\n# imagelint ignore=latest-tag\nFROM nginx:1.25.3@sha256:" + String(repeating: "e", count: 64) + "\n",
            reported: [], suppressed: ["unused-suppression@2:kept for the next bump"]),
        Case(
            name: "trailing YAML comment",
            file: "pod.yaml", text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: nginx:latest # imagelint ignore=latest-tag,missing-digest -- local\n",
            reported: [], suppressed: ["latest-tag@8:local", "missing-digest@8:local"]),
    ]

    @Test(arguments: cases)
    func table(_ c: Case) {
        let report = Pipeline.lint(contents: Array(c.text.utf8), filename: c.file, options: LintOptions())
        let reported = report.findings.filter { !$0.isSuppressed }.map { "\($0.rule)@\($0.span.line)" }.sorted()
        let suppressed = report.findings.filter(\.isSuppressed)
            .map { "\($0.rule)@\($0.span.line):\($0.suppression?.justification ?? "")" }.sorted()
        #expect(reported == c.reported.sorted())
        #expect(suppressed == c.suppressed.sorted())
        #expect(report.summary.suppressed == c.suppressed.count)
        #expect(report.summary.findings == c.reported.count)
    }

    @Test func noIgnoreReportsEverythingAndNoUnusedSuppressions() {
        var options = LintOptions()
        options.noIgnore = true
        let text = "# imagelint ignore=latest-tag,missing-tag -- dev\nFROM nginx:latest\n"
        let report = Pipeline.lint(contents: Array(text.utf8), filename: "Dockerfile", options: options)
        #expect(report.findings.allSatisfy { !$0.isSuppressed })
        #expect(report.findings.map(\.rule).sorted() == ["latest-tag", "unpinned-base"])
    }
}
