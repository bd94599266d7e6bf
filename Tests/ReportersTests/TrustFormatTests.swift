import ImagelintCore
import Testing

@testable import Reporters

/// Text: one excerpt per reference, most severe first; GitHub paths relative to `GITHUB_WORKSPACE`; JUnit
/// failure types and `--fail-on`.
@Suite struct TrustFormatTests {
    static func finding(_ rule: String, _ severity: Severity, line: Int = 1, file: String = "Dockerfile") -> Finding {
        Finding(
            rule: rule, severity: severity, message: rule + " message", file: file, span: Span(line: line, column: 6, length: 12),
            image: "nginx:latest", sourceLine: "FROM nginx:latest")
    }

    static func report(_ findings: [Finding]) -> LintReport {
        var summary = Summary(files: 1, references: 1)
        for f in findings { summary.count(f) }
        summary.referencesWithFindings = Summary.referencesWithFindings(findings)
        return LintReport(
            toolVersion: "0.1.0", findings: findings, files: [LintedFile(path: "Dockerfile", kinds: [.dockerfile], rules: [])],
            rules: [], summary: summary)
    }

    @Test func textPrintsOneExcerptPerReferenceMostSevereFirst() {
        let findings = [Self.finding("floating-tag", .warning), Self.finding("latest-tag", .error), Self.finding("missing-digest", .info)]
            .sorted(by: Finding.reportOrder)
        let out = TextReporter(color: false).render(Self.report(findings))
        #expect(out == """
            Dockerfile:1:6: error: latest-tag message [latest-tag]
            Dockerfile:1:6: warning: floating-tag message [floating-tag]
            Dockerfile:1:6: info: missing-digest message [missing-digest]
                FROM nginx:latest
                     ^~~~~~~~~~~~

            1 error, 1 warning, 1 info on 1 reference in 1 file

            """)
    }

    @Test func textCountsSuppressedAndDoesNotShowThem() {
        var hidden = Self.finding("latest-tag", .error)
        hidden.suppression = Suppression(justification: "dev", via: .comment, line: 1)
        let out = TextReporter(color: false).render(Self.report([hidden, Self.finding("unpinned-base", .warning, line: 2)]))
        #expect(!out.contains("[latest-tag]"))
        #expect(out.hasSuffix("1 warning on 1 reference in 1 file (1 suppressed)\n"))
    }

    @Test(arguments: [
        // (workspace, cwd, path as linted, path written)
        ("/home/runner/work/repo", "/home/runner/work/repo/services/api", "Dockerfile", "services/api/Dockerfile"),
        ("/home/runner/work/repo/", "/home/runner/work/repo", "./k8s/app.yaml", "k8s/app.yaml"),
        ("/home/runner/work/repo", "/home/runner/work/repo/a", "../b/Dockerfile", "b/Dockerfile"),
        ("/home/runner/work/repo", "/tmp", "/home/runner/work/repo/x.yaml", "x.yaml"),
        ("/home/runner/work/repo", "/tmp", "Dockerfile", "Dockerfile"),
        ("/home/runner/work/repo", "/home/runner/work/repository", "Dockerfile", "Dockerfile"),
    ])
    func githubPathsAreRelativeToTheWorkspace(_ c: (String, String, String, String)) {
        let reporter = GitHubReporter(workspace: c.0, currentDirectory: c.1)
        #expect(reporter.annotationPath(c.2) == c.3)
        let out = reporter.render(Self.report([Self.finding("latest-tag", .error, file: c.2)]))
        #expect(out.hasPrefix("::error file=" + c.3 + ","))
    }

    @Test func junitFailureTypeIsTheSeverityAndFailOnIsRespected() {
        let findings = [Self.finding("latest-tag", .error), Self.finding("floating-tag", .warning, line: 2)].sorted(by: Finding.reportOrder)
        var r = Self.report(findings)
        r.files = [LintedFile(path: "Dockerfile", kinds: [.dockerfile], rules: ["latest-tag", "floating-tag"])]
        let strict = JUnitReporter(failThreshold: .warning).render(r)
        #expect(strict.contains("<failure type=\"error\""))
        #expect(strict.contains("<failure type=\"warning\""))
        let normal = JUnitReporter(failThreshold: .error).render(r)
        #expect(normal.contains("<failure type=\"error\""))
        #expect(!normal.contains("<failure type=\"warning\""))
        #expect(normal.contains("failures=\"1\""))
        let never = JUnitReporter(failThreshold: nil).render(r)
        #expect(!never.contains("<failure"))
    }
}
