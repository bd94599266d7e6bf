import Foundation
import Testing

/// No silent passes: missing paths, a mistyped subcommand, a run that lints nothing, `--output` without
/// `--format`, two reports to one file.
@Suite struct NoSilentPassTests {
    static let binary = ProcessRunner.imagelint

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var arguments: [String]
        var status: Int32
        /// Text standard error must contain.
        var stderr: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "missing path, --fail-on never", arguments: ["lint", "nope", "--fail-on", "never"], status: 2, stderr: "nope: no such file or directory"),
        Case(name: "missing path beside a good one", arguments: ["lint", "nope", "Dockerfile", "--fail-on", "never"], status: 2, stderr: "nope: no such file or directory"),
        Case(name: "first argument close to a subcommand", arguments: ["lnt", "."], status: 64, stderr: "did you mean `lint`?"),
        Case(name: "close to another subcommand", arguments: ["rulez"], status: 64, stderr: "did you mean `rules`?"),
        Case(name: "a run that lints no file", arguments: ["lint", "empty"], status: 0, stderr: "no file was linted in empty"),
        Case(name: "--output without --format, unknown extension", arguments: ["lint", "--output", "report.out", "."], status: 64, stderr: "cannot tell the format of --output report.out"),
        Case(name: "two reports to one path", arguments: ["lint", "-f", "json", "-o", "r.json", "-f", "sarif", "-o", "./r.json", "."], status: 64, stderr: "two reports (json and sarif) would be written to ./r.json"),
        Case(name: "a clean file", arguments: ["lint", "Dockerfile"], status: 0, stderr: ""),
    ]

    static func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("imagelint-nosilent-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: dir + "/empty", withIntermediateDirectories: true)
        try "FROM nginx:1.25.3@sha256:\(String(repeating: "a", count: 64))\n".write(toFile: dir + "/Dockerfile", atomically: true, encoding: .utf8)
        return dir
    }

    @Test(arguments: cases)
    func table(_ c: Case) throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try ProcessRunner.run(Self.binary, c.arguments, cwd: dir, env: ["NO_COLOR": "1"])
        #expect(r.status == c.status, "\(c.arguments): \(r.stderr)")
        #expect(c.stderr.isEmpty || r.stderr.contains(c.stderr), "\(c.arguments): \(r.stderr)")
        if c.status == 0, c.stderr.isEmpty { #expect(!r.stderr.contains("no file was linted")) }
    }

    @Test(arguments: [
        ("r.sarif", "\"version\": \"2.1.0\""), ("r.json", "\"summary\""), ("r.xml", "<testsuites"),
        ("r.gitlab.json", "[]"), ("r.checkstyle.xml", "<checkstyle"),
    ])
    func outputWithoutFormatTakesItFromTheName(_ c: (String, String)) throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try ProcessRunner.run(Self.binary, ["lint", "--output", c.0, "Dockerfile"], cwd: dir, env: ["NO_COLOR": "1"])
        #expect(r.status == 0, "\(r.stderr)")
        let written = try String(contentsOfFile: dir + "/" + c.0, encoding: .utf8)
        #expect(written.contains(c.1))
    }
}
