import Foundation
import ImagelintCore
import Reporters
@testable import ImagelintKit
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Issue 13 (hardening): each hostile input is generated here, at a size that shows the bound. Bounds are
/// shown by sizes (occurrences, output bytes, diagnostics), not by time.
@Suite(.serialized) struct HardeningTests {
    typealias Scratch = RobustnessTests.Scratch

    static func lint(_ paths: [String], configure: (inout LintOptions) -> Void = { _ in }) -> LintReport {
        var options = LintOptions()
        options.paths = paths
        options.jobs = 2
        configure(&options)
        return Pipeline.lint(options)
    }

    // MARK: 1. Alias amplification

    /// `kind: List` of 600 aliased pods of 300 aliased containers: 180,000 containers from 3 KB.
    static func aliasedList(pods: Int = 600, containers: Int = 300) -> String {
        "apiVersion: v1\nkind: List\nc: &c {name: x, image: nginx}\npod: &pod {apiVersion: v1, kind: Pod, spec: {containers: ["
            + Array(repeating: "*c", count: containers).joined(separator: ", ") + "]}}\nitems: ["
            + Array(repeating: "*pod", count: pods).joined(separator: ", ") + "]\n"
    }

    @Test func aliasAmplificationIsBoundedPerFile() throws {
        let scratch = try Scratch()
        // Before: 180,000 references per document (3.2 s, 287 MB for one; 20 took 79 s and 5.5 GB).
        let file = try scratch.write("list.yaml", (0..<3).map { _ in Self.aliasedList() }.joined(separator: "---\n"))
        let report = Self.lint([file])
        #expect(report.summary.references == 0)
        #expect(report.diagnostics.count == 3)
        #expect(report.diagnostics.allSatisfy { $0.message.contains("alias bomb") }, "\(report.diagnostics)")
    }

    @Test func occurrencesPerFileAreCapped() throws {
        let scratch = try Scratch()
        // Every image written out (no alias): 25,000 containers in one pod spec.
        var text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        for i in 0..<25_000 { text += "  - {name: c\(i), image: nginx}\n" }
        let file = try scratch.write("many.yaml", text)
        let report = Self.lint([file])
        #expect(report.summary.references == 20_000)
        let note = try #require(report.diagnostics.first { $0.message.contains("image references") })
        #expect(note.message == "more than 20000 image references in this file; the other 5000 are not checked")
        #expect(note.line == 20_006)
    }

    // MARK: 7. Symbolic link webs

    /// `depth` levels, each holding a Dockerfile and two links to the next level: 2^depth paths to the last.
    static func linkWeb(in scratch: Scratch, depth: Int) throws {
        for level in 0...depth {
            let dir = scratch.path + "/l\(level)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            _ = try scratch.write("l\(level)/Dockerfile", "FROM alpine:3.20\n")
            if level < depth {
                symlink("../l\(level + 1)", dir + "/a")
                symlink("../l\(level + 1)", dir + "/b")
            }
        }
    }

    @Test func symlinkWebWalksEachDirectoryOnce() throws {
        let scratch = try Scratch()
        // Before: 2^16 = 65,536 reports of the last Dockerfile.
        try Self.linkWeb(in: scratch, depth: 16)
        let report = Self.lint([scratch.path])
        #expect(report.summary.files == 17)
        #expect(report.files.map(\.path).filter { $0.hasSuffix("/Dockerfile") }.count == 17)
    }

    @Test func linkOutOfTheTreeIsNotFollowedUnlessAsked() throws {
        let scratch = try Scratch()
        _ = try scratch.write("outside/Dockerfile", "FROM alpine:3.20\n")
        _ = try scratch.write("tree/Dockerfile", "FROM alpine:3.20\n")
        symlink("/", scratch.path + "/tree/root")
        symlink("../outside", scratch.path + "/tree/out")
        let report = Self.lint([scratch.path + "/tree"])
        #expect(report.summary.files == 1)
        let notes = report.diagnostics.filter { $0.message.contains("outside the linted tree") }
        #expect(notes.map { FileSystem.baseName($0.file) } == ["out", "root"])
        #expect(notes.allSatisfy { $0.severity == .info })

        let followed = Self.lint([scratch.path + "/tree/out"]) { _ in }
        #expect(followed.summary.files == 1, "a link named as the root is followed")
        let asked = Self.lint([scratch.path + "/tree"]) { $0.followExternalLinks = true; $0.configuration.exclude = [Glob("root")] }
        #expect(asked.summary.files == 2)
    }

    // MARK: 10. No thread can be created

    @Test(.timeLimit(.minutes(1))) func runsInlineWhenNoThreadCanBeCreated() throws {
        let scratch = try Scratch()
        for i in 0..<40 { _ = try scratch.write("d\(i)/Dockerfile", "FROM alpine:3.20\n") }
        WorkerThreads.threadsAllowedForTesting = 0
        defer { WorkerThreads.threadsAllowedForTesting = nil }
        // A directory (walked on a thread of its own), then files named one by one (workers only).
        let walked = Self.lint([scratch.path]) { $0.jobs = 4 }
        #expect(walked.summary.files == 40)
        let named = Self.lint((0..<40).map { scratch.path + "/d\($0)/Dockerfile" }) { $0.jobs = 4 }
        #expect(named.summary.files == 40)
        #expect(named.findings.count == walked.findings.count)
    }

    // MARK: 17. File names that are not UTF-8

    @Test func namesThatAreNotUTF8AreReadAndShownEscaped() throws {
        let scratch = try Scratch()
        let dirBytes = Array((scratch.path + "/caf").utf8) + [0xE9]
        #expect(mkdir(dirBytes.map { CChar(bitPattern: $0) } + [0], 0o755) == 0)
        let fileBytes = dirBytes + Array("/Dockerfile".utf8)
        let fd = open(fileBytes.map { CChar(bitPattern: $0) } + [0], O_WRONLY | O_CREAT, 0o644)
        #expect(fd >= 0)
        _ = "FROM alpine:latest\n".withCString { write(fd, $0, 19) }
        close(fd)
        let report = Self.lint([scratch.path])
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
        #expect(report.summary.files == 1)
        #expect(report.findings.first?.file == scratch.path + "/caf\\xE9/Dockerfile")
    }

    // MARK: 2. Long lines in text output

    @Test func textOutputShowsAWindowOfLongLines() throws {
        let scratch = try Scratch()
        // One line of 1,000 containers (74 KB): every finding used to print the whole line (74 MB of text).
        let containers = (0..<1_000).map { "{name: c\($0), image: \"registry.example.com/team/app\($0):latest\"}" }
        let text = "{apiVersion: v1, kind: Pod, spec: {containers: [" + containers.joined(separator: ", ") + "]}}\n"
        let file = try scratch.write("line.yaml", text)
        let report = Self.lint([file])
        #expect(report.findings.count >= 1_000)
        let rendered = TextReporter(color: false).render(report)
        #expect(rendered.utf8.count < report.findings.count * 600, "\(rendered.utf8.count) bytes")
        // The caret still points at the reference inside the window.
        let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false)
        let last = try #require(lines.lastIndex { $0.contains("app999:latest") && $0.hasPrefix("    ") })
        let shown = Array(lines[last].unicodeScalars)
        let caret = Array(lines[last + 1].unicodeScalars)
        let at = try #require(caret.firstIndex(of: "^"))
        #expect(String(String.UnicodeScalarView(shown[at...])).hasPrefix("registry.example.com/team/app999:latest"))
        #expect(shown.count <= TextReporter.maxShownColumns + 6)
    }

    // MARK: 9. Tag patterns in the configuration

    @Test func backtrackingPatternInTheConfigurationIsRefusedWithItsPosition() throws {
        let scratch = try Scratch()
        let config = try scratch.write(".imagelint.yml", "floating:\n  fixed: ['(a+)\\1']\n")
        #expect(throws: ConfigError.self) { _ = try ConfigLoader.load(path: config) }
        do {
            _ = try ConfigLoader.load(path: config)
        } catch {
            #expect(error.description.contains(":2:11: invalid regular expression `(a+)\\1`: at character 5:"), "\(error)")
        }
    }
}
