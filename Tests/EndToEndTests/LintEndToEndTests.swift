import Foundation
import Testing
import TestSupport

/// Runs the built `imagelint` binary on `Examples/` and compares its output with golden files.
/// Set `RECORD_GOLDENS=1` to rewrite the goldens after an intended change (then review the diff).
@Suite(.serialized) struct LintEndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let binary = TestPaths.imagelint
    static let goldens = root + "/Tests/EndToEndTests/Goldens/"

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ args: [String], cwd: String = root, stdin: String? = nil, env: [String: String] = [:]) throws -> Run {
        #expect(FileManager.default.isExecutableFile(atPath: binary), "build first: swift build")
        var environment = ["NO_COLOR": "1"]
        for (k, v) in env { environment[k] = v }
        let r = try ProcessRunner.run(binary, args, cwd: cwd, stdin: stdin, env: environment)
        return Run(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    /// Compares `actual` with the golden file `name`, or records it.
    static func golden(_ name: String, _ actual: String) throws {
        let path = goldens + name
        if ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" {
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(actual == expected, "output differs from \(name); run with RECORD_GOLDENS=1 and review the diff")
    }

    static let formats = ["text", "json", "junit", "sarif", "github", "gitlab", "checkstyle"]

    @Test(arguments: formats)
    func lintExamples(format: String) throws {
        let r = try Self.run(["lint", "--format", format, "Examples"])
        #expect(r.status == 1, "findings at error level exit 1: \(r.stderr)")
        let ext = ["text": "txt", "json": "json", "junit": "xml", "sarif": "sarif", "github": "github.txt", "gitlab": "gitlab.json", "checkstyle": "checkstyle.xml"][format]!
        try Self.golden("lint-examples.\(ext)", r.stdout)
    }

    static let scenarios = ["go-service", "kubernetes-app", "kustomize-overlay", "compose", "workloads", "ci", "helm-chart"]

    /// Each scenario of Examples/ has its own text and JSON goldens.
    @Test(arguments: scenarios, ["text", "json"])
    func scenario(_ folder: String, _ format: String) throws {
        let r = try Self.run(["lint", "--format", format, "--fail-on", "never", "Examples/\(folder)"])
        #expect(r.status == 0, "\(r.stderr)")
        try Self.golden("lint-\(folder).\(format == "text" ? "txt" : "json")", r.stdout)
    }

    @Test(arguments: ["text", "json"])
    func strictPolicy(format: String) throws {
        let r = try Self.run(["lint", "--format", format], cwd: Self.root + "/Examples/strict-policy")
        #expect(r.status == 1)
        try Self.golden("lint-strict-policy.\(format == "text" ? "txt" : "json")", r.stdout)
    }

    /// The commands of Examples/release-tagging/README.md.
    @Test(arguments: ["text", "json"])
    func releaseTagging(format: String) throws {
        let existing = "Examples/release-tagging/existing-tags.json"
        // The `created` label is fixed, and no CI's source URL leaks in.
        let env = ["SOURCE_DATE_EPOCH": "1700000000", "GITHUB_SERVER_URL": "", "CI_PROJECT_URL": ""]
        let backport = try Self.run(
            ["tags", "1.1.2", "--existing", existing, "--image", "ghcr.io/acme/api", "--format", format], env: env)
        #expect(backport.status == 0)
        let release = try Self.run(["tags", "2.1.0", "--existing", existing, "--format", format], env: env)
        #expect(release.status == 0)
        let ext = format == "text" ? "txt" : "json"
        try Self.golden("tags-backport.\(ext)", backport.stdout + backport.stderr)
        try Self.golden("tags-release.\(ext)", release.stdout + release.stderr)
        #expect(backport.stdout.contains("ghcr.io/acme/api:1.1") && !backport.stdout.contains("api:latest"))
        #expect(release.stdout.contains("latest"))
    }

    @Test(arguments: ["text", "json"])
    func imagesExamples(format: String) throws {
        let r = try Self.run(["images", "--format", format, "Examples"])
        #expect(r.status == 0, "\(r.stderr)")
        try Self.golden("images-examples.\(format == "text" ? "txt" : "json")", r.stdout)
    }

    @Test func defaultSubcommandIsLint() throws {
        let a = try Self.run(["Examples/go-service"])
        let b = try Self.run(["lint", "Examples/go-service"])
        #expect(a.stdout == b.stdout && a.status == b.status)
        #expect(a.stdout.contains("Examples/go-service/Dockerfile:"))
    }

    @Test func exitCodesFollowFailOnWhateverTheFormat() throws {
        for format in Self.formats {
            #expect(try Self.run(["lint", "-f", format, "--fail-on", "never", "Examples"]).status == 0)
            #expect(try Self.run(["lint", "-f", format, "Examples"]).status == 1)
        }
        let clean = try Self.run(["lint", "-", "--stdin-filename", "Dockerfile"], stdin: "FROM alpine:3.19.1@sha256:\(String(repeating: "a", count: 64))\n")
        #expect(clean.status == 0, "\(clean.stdout)")
        #expect(clean.stdout.contains("no findings in 1 file"))
        let warnOnly = try Self.run(["lint", "-", "--stdin-filename", "Dockerfile"], stdin: "FROM alpine:3.19.1\n")
        #expect(warnOnly.status == 0)
        #expect(try Self.run(["lint", "--fail-on", "warning", "-", "--stdin-filename", "Dockerfile"], stdin: "FROM alpine:3.19.1\n").status == 1)
    }

    @Test func usageAndConfigurationErrors() throws {
        #expect(try Self.run(["lint", "--format", "yaml"]).status == 64)
        #expect(try Self.run(["lint", "--rule", "latest-tga=off"]).status == 64)
        #expect(try Self.run(["lint", "/definitely/not/here"]).status == 2)
        let dir = NSTemporaryDirectory() + "imagelint-e2e-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "fail-on: error\nregistry:\n  allowed: [ghcr.io]\n".write(toFile: dir + "/.imagelint.yml", atomically: true, encoding: .utf8)
        try "FROM nginx:1.25.3\n".write(toFile: dir + "/Dockerfile", atomically: true, encoding: .utf8)
        let r = try Self.run(["lint"], cwd: dir)
        #expect(r.status == 2)
        #expect(r.stderr.contains(".imagelint.yml:2:1:") && r.stderr.contains("did you mean `registries`"), "\(r.stderr)")
    }

    @Test func outputFilesAreWrittenAtomicallyWithSummaryOnStderr() throws {
        let dir = NSTemporaryDirectory() + "imagelint-out-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Self.run(["lint", "--format", "sarif", "--output", dir + "/r.sarif", "--format", "json", "-o", dir + "/r.json", "Examples"])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("error"), "summary line on stderr: \(r.stderr)")
        let sarif = try String(contentsOfFile: dir + "/r.sarif", encoding: .utf8)
        #expect(sarif.contains("\"version\": \"2.1.0\""))
        let json = try String(contentsOfFile: dir + "/r.json", encoding: .utf8)
        #expect(json.hasPrefix("{") && json.contains("\"findings\""))
        // mixed: sarif to a file, text to stdout
        let mixed = try Self.run(["lint", "--format", "sarif", "--output", dir + "/m.sarif", "--format", "text", "Examples"])
        #expect(mixed.stdout.contains("Examples/"))
        #expect(FileManager.default.fileExists(atPath: dir + "/m.sarif"))
        // unwritable output: exit 2, old file untouched
        try "keep me".write(toFile: dir + "/keep.json", atomically: true, encoding: .utf8)
        let bad = try Self.run(["lint", "-f", "json", "-o", dir + "/nope/keep.json", "Examples"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("cannot"))
        #expect(try String(contentsOfFile: dir + "/keep.json", encoding: .utf8) == "keep me")
    }

    /// Each `--output` belongs to the `--format` written before it, whatever else comes between; an output
    /// before any format goes to the first format without one; typed values refuse bad input with exit 64.
    @Test(arguments: [
        (["--format", "text", "--format", "sarif", "--output", "F"], "sarif", true),
        (["--format", "sarif", "--rule", "floating-tag=off", "--output", "F", "--format", "text"], "sarif", true),
        (["-o", "F", "--format", "json", "--format", "text"], "json", true),
        (["--format=json", "--output=F"], "json", false),
        (["-f", "text", "-f", "json", "-o", "F"], "json", true),
    ])
    func eachOutputPairsWithTheFormatBeforeIt(arguments: [String], inFile: String, textOnStdout: Bool) throws {
        let dir = NSTemporaryDirectory() + "imagelint-pairs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/report"
        let r = try Self.run(["lint"] + arguments.map { $0 == "F" ? file : $0 == "--output=F" ? "--output=" + file : $0 } + ["Examples/compose"])
        let written = try String(contentsOfFile: file, encoding: .utf8)
        #expect(r.status == 0, "\(r.stderr)")
        switch inFile {
        case "sarif": #expect(written.contains("\"version\": \"2.1.0\""))
        default: #expect(written.hasPrefix("{") && written.contains("\"findings\"") && !written.contains("2.1.0"))
        }
        #expect(r.stdout.contains("Examples/compose/compose.yaml:") == textOnStdout)
    }

    @Test(arguments: [
        ["--rule", "floating-tag=bogus"], ["--rule", "floating-tag"], ["--rule", "flaoting-tag=off"], ["--build-arg", "X"],
        ["--color", "sometimes"], ["--format", "json", "--output", "a", "--output", "b"],
    ])
    func typedOptionsRefuseBadValues(arguments: [String]) throws {
        let r = try Self.run(["lint"] + arguments + ["Examples/compose"])
        #expect(r.status == 64)
        #expect(r.stdout.isEmpty)
        if arguments.contains("flaoting-tag=off") { #expect(r.stderr.contains("did you mean `floating-tag`?")) }
        if arguments.contains("floating-tag=bogus") { #expect(r.stderr.contains("error, warning, info or off")) }
    }

    /// Reports are streamed while linting; two formats on standard output must still come one after the other,
    /// each whole, also when they are far longer than one write.
    @Test func twoFormatsOnStandardOutputDoNotInterleave() throws {
        let dir = NSTemporaryDirectory() + "imagelint-two-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for i in 0..<300 {
            try "FROM nginx:latest\nFROM python:3 AS build\n".write(
                toFile: dir + "/Dockerfile.\(i)", atomically: false, encoding: .utf8)
        }
        let text = try Self.run(["lint", "--format", "text", dir])
        let json = try Self.run(["lint", "--format", "json", dir])
        #expect(text.stdout.utf8.count > 1 << 17 && json.stdout.utf8.count > 1 << 17)
        let both = try Self.run(["lint", "--format", "text", "--format", "json", "--jobs", "2", dir])
        #expect(both.status == 1)
        #expect(both.stdout == text.stdout + json.stdout)
        let reversed = try Self.run(["lint", "--format", "json", "--format", "text", dir])
        #expect(reversed.stdout == json.stdout + text.stdout)
    }

    @Test func badInputIsReportedAndTheRestLinted() throws {
        let dir = NSTemporaryDirectory() + "imagelint-bad-\(UUID().uuidString)"
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: dir) }
        try "FROM nginx:latest\n".write(toFile: dir + "/Dockerfile", atomically: true, encoding: .utf8)
        try Data([0x46, 0x52, 0x00, 0xFF, 0xFE, 0x00]).write(to: URL(fileURLWithPath: dir + "/sub/Dockerfile.bin"))
        try "FROM a:1.0.0\n".write(toFile: dir + "/sub/Dockerfile.locked", atomically: true, encoding: .utf8)
        chmod(dir + "/sub/Dockerfile.locked", 0)
        try fm.createSymbolicLink(atPath: dir + "/sub/loop", withDestinationPath: dir)
        let r = try Self.run(["lint", "--format", "json", dir])
        #expect(r.status == 1)
        #expect(r.stdout.contains("\"rule\": \"latest-tag\""))
        #expect(r.stdout.contains("loop"))
        #expect(r.stdout.contains("Dockerfile.bin"))
        if getuid() != 0 { #expect(r.stdout.contains("Permission denied")) }
    }

    @Test func rulesReferenceIsUpToDate() throws {
        let r = try Self.run(["rules", "--format", "markdown"])
        #expect(r.status == 0)
        let path = Self.root + "/Rules/README.md"
        if ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" {
            try r.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOfFile: path, encoding: .utf8)
        #expect(r.stdout == committed, "Rules/README.md is stale: run `swift run imagelint rules --format markdown > Rules/README.md`")
    }

    @Test func rulesCommand() throws {
        let list = try Self.run(["rules"])
        #expect(list.status == 0 && list.stdout.contains("latest-tag") && list.stdout.contains("missing-pull-secret"))
        let one = try Self.run(["rules", "floating-tag"])
        #expect(one.stdout.contains("Reported:") && one.stdout.contains("python:3.12"))
        #expect(try Self.run(["rules", "floating-tga"]).status == 64)
    }
}

/// Compose files interpolate from the `.env` beside them, or from `--env-file`.
@Suite struct ComposeDotEnvEndToEndTests {
    @Test func dotEnvBesideTheFileAndEnvFileFlag() throws {
        let dir = NSTemporaryDirectory() + "imagelint-dotenv-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/app", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "services:\n  api:\n    image: ghcr.io/acme/api:${API_TAG}\n".write(
            toFile: dir + "/app/compose.yaml", atomically: true, encoding: .utf8)
        try "API_TAG=latest\n".write(toFile: dir + "/app/.env", atomically: true, encoding: .utf8)
        try "API_TAG=1.8.0\n".write(toFile: dir + "/pinned.env", atomically: true, encoding: .utf8)

        let fromDotEnv = try LintEndToEndTests.run(["lint", "-f", "json", "app"], cwd: dir)
        #expect(fromDotEnv.stdout.contains("\"resolved\": \"ghcr.io/acme/api:latest\""), "\(fromDotEnv.stdout)")
        #expect(fromDotEnv.stdout.contains("\"rule\": \"latest-tag\""))

        let fromFlag = try LintEndToEndTests.run(["lint", "-f", "json", "--env-file", "pinned.env", "app"], cwd: dir)
        #expect(fromFlag.stdout.contains("\"resolved\": \"ghcr.io/acme/api:1.8.0\""), "\(fromFlag.stdout)")
        #expect(!fromFlag.stdout.contains("\"rule\": \"latest-tag\""))

        let missing = try LintEndToEndTests.run(["lint", "--env-file", "nope.env", "app"], cwd: dir)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope.env"), "\(missing.stderr)")
    }
}

/// A chart's templates give one note naming how many were skipped, at the first template, not one each.
@Suite struct HelmChartEndToEndTests {
    @Test func oneNotePerChart() throws {
        let dir = NSTemporaryDirectory() + "imagelint-helm-\(UUID().uuidString)"
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/charts/web/templates/sub", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: dir + "/charts/db/templates", withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: dir) }
        let template = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: \"{{ .Values.image }}\"\n"
        for f in ["web/templates/a.yaml", "web/templates/b.yaml", "web/templates/sub/c.yaml", "db/templates/x.yaml"] {
            try template.write(toFile: dir + "/charts/" + f, atomically: true, encoding: .utf8)
        }
        try "apiVersion: v2\nname: web\nversion: 1.0.0\n".write(toFile: dir + "/charts/web/Chart.yaml", atomically: true, encoding: .utf8)
        try "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: nginx:latest\n".write(
            toFile: dir + "/charts/web/templates/plain.yaml", atomically: true, encoding: .utf8)
        try "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: redis:latest\n".write(
            toFile: dir + "/charts/web/z.yaml", atomically: true, encoding: .utf8)

        for jobs in ["1", "2"] {
            let r = try LintEndToEndTests.run(["lint", "--jobs", jobs, "charts"], cwd: dir)
            let notes = r.stdout.split(separator: "\n").filter { $0.contains("[parse-error]") }
            #expect(notes == [
                "charts/db/templates/x.yaml:5:13: info: Helm templates of chart `charts/db` (1 template) were skipped: render it first, e.g. `helm template charts/db | imagelint lint -` [parse-error]",
                "charts/web/templates/a.yaml:5:13: info: Helm templates of chart `charts/web` (3 templates) were skipped: render it first, e.g. `helm template charts/web | imagelint lint -` [parse-error]",
            ], "\(r.stdout)")
            // Files around the templates are still linted, in order.
            #expect(r.stdout.contains("charts/web/templates/plain.yaml:5:12: error"))
            #expect(r.stdout.contains("charts/web/z.yaml:5:12:"))
        }
    }
}
