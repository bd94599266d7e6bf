import Foundation
import ImagelintKit
import Testing
import TestSupport

/// The pre-commit hooks and the GitHub Action: their file patterns agree with the names imagelint reads,
/// and the action runs end to end (through `.ci/action-e2e.sh`, on the debug binary).
/// The real-pre-commit run (`.ci/pre-commit-e2e.sh`) builds the package in release and is left to CI.
@Suite struct IntegrationScriptsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    struct Hook {
        var id: String
        var fields: [String: String]
    }

    /// The hooks of `.pre-commit-hooks.yaml`: a flat list of `- id:` entries with `key: value` fields,
    /// single-quoted values unquoted. Enough for the file we write; the e2e script checks it with pre-commit.
    static func hooks() throws -> [Hook] {
        let text = try String(contentsOfFile: root + "/.pre-commit-hooks.yaml", encoding: .utf8)
        var hooks: [Hook] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("#") || line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            var body = Substring(line)
            if body.hasPrefix("- ") {
                hooks.append(Hook(id: "", fields: [:]))
                body = body.dropFirst(2)
            } else if body.hasPrefix("  ") {
                body = body.dropFirst(2)
            } else {
                Issue.record("unexpected line in .pre-commit-hooks.yaml: \(line)")
                continue
            }
            guard let colon = body.firstIndex(of: ":"), !hooks.isEmpty else {
                Issue.record("unexpected line in .pre-commit-hooks.yaml: \(line)")
                continue
            }
            let key = String(body[..<colon])
            var value = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("'"), value.hasSuffix("'") {
                value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
            }
            if key == "id" { hooks[hooks.count - 1].id = value }
            hooks[hooks.count - 1].fields[key] = value
        }
        return hooks
    }

    static func hook(_ id: String) throws -> Hook {
        let hook = try hooks().first { $0.id == id }
        return try #require(hook, "no hook \(id) in .pre-commit-hooks.yaml")
    }

    /// File names around every rule of the walker, in directories and at the root.
    static let names: [String] = {
        let stems = [
            "Dockerfile", "dockerfile", "DOCKERFILE", "Containerfile", "containerfile", "DockerFile",
            "Dockerfile.prod", "Dockerfile.", "dockerfile.dev", "Containerfile.arm64", "Dockerfile.prod.yaml",
            "Dockerfile.yaml", "Dockerfile.dockerignore", "Dockerfile.DockerIgnore", "app.Dockerfile",
            "app.dockerfile", "app.DOCKERFILE", ".dockerfile", ".Dockerfile", "app.dockerignore", "x.dockerfile.bak",
            "Dockerfiles", "MyDockerfile", "Dockerfile-old", "docker-compose.yml", "compose.yaml", "deploy.yaml",
            "app.yml", ".yaml", "kustomization.yaml", "Kustomization", "values.YAML", "app.yaml.bak", "yaml",
            "notes.txt", "README.md", "dockerfile.yml", "Containerfile.yml", "a.yaml.dockerfile",
        ]
        return stems.flatMap { [$0, "deploy/k8s/" + $0, "Dockerfile/" + $0, "a.yaml/" + $0] }
    }()

    static func expected(_ path: String, hook: String) -> Bool {
        let base = String(path.split(separator: "/").last ?? "")
        let kind = FileSystem.kind(ofFileName: base)
        switch hook {
        case "imagelint", "imagelint-system", "imagelint-docker": return kind != nil
        case "imagelint-dockerfile": return kind == .dockerfile
        case "imagelint-manifests": return kind == .yaml
        default: return false
        }
    }

    static let hookIDs = ["imagelint", "imagelint-dockerfile", "imagelint-manifests", "imagelint-system", "imagelint-docker"]

    /// The version in Sources/ImagelintCore/Version.swift (what `Scripts/release.sh` stamps).
    static func version() throws -> String {
        let text = try String(contentsOfFile: root + "/Sources/ImagelintCore/Version.swift", encoding: .utf8)
        let line = text.split(separator: "\n").first { $0.hasPrefix("    public static let version = \"") }
        let value = try #require(line).split(separator: "\"").dropFirst().first
        return String(try #require(value))
    }

    @Test func hooksRunTheLintCommand() throws {
        let hooks = try Self.hooks()
        #expect(hooks.map(\.id) == Self.hookIDs)
        let languages = ["imagelint-system": "system", "imagelint-docker": "docker_image"]
        // The docker hook runs the release image of this version (its entrypoint is imagelint).
        let entries = ["imagelint-docker": "ghcr.io/imagelint/imagelint:\(try Self.version()) lint"]
        for hook in hooks {
            #expect(hook.fields["language"] == languages[hook.id, default: "swift"], "\(hook.id)")
            #expect(hook.fields["entry"] == entries[hook.id, default: "imagelint lint"], "\(hook.id)")
            #expect(hook.fields["pass_filenames"] == "true", "\(hook.id)")
            #expect(hook.fields["name"]?.isEmpty == false, "\(hook.id)")
        }
        // The toolchain-free hooks lint what the source-built `imagelint` hook lints.
        #expect(try Self.hook("imagelint-system").fields["files"] == Self.hook("imagelint").fields["files"])
        #expect(try Self.hook("imagelint-docker").fields["files"] == Self.hook("imagelint").fields["files"])
        let containerfile = try String(contentsOfFile: Self.root + "/Scripts/Containerfile", encoding: .utf8)
        #expect(containerfile.contains(#"ENTRYPOINT ["/usr/bin/imagelint"]"#))
        // pre-commit's swift language puts `.build/release` on PATH: the product must be called imagelint.
        let manifest = try String(contentsOfFile: Self.root + "/Package.swift", encoding: .utf8)
        #expect(manifest.contains(#".executable(name: "imagelint""#))
    }

    /// The `files` patterns, evaluated with Foundation's (ICU) regular expressions, select exactly the names
    /// imagelint reads when it walks a directory.
    @Test(arguments: hookIDs)
    func filesPatternMatchesWalkedNames(hookID: String) throws {
        let pattern = try #require(try Self.hook(hookID).fields["files"])
        let regex = try NSRegularExpression(pattern: pattern)
        for path in Self.names {
            let range = NSRange(path.startIndex..., in: path)
            let matched = regex.firstMatch(in: path, range: range) != nil
            #expect(matched == Self.expected(path, hook: hookID), "\(hookID) on \(path)")
        }
    }

    /// The same with Python's `re.search`, which is what pre-commit runs.
    @Test(arguments: hookIDs)
    func filesPatternMatchesWalkedNamesInPython(hookID: String) throws {
        let pattern = try #require(try Self.hook(hookID).fields["files"])
        let script = """
            import re, sys
            pattern = re.compile(sys.stdin.readline().rstrip("\\n"))
            for line in sys.stdin:
                path = line.rstrip("\\n")
                print("1" if pattern.search(path) else "0")
            """
        let input = ([pattern] + Self.names).joined(separator: "\n") + "\n"
        let result = try Self.run(["python3", "-c", script], stdin: input)
        #expect(result.status == 0, "python3 failed: \(result.stderr)")
        let answers = result.stdout.split(separator: "\n").map { $0 == "1" }
        try #require(answers.count == Self.names.count)
        for (path, matched) in zip(Self.names, answers) {
            #expect(matched == Self.expected(path, hook: hookID), "\(hookID) on \(path)")
        }
    }

    @Test func scriptsAreExecutableAndParse() throws {
        for script in [".ci/pre-commit-e2e.sh", ".ci/action-e2e.sh", ".ci/release-e2e.sh", "Scripts/release.sh"] {
            let path = Self.root + "/" + script
            #expect(FileManager.default.isExecutableFile(atPath: path), "\(script) is executable")
            let r = try Self.run(["bash", "-n", path])
            #expect(r.status == 0, "\(script): \(r.stderr)")
        }
    }

    /// Runs the action's steps locally on bad and clean workspaces (see the script for the checks).
    @Test func actionEndToEnd() throws {
        let binary = TestPaths.imagelint
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build first: swift build")
        let r = try Self.run([Self.root + "/.ci/action-e2e.sh"], env: ["IMAGELINT_BINARY": binary])
        #expect(r.status == 0, "action-e2e failed:\n\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("action-e2e: OK: "), "\(r.stdout)")
        #expect(!r.stdout.contains("FAIL"), "\(r.stdout)")
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ command: [String], stdin: String? = nil, env: [String: String] = [:]) throws -> Run {
        let r = try ProcessRunner.run("/usr/bin/env", command, cwd: root, stdin: stdin, env: env)
        return Run(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }
}
