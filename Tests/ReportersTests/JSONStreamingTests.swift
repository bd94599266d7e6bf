import ImagelintCore
import Testing

@testable import Reporters

/// The JSON reporter writes findings directly and can stream; its bytes must stay those of the one
/// `JSONValue` tree it used to build.
@Suite struct JSONStreamingTests {
    static let reports = [Fixtures.sample, Fixtures.nasty, Fixtures.clean]

    /// The document as one tree, serialized: the reference output.
    static func viaTree(_ report: LintReport) -> String {
        let s = report.summary
        let document: JSONValue = .object([
            ("tool", .object([("name", .string(report.toolName)), ("version", .string(report.toolVersion))])),
            (
                "summary",
                .object([
                    ("files", .int(s.files)), ("references", .int(s.references)), ("findings", .int(s.findings)),
                    ("error", .int(s.errors)), ("warning", .int(s.warnings)), ("info", .int(s.infos)),
                ])
            ),
            ("findings", .array(report.findings.map(JSONReporter.json))),
            ("diagnostics", .array(report.diagnostics.map(\.json))),
        ])
        return document.serialized(indent: 2) + "\n"
    }

    @Test(arguments: 0..<3)
    func renderMatchesTheTree(_ i: Int) {
        let report = Self.reports[i]
        #expect(Array(JSONReporter().render(report).utf8) == Array(Self.viaTree(report).utf8))
    }

    @Test func findingWithFixAndNullsMatchesTheTree() {
        var f = Finding(
            rule: "deprecated-registry", severity: .warning, message: "image `k8s.gcr.io/pause:3.9` \"moved\"\n",
            file: "a/b.yaml", span: Span(line: 3, column: 14, length: 20), image: "k8s.gcr.io/pause:3.9",
            resolved: nil, source: .kubernetes, origin: Origin(TestContext()),
            fix: Fix(description: "Pull from registry.k8s.io", replacement: "registry.k8s.io/pause:3.9"))
        var bare = f
        bare.context = nil
        bare.fix = nil
        bare.image = nil
        bare.source = nil
        var k8s = f
        k8s.context?.kind = "Deployment"
        k8s.context?.imagePullSecrets = ["a", "b\\c"]
        k8s.context?.imagePullPolicy = nil
        f.context?.imagePullSecrets = []
        for finding in [f, bare, k8s] {
            var direct = ReportBuffer()
            JSONReporter.write(finding, into: &direct)
            var tree = ""
            JSONReporter.json(finding).serialize(into: &tree, indent: 2, level: 2)
            #expect(direct.string == tree)
        }
    }

    @Test func integersAndContextsWriteAsTheTreeDoes() {
        for n in [0, 7, 10, 99, 100, 12345, Int.max, -1, -90, Int.min] {
            var b = ReportBuffer()
            b.append(n)
            #expect(b.string == String(n))
        }
        var c = TestContext()
        for context in [c, { c.stage = "build \"x\""; c.stageIndex = 2; c.onbuild = false; return c }(),
            { c.kind = "Pod"; c.imagePullSecrets = []; return c }(), { c.imagePullSecrets = ["a", "é\n"]; return c }()]
        {
            var direct = ReportBuffer()
            JSONReporter.writeContext(Origin(context), into: &direct, level: 3)
            var tree = ""
            Origin(context).json.serialize(into: &tree, indent: 2, level: 3)
            #expect(direct.string == tree)
        }
    }
}
