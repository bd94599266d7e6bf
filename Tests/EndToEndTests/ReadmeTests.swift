import BuiltinRules
import Foundation
import ImagelintKit
import Testing
import TestSupport

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
        let path = TestPaths.binPath + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let r = try ProcessRunner.run("/bin/bash", ["-c", c.line], cwd: Self.root, env: ["PATH": path, "NO_COLOR": "1"])
        #expect(r.status == c.expectedStatus, "`\(c.line)` exited \(r.status): \(r.stderr)")
    }

    /// A text block after `<!-- output-of: COMMAND -->` is exactly what COMMAND prints (stdout, then stderr), as
    /// the runnable blocks run it.
    @Test func outputBlocksAreTheRealOutput() throws {
        let text = try String(contentsOfFile: Self.readme, encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        var found = 0
        for (i, line) in lines.enumerated() where line.hasPrefix("<!-- output-of: ") && line.hasSuffix(" -->") {
            let command = String(line.dropFirst("<!-- output-of: ".count).dropLast(" -->".count))
            try #require(i + 1 < lines.count && lines[i + 1] == "```text", "an output-of block starts with ```text")
            guard let close = lines[(i + 2)...].firstIndex(where: { $0 == "```" }) else {
                Issue.record("unclosed block after \(line)")
                continue
            }
            let shown = lines[(i + 2)..<close].map { $0 + "\n" }.joined()
            let path = TestPaths.binPath + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
            let r = try ProcessRunner.run("/bin/bash", ["-c", command], cwd: Self.root, env: ["PATH": path, "NO_COLOR": "1"])
            #expect(shown == r.stdout + r.stderr, "README output of `\(command)` is not the real output:\n\(r.stdout + r.stderr)")
            found += 1
        }
        #expect(found >= 1, "the Quick start shows its real output under an output-of marker")
    }

    /// The Markdown files users and contributors read link only inside the repository, to files that exist and
    /// headings that exist.
    static let markdownFiles = [
        "README.md", "CONTRIBUTING.md", "CHANGELOG.md", "ARCHITECTURE.md", "Rules/README.md", "Tests/Benchmarks/README.md",
        "Tests/Fuzz/README.md",
    ]

    /// GitHub's heading anchors: lower case, punctuation but `-` and `_` dropped, spaces as `-`, repeats numbered.
    static func anchors(ofMarkdown text: String) -> Set<String> {
        var seen: [String: Int] = [:]
        var out = Set<String>()
        var inFence = false
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("```") { inFence.toggle() }
            guard !inFence, line.hasPrefix("#") else { continue }
            let title = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
            var slug = ""
            for ch in title.lowercased() {
                if ch.isLetter || ch.isNumber || ch == "-" || ch == "_" { slug.append(ch) } else if ch == " " { slug.append("-") }
            }
            let n = seen[slug, default: 0]
            seen[slug] = n + 1
            out.insert(n == 0 ? slug : "\(slug)-\(n)")
        }
        return out
    }

    @Test(arguments: markdownFiles)
    func linksStayInTheRepositoryAndResolve(_ file: String) throws {
        let path = Self.root + "/" + file
        guard FileManager.default.fileExists(atPath: path) else {
            Issue.record("\(file) is missing")
            return
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        var inFence = false
        var checked = 0
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("```") { inFence.toggle() }
            if inFence { continue }
            var rest = Substring(line)
            while let open = rest.range(of: "](") {
                let after = rest[open.upperBound...]
                guard let close = after.firstIndex(of: ")") else { break }
                let target = String(after[..<close])
                rest = after[after.index(after: close)...]
                checked += 1
                #expect(!target.contains("://") && !target.hasPrefix("mailto:"), "\(file) links outside the repository: \(target)")
                let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
                let filePart = String(parts[0])
                let fragment = parts.count > 1 ? String(parts[1]) : nil
                var targetPath = path
                if !filePart.isEmpty {
                    targetPath = dir.appendingPathComponent(filePart).standardized.path
                    #expect(FileManager.default.fileExists(atPath: targetPath), "\(file) links to a missing \(filePart)")
                }
                if let fragment, targetPath.hasSuffix(".md"), let linked = try? String(contentsOfFile: targetPath, encoding: .utf8) {
                    #expect(Self.anchors(ofMarkdown: linked).contains(fragment), "\(file) links to a missing heading \(target)")
                }
            }
        }
        if file == "README.md" { #expect(checked > 10, "README has links to check") }
    }

    /// The `rev:` of the pre-commit examples and the `@REV` of the Action examples name commits of this
    /// repository that hold the hooks and the action they use (needs the git history: skipped without it).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: root + "/.git"), "needs a git checkout with history"))
    func revExamplesExistWithTheirHooks() throws {
        let text = try String(contentsOfFile: Self.readme, encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        var revs = 0
        var inYAML = false
        for (i, line) in lines.enumerated() {
            if line.hasPrefix("```") { inYAML = line == "```yaml" }
            guard inYAML else { continue }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            var rev: String?
            var file = ".pre-commit-hooks.yaml"
            if trimmed.hasPrefix("rev: ") {
                rev = trimmed.dropFirst(5).split(separator: " ").first.map(String.init)
            } else if let r = trimmed.range(of: "uses: imagelint/imagelint@") {
                rev = trimmed[r.upperBound...].split(separator: " ").first.map(String.init)
                file = "action.yml"
            }
            guard let rev else { continue }
            revs += 1
            let shown = try ProcessRunner.run("/usr/bin/env", ["git", "show", "\(rev):\(file)"], cwd: Self.root)
            #expect(shown.status == 0, "README line \(i + 1): `\(rev)` is not a commit of this repository with \(file): \(shown.stderr)")
            guard shown.status == 0, file == ".pre-commit-hooks.yaml" else { continue }
            // The hook ids listed under this repo entry, up to the next blank line.
            for hookLine in lines[(i + 1)...].prefix(while: { !$0.trimmingCharacters(in: .whitespaces).isEmpty && $0 != "```" }) {
                let h = hookLine.trimmingCharacters(in: .whitespaces)
                guard h.hasPrefix("- id: "), let id = h.dropFirst(6).split(separator: " ").first else { continue }
                #expect(shown.stdout.contains("- id: \(id)\n"), "README line \(i + 1): \(rev) has no hook \(id)")
            }
        }
        #expect(revs >= 2, "README shows a pre-commit rev and an Action ref")
    }

    /// The Swift version the README asks for is the manifest's tools version.
    @Test func statedSwiftVersionIsTheToolsVersion() throws {
        let manifest = try String(contentsOfFile: Self.root + "/Package.swift", encoding: .utf8)
        let first = try #require(manifest.split(separator: "\n").first)
        let tools = try #require(first.split(separator: ":").last).trimmingCharacters(in: .whitespaces)
        let text = try String(contentsOfFile: Self.readme, encoding: .utf8)
        #expect(text.contains("need Swift \(tools) and libyaml"), "README states Swift \(tools), the tools version")
        var stated = Set<String>()
        var rest = Substring(text)
        while let r = rest.range(of: "Swift 6.") {
            stated.insert("6." + rest[r.upperBound...].prefix { $0.isNumber })
            rest = rest[r.upperBound...]
        }
        #expect(stated == [tools], "README names Swift \(stated.sorted()), Package.swift's tools version is \(tools)")
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
