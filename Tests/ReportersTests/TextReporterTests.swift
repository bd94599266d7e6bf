import ImagelintCore
import Testing

@testable import Reporters

@Suite struct TextReporterTests {
    @Test func plainBlocksSourceLinesAndCarets() {
        let out = TextReporter(color: false).render(Fixtures.sample)
        #expect(out.hasPrefix("""
            Dockerfile:1:6: warning: Image nginx:latest uses the latest tag [latest-tag]
                FROM nginx:latest AS web
                     ^~~~~~~~~~~~
            Dockerfile:3:6: info: Image python:3.12 is not pinned by digest [missing-digest]
                FROM\tpython:3.12
                    \t^~~~~~~~~~~
            broken.yaml:2:9: error: mapping values are not allowed here [parse-error]

            """))
        #expect(out.hasSuffix("\n\n2 errors, 2 warnings, 1 info in 4 files\n"))
        #expect(!out.contains("\u{1B}"))
        Golden.check(out, "sample.txt")
    }

    @Test func colourUsesSGR() {
        let out = TextReporter(color: true).render(Fixtures.sample)
        #expect(out.contains("\u{1B}[1mDockerfile:1:6:\u{1B}[0m \u{1B}[1;33mwarning:\u{1B}[0m Image nginx:latest"))
        #expect(out.contains("\u{1B}[1;31merror:\u{1B}[0m mapping values"))
        #expect(out.contains("\u{1B}[1;36minfo:\u{1B}[0m"))
        #expect(out.hasSuffix("\n2 errors, 2 warnings, 1 info in 4 files\n"))
    }

    @Test func noFindings() {
        #expect(TextReporter(color: false).render(Fixtures.clean) == "no findings in 1 file\n")
        #expect(TextReporter(color: true).render(Fixtures.clean) == "no findings in 1 file\n")
    }

    @Test(arguments: [
        (Summary(files: 12, errors: 3, warnings: 5, infos: 1), "3 errors, 5 warnings, 1 info in 12 files"),
        (Summary(files: 1, errors: 1), "1 error in 1 file"),
        (Summary(files: 2, warnings: 1, infos: 2), "1 warning, 2 infos in 2 files"),
        (Summary(files: 0), "no findings in 0 files"),
        (Summary(files: 3, errors: 2, infos: 1), "2 errors, 1 info in 3 files"),
    ])
    func summaryLine(summary: Summary, expected: String) {
        let report = LintReport(toolVersion: "0", findings: [], files: [], rules: [], summary: summary)
        #expect(TextReporter.summaryLine(report.summary) == expected)
    }

    @Test(arguments: [
        // (source line, span, caret line)
        ("FROM nginx", Span(line: 1, column: 6, length: 5), "     ^~~~~"),
        ("FROM x", Span(line: 1, column: 6, length: 1), "     ^"),
        ("FROM x", Span(line: 1, column: 6, length: 0), "     ^"),
        ("\t\tFROM x", Span(line: 1, column: 8, length: 1), "\t\t     ^"),
        ("é FROM ab", Span(line: 1, column: 8, length: 2), "       ^~"),
        ("中文 x:1", Span(line: 1, column: 4, length: 3), "     ^~~"),
        ("a 🐳 b", Span(line: 1, column: 3, length: 1), "  ^~"),
        ("ab", Span(line: 1, column: 50, length: 4), "  ^"),
        ("ab", Span(line: 1, column: -3, length: 1), "^"),
        ("image: >", Span(line: 1, column: 8, endLine: 3, endColumn: 4), "       ^"),
        ("image: ab", Span(line: 1, column: 8, endLine: 2, endColumn: 4), "       ^~"),
        ("", Span(line: 1, column: 1_000_000_000, length: 5), "^"),
    ])
    func caretLine(line: String, span: Span, expected: String) {
        #expect(TextReporter.caretLine(Array(line.unicodeScalars), span: span) == expected)
    }

    @Test func controlCharactersAreShownAsPictures() {
        let out = TextReporter(color: false).render(Fixtures.nasty)
        #expect(out.contains("warning: Image \"a<b>&c%d,e:f␍␊g 🐳 ␁x\" has\ta bad tag ]]> 'q' [latest-tag]"))
        #expect(out.contains("\n      ␁🐳ab\n      ^~~~~\n"))
        #expect(!out.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" })
    }

    @Test func findingWithoutSourceLineHasNoCaret() {
        var report = Fixtures.clean
        report.findings = [
            Finding(rule: "latest-tag", severity: .error, message: "m", file: "f", span: Span(line: 1, column: 1, length: 1))
        ]
        report.summary = Summary(files: 1, findings: 1, errors: 1)
        #expect(TextReporter(color: false).render(report) == "f:1:1: error: m [latest-tag]\n\n1 error in 1 file\n")
    }
}
