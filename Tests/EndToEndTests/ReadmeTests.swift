import BuiltinRules
import Foundation
import ImagelintKit
import Testing

/// The README never rots: every block marked `<!-- runnable exit=N -->` is run line by line (with the debug
/// build's `imagelint` first on PATH) and must exit N, and the rule table is the generated one.
@Suite struct ReadmeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let readme = root + "/README.md"

    struct Command: CustomTestStringConvertible, Sendable {
        var line: String
        var expectedStatus: Int32
        var testDescription: String { line }
    }

    static let commands: [Command] = {
        guard let text = try? String(contentsOfFile: readme, encoding: .utf8) else { return [] }
        var out: [Command] = []
        let lines = text.components(separatedBy: "\n")
        var i = 0
        while i < lines.count {
            let l = lines[i]
            if l.hasPrefix("<!-- runnable exit="), let status = Int32(l.dropFirst(19).prefix { $0.isNumber }) {
                i += 1
                guard i < lines.count, lines[i].hasPrefix("```") else { continue }
                i += 1
                while i < lines.count, !lines[i].hasPrefix("```") {
                    let cmd = lines[i].trimmingCharacters(in: .whitespaces)
                    if !cmd.isEmpty, !cmd.hasPrefix("#") { out.append(Command(line: cmd, expectedStatus: status)) }
                    i += 1
                }
            }
            i += 1
        }
        return out
    }()

    @Test func readmeHasRunnableCommands() {
        #expect(Self.commands.count >= 15, "found \(Self.commands.count)")
    }

    @Test func readmeOpensWithTheTwoCommands() throws {
        let text = try String(contentsOfFile: Self.readme, encoding: .utf8)
        let firstBlock = text.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first
        #expect(firstBlock == "swift run -c release imagelint lint Examples\nswift test\n")
        let ci = try String(contentsOfFile: Self.root + "/.ci/run", encoding: .utf8)
        #expect(ci.contains("swift test") && ci.contains("swift run -c release imagelint lint Examples"))
    }

    @Test(arguments: commands)
    func runnable(_ c: Command) throws {
        let path = Self.root + "/.build/debug:" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let r = try ProcessRunner.run("/bin/bash", ["-c", c.line], cwd: Self.root, env: ["PATH": path, "NO_COLOR": "1"])
        #expect(r.status == c.expectedStatus, "`\(c.line)` exited \(r.status): \(r.stderr)")
    }

    @Test func ruleTableIsGenerated() throws {
        var text = try String(contentsOfFile: Self.readme, encoding: .utf8)
        let begin = "<!-- rules:begin -->\n"
        let end = "<!-- rules:end -->"
        let table = RuleDocs.readmeTable(BuiltinRules.descriptions)
        let b = try #require(text.range(of: begin))
        let e = try #require(text.range(of: end))
        if ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" {
            text.replaceSubrange(b.upperBound..<e.lowerBound, with: table)
            try text.write(toFile: Self.readme, atomically: true, encoding: .utf8)
            return
        }
        #expect(String(text[b.upperBound..<e.lowerBound]) == table, "README rule table is stale: RECORD_GOLDENS=1 swift test --filter ReadmeTests")
    }
}
