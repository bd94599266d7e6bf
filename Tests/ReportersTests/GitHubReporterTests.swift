import ImagelintCore
import Testing

@testable import Reporters

@Suite struct GitHubReporterTests {
    @Test func oneCommandPerFinding() {
        let out = GitHubReporter().render(Fixtures.sample)
        #expect(out == """
            ::warning file=Dockerfile,line=1,col=6,endLine=1,endColumn=18,title=imagelint latest-tag::Image nginx:latest uses the latest tag
            ::notice file=Dockerfile,line=3,col=6,endLine=3,endColumn=17,title=imagelint missing-digest::Image python:3.12 is not pinned by digest
            ::error file=broken.yaml,line=2,col=9,endLine=2,endColumn=10,title=imagelint parse-error::mapping values are not allowed here
            ::error file=deploy/app.yaml,line=7,col=16,endLine=7,endColumn=51,title=imagelint deprecated-registry::Image registry.bluemix.net/team/app:1.2.3 uses the deprecated registry registry.bluemix.net
            ::warning file=orphan.yaml,line=1,col=8,endLine=1,endColumn=13,title=imagelint latest-tag::Image redis has no tag

            """)
        Golden.check(out, "sample.github.txt")
    }

    @Test func escaping() {
        let out = GitHubReporter().render(Fixtures.nasty)
        #expect(out == "::warning file=we%2Cird%3Adir/my file%25ü🐳.yaml,line=2,col=3,endLine=2,endColumn=7,"
            + "title=imagelint latest-tag::Image \"a<b>&c%25d,e:f%0D%0Ag 🐳 \u{01}x\" has\ta bad tag ]]> 'q'\n")
    }

    @Test func columnsOnlyOnSingleLineSpans() {
        var report = Fixtures.clean
        report.findings = [
            Finding(rule: "r", severity: .info, message: "m", file: "f", span: Span(line: 2, column: 3, endLine: 4, endColumn: 1)),
            Finding(rule: "r", severity: .info, message: "m", file: "f", span: Span(line: 0, column: 0, endLine: 0, endColumn: 0)),
        ]
        #expect(GitHubReporter().render(report) == """
            ::notice file=f,line=2,endLine=4,title=imagelint r::m
            ::notice file=f,title=imagelint r::m

            """)
    }

    @Test func emptyReportIsEmpty() {
        #expect(GitHubReporter().render(Fixtures.clean) == "")
    }
}
