import ImagelintCore
import Testing

@testable import Reporters

@Suite struct DeterminismTests {
    @Test(arguments: ReportFormat.allCases)
    func sameReportSameBytes(format: ReportFormat) {
        for report in [Fixtures.sample, Fixtures.nasty, Fixtures.clean] {
            for color in [false, true] {
                let a = format.reporter(color: color).render(report)
                let b = format.reporter(color: color).render(report)
                #expect(Array(a.utf8) == Array(b.utf8))
                #expect(a.hasSuffix("\n") || a.isEmpty)
            }
        }
    }

    @Test func formatsMapToTheirReporters() {
        #expect(ReportFormat.allCases.map(\.rawValue) == ["text", "json", "junit", "sarif", "github", "gitlab", "checkstyle"])
        #expect(ReportFormat.text.reporter(color: true) is TextReporter)
        #expect((ReportFormat.text.reporter(color: true) as? TextReporter)?.color == true)
        #expect(ReportFormat.json.reporter(color: true) is JSONReporter)
        #expect(ReportFormat.junit.reporter(color: false) is JUnitReporter)
        #expect(ReportFormat.sarif.reporter(color: false) is SARIFReporter)
        #expect(ReportFormat.github.reporter(color: false) is GitHubReporter)
        #expect(ReportFormat.gitlab.reporter(color: false) is GitLabReporter)
        #expect(ReportFormat.checkstyle.reporter(color: false) is CheckstyleReporter)
    }
}

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (String(repeating: "ü🐳", count: 300), "a5001a2934c90a308d3e9447ac7b6cffa4ec041d946ab3f9f7a85eb1a5e9959e"),
    ])
    func vectors(input: String, hex: String) {
        #expect(SHA256.hex(input) == hex)
    }
}
