import Foundation
import ImagelintCore
import ImagelintKit
import Testing

@Suite struct ConfigTests {
    func parse(_ s: String) throws(ConfigError) -> Configuration {
        try ConfigLoader.parse(Array(s.utf8), file: ".imagelint.yml")
    }

    @Test func fullConfiguration() throws {
        let c = try parse(
            """
            fail-on: warning
            rules:
              latest-tag: off
              floating-tag: {severity: info, fixed: ['stable']}
            registries:
              allowed: [ghcr.io/acme, "*.example.com"]
              private: [registry.acme.io]
              deprecated:
                old.io: new.io
            tags:
              patterns:
                - images: "ghcr.io/acme/*"
                  allow: '\\d+\\.\\d+\\.\\d+'
            floating:
              floating: ['edge.*']
            exclude: [vendor/**]
            ignore:
              images: [busybox*]
            build-args:
              BASE: python:3.12.1
            """)
        #expect(c.failOn == .warning)
        #expect(c.ruleSeverities["latest-tag"] == .some(nil))
        #expect(c.ruleSeverities["floating-tag"] == .some(.info))
        #expect(c.allowedRegistries == ["ghcr.io/acme", "*.example.com"])
        #expect(c.privateRegistries == ["registry.acme.io"])
        #expect(c.deprecatedRegistries.map { "\($0.old)>\($0.new)" } == ["old.io>new.io"])
        #expect(c.tagPatterns.count == 1 && c.tagPatterns[0].allow.wholeMatch("1.2.3"))
        #expect(c.fixedTagPatterns.map(\.source) == ["stable"])
        #expect(c.floatingTagPatterns.map(\.source) == ["edge.*"])
        #expect(c.exclude.map(\.pattern) == ["vendor/**"])
        #expect(c.ignoreImages.map(\.pattern) == ["busybox*"])
        #expect(c.buildArgs == ["BASE": "python:3.12.1"])
    }

    @Test func misspelledKeyNamesTheLineAndSuggests() {
        #expect {
            try parse("fail-on: error\nregistry:\n  allowed: [ghcr.io]\n")
        } throws: { e in
            let e = e as! ConfigError
            return e.line == 2 && e.column == 1 && e.message.contains("did you mean `registries`")
        }
    }

    @Test(arguments: [
        ("rules:\n  latest-tga: off\n", 2, "did you mean `latest-tag`"),
        ("rules:\n  latest-tag: loud\n", 2, "severity must be"),
        ("floating:\n  fixed: ['(unclosed']\n", 2, "invalid regular expression"),
        ("fail-on: sometimes\n", 1, "fail-on"),
        ("tags:\n  patterns:\n    - images: x\n", 3, "needs both"),
        ("registries:\n  alowed: [a]\n", 2, "did you mean `allowed`"),
        ("rules: [a]\n", 1, "must map"),
        ("a: [\n", 2, "invalid YAML"),
        ("exclude: a\nexclude: b\n", 2, "duplicate key"),
    ])
    func badValues(_ text: String, _ line: Int, _ fragment: String) {
        #expect {
            try parse(text)
        } throws: { e in
            let e = e as! ConfigError
            return e.line == line && e.message.contains(fragment)
        }
    }

    @Test func emptyFileIsDefault() throws {
        let c = try parse("# nothing\n")
        #expect(c.failOn == .error && c.allowedRegistries.isEmpty)
    }

    @Test func discoveryStopsAtRepositoryRoot() throws {
        let root = NSTemporaryDirectory() + "imagelint-config-\(UUID().uuidString)"
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/repo/.git", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/repo/a/b", withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: root) }
        try "fail-on: info\n".write(toFile: root + "/.imagelint.yml", atomically: true, encoding: .utf8)
        #expect(ConfigLoader.discover(from: root + "/repo/a/b") == nil)
        try "fail-on: warning\n".write(toFile: root + "/repo/.imagelint.yaml", atomically: true, encoding: .utf8)
        #expect(ConfigLoader.discover(from: root + "/repo/a/b") == root + "/repo/.imagelint.yaml")
    }
}

@Suite struct FileSystemTests {
    func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "imagelint-fs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func walkFindsNamesSkipsJunkAndReportsLoopsAndSpecialFiles() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fm = FileManager.default
        for p in ["a/Dockerfile", "a/b/app.Dockerfile", "a/Dockerfile.prod", "a/x.dockerignore", "k8s/d.yaml", "k8s/e.yml",
            "node_modules/Dockerfile", ".git/x.yaml", "README.md", "vendor/v.yaml"]
        {
            let path = dir + "/" + p
            try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try "FROM x:1.0.0\n".write(toFile: path, atomically: true, encoding: .utf8)
        }
        try fm.createSymbolicLink(atPath: dir + "/a/b/loop", withDestinationPath: dir + "/a")
        mkfifo(dir + "/k8s/pipe.yaml", 0o644)
        let (files, problems) = FileSystem.walk([dir], exclude: [Glob("vendor/**")])
        let rel = files.map { String($0.path.dropFirst(dir.count + 1)) }
        #expect(rel == ["a/Dockerfile", "a/Dockerfile.prod", "a/b/app.Dockerfile", "k8s/d.yaml", "k8s/e.yml"])
        #expect(problems.contains { $0.message.contains("loop") })
        #expect(problems.contains { $0.path.hasSuffix("pipe.yaml") && $0.message.contains("FIFO") })
        let missing = FileSystem.walk([dir + "/nope"], exclude: [])
        #expect(missing.files.isEmpty && missing.problems.first?.message.contains("No such file") == true)
    }

    @Test func atomicWriteReplacesAndFailsCleanly() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/report.sarif"
        try "old".write(toFile: path, atomically: true, encoding: .utf8)
        try FileSystem.writeAtomically("new contents", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new contents")
        #expect(throws: InputProblem.self) { try FileSystem.writeAtomically("x", to: dir + "/missing/dir/out.json") }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(leftovers == ["report.sarif"])
    }

    @Test func readRefusesLargeFiles() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/big.yaml"
        try String(repeating: "a", count: 3 * 1024 * 1024).write(toFile: path, atomically: true, encoding: .utf8)
        guard case .failure(let p) = FileSystem.read(path, limit: 1024 * 1024) else {
            Issue.record("expected a failure")
            return
        }
        #expect(p.message.contains("over the 1 MiB limit"))
    }

    @Test func parallelLintIsDeterministic() throws {
        let corpus = String(#filePath).replacingOccurrences(of: "Tests/ImagelintKitTests/ConfigAndFilesTests.swift", with: "Examples")
        var options = LintOptions()
        options.paths = [corpus]
        options.jobs = 1
        let one = Pipeline.lint(options)
        options.jobs = 4
        let four = Pipeline.lint(options)
        #expect(one.findings == four.findings)
        #expect(one.findings.count > 5)
    }
}

@Suite struct ExplicitExcludeTests {
    @Test func excludesApplyToFilesNamedExplicitly() throws {
        let dir = NSTemporaryDirectory() + "imagelint-ex-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/vendor", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "FROM a:1.0.0\n".write(toFile: dir + "/vendor/Dockerfile", atomically: true, encoding: .utf8)
        try "FROM a:1.0.0\n".write(toFile: dir + "/Dockerfile", atomically: true, encoding: .utf8)
        let (files, _) = FileSystem.walk([dir + "/vendor/Dockerfile", dir + "/Dockerfile"], exclude: [Glob("vendor/**")])
        #expect(files.map(\.path) == [dir + "/Dockerfile"])
    }
}
