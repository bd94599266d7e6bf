import DockerfileParser
import Foundation
import ImageReference
import ImagelintCore
import ImagelintKit
import ManifestParser
import Testing
import TestSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Hostile inputs through the real pipeline: each must end in a diagnostic (or ordinary findings), in
/// bounded memory, without a crash or a hang. Runs serialized: some cases write large files and the CI machine
/// is small. No test here bounds the time a debug build takes (that is the benchmark's job,
/// Tests/Benchmarks/run.sh); a child process is killed only after `hangGuard`, which no working build nears.
@Suite(.serialized) struct RobustnessTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let binary = TestPaths.imagelint

    /// How long a child may run before it is taken for hung and killed (a test failure).
    static let hangGuard: Duration = .seconds(300)
    static let mebibyte = 1024 * 1024

    // MARK: Helpers

    /// A fresh temporary directory, removed by `cleanup`.
    final class Scratch {
        let path: String
        init() throws {
            path = NSTemporaryDirectory() + "imagelint-robust-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        deinit {
            // Restore permissions first so that an unreadable file or folder can be removed.
            _ = try? FileManager.default.subpathsOfDirectory(atPath: path).forEach { chmod(path + "/" + $0, 0o755) }
            try? FileManager.default.removeItem(atPath: path)
        }
        func write(_ name: String, _ bytes: [UInt8]) throws -> String {
            let file = path + "/" + name
            try FileManager.default.createDirectory(
                atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: file, contents: Data(bytes)) else {
                throw CocoaError(.fileWriteUnknown)
            }
            return file
        }
        func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }
    }

    /// Lints `paths` in process.
    static func lint(_ paths: [String], maxFileSize: Int? = nil) -> LintReport {
        var options = LintOptions()
        options.paths = paths
        options.jobs = 2
        if let maxFileSize { options.maxFileSize = maxFileSize }
        return Pipeline.lint(options)
    }

    struct ChildRun {
        var status: Int32
        var stdout: String
        var stderr: String
        var time: Duration
        /// Peak resident set size of the binary, in KiB; nil when it could not be measured.
        var maxRSSKiB: Int?
        var timedOut: Bool
    }

    /// GNU time measures the peak memory of the command it forks. `wait4`'s `ru_maxrss` cannot be used
    /// directly: a child spawned from this (large) test process inherits its high-water mark across exec.
    static let gnuTime = "/usr/bin/time"

    /// Runs the built binary with standard input opened from `stdin`; kills it (and its process group)
    /// after `timeout`.
    static func run(_ args: [String], stdin: String = "/dev/null", timeout: Duration = hangGuard) throws -> ChildRun {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            Issue.record("build first: swift build (\(binary) is missing)")
            return ChildRun(status: -1, stdout: "", stderr: "", time: .zero, maxRSSKiB: nil, timedOut: false)
        }
        let scratch = try Scratch()
        let outPath = scratch.path + "/stdout"
        let errPath = scratch.path + "/stderr"
        let rssPath = scratch.path + "/rss"
        let measured = FileManager.default.isExecutableFile(atPath: gnuTime)
        let command = measured ? [gnuTime, "-f", "%M", "-o", rssPath, binary] + args : [binary] + args

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        let environment: [String] = ["NO_COLOR=1", "PATH=/usr/bin:/bin"]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        var pid = pid_t()
        let clock = ContinuousClock()
        let start = clock.now
        let rc = posix_spawn(&pid, command[0], &actions, &attributes, argv, envp)
        guard rc == 0 else {
            Issue.record("posix_spawn failed: \(String(cString: strerror(rc)))")
            return ChildRun(status: -1, stdout: "", stderr: "", time: .zero, maxRSSKiB: nil, timedOut: false)
        }
        var status: Int32 = 0
        var timedOut = false
        var polledPeak: Int?
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { break }
            if !measured, let hwm = Self.highWaterMark(pid) { polledPeak = max(polledPeak ?? 0, hwm) }
            if clock.now - start > timeout {
                kill(-pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                timedOut = true
                break
            }
            usleep(2_000)
        }
        let time = clock.now - start
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import (they are macros).
        let signal = status & 0x7F
        let code = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        var peak = polledPeak
        if measured, let report = try? String(contentsOfFile: rssPath, encoding: .utf8) {
            peak = report.split(separator: "\n").last.flatMap { Int($0) }
        }
        return ChildRun(status: code, stdout: out, stderr: err, time: time, maxRSSKiB: peak, timedOut: timedOut)
    }

    /// `VmHWM` of a running process, in KiB (a lower bound of its peak: the end of the run is missed).
    static func highWaterMark(_ pid: pid_t) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.dropFirst(6).filter(\.isNumber))
        }
        return nil
    }

    /// Ends a test whose memory bounds could not be checked as skipped, saying why, after its other checks
    /// ran: the peak of a child is measured by GNU time (a poll of `VmHWM` is only a lower bound).
    static func skipIfMemoryUnmeasured() throws {
        guard !FileManager.default.isExecutableFile(atPath: gnuTime) else { return }
        try Test.cancel(
            "memory bounds skipped: they need GNU time at \(gnuTime) (Debian package `time`); the other checks ran")
    }

    /// Checks a peak memory figure when one could be measured (see `skipIfMemoryUnmeasured`).
    static func expectPeak(_ run: ChildRun, below mebibytes: Int, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let kib = run.maxRSSKiB else { return }
        #expect(kib / 1024 < mebibytes, "\(what): peak memory \(kib / 1024) MiB", sourceLocation: sourceLocation)
    }

    /// The `diagnostics` of a JSON report, as `file: message` strings.
    static func diagnostics(ofJSON json: String) -> [String] {
        guard let data = json.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let list = object["diagnostics"] as? [[String: Any]]
        else { return [] }
        return list.map { "\($0["file"] as? String ?? "?"): \($0["message"] as? String ?? "?")" }
    }

    static func summary(ofJSON json: String) -> [String: Int] {
        guard let data = json.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let summary = object["summary"] as? [String: Int]
        else { return [:] }
        return summary
    }

    // MARK: YAML bombs and nesting

    /// Ten levels of ten aliases each: 10^10 nodes if expanded.
    static var billionLaughs: String {
        var lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for i in 1..<10 {
            lines.append("l\(i): &l\(i) [" + Array(repeating: "*l\(i - 1)", count: 10).joined(separator: ", ") + "]")
        }
        lines += ["apiVersion: v1", "kind: Pod", "metadata: {name: laughs}", "spec:", "  containers:",
            "    - name: c", "      image: *l9", "      env: *l9"]
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func billionLaughsIsRefusedCheaply() throws {
        let scratch = try Scratch()
        let file = try scratch.write("laughs.yaml", Self.billionLaughs)
        let report = Self.lint([file])
        #expect(report.diagnostics.contains { $0.message.contains("alias bomb") }, "\(report.diagnostics)")

        let child = try Self.run(["lint", "--format", "json", "--fail-on", "never", file])
        #expect(child.status == 0 && !child.timedOut, "\(child.stderr)")
        #expect(Self.diagnostics(ofJSON: child.stdout).contains { $0.contains("alias bomb") })
        Self.expectPeak(child, below: 256, "billion laughs")
        try Self.skipIfMemoryUnmeasured()
    }

    /// 10,000 levels, in the YAML forms that nest without needing 10,000 columns of indentation.
    static func deepDocument(_ form: String) -> String {
        // A flow collection starting a line could be a mapping key, which libyaml limits to 1024 characters.
        let head = "apiVersion: v1\nkind: Pod\nmetadata: {name: deep}\nspec:\n  containers: "
        switch form {
        case "flow sequences": return head + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n"
        case "flow mappings": return head + String(repeating: "{a: ", count: 10_000) + "x" + String(repeating: "}", count: 10_000) + "\n"
        case "block sequences": return head.dropLast() + "\n  " + String(repeating: "- ", count: 10_000) + "x\n"
        default: return head + String(repeating: "{\"a\":[", count: 5_000) + String(repeating: "]}", count: 5_000) + "\n"
        }
    }

    @Test(arguments: ["flow sequences", "flow mappings", "block sequences", "JSON"])
    func tenThousandDeepDocumentIsRefused(form: String) throws {
        let scratch = try Scratch()
        let file = try scratch.write("deep.yaml", Self.deepDocument(form))
        let report = Self.lint([file])
        #expect(report.diagnostics.map(\.message) == ["unusable YAML: nesting deeper than 512 levels"], "\(form)")
    }

    @Test func deeplyNestedDockerfileVariablesResolve() throws {
        let scratch = try Scratch()
        let depth = 10_000
        let file = try scratch.write(
            "Dockerfile",
            "ARG UNSET\nFROM " + String(repeating: "${UNSET:-", count: depth) + "alpine:3.20"
                + String(repeating: "}", count: depth) + "\n")
        let report = Self.lint([file])
        // Either resolved to the default or refused with a reason; never silently dropped.
        #expect(!report.findings.isEmpty)
        #expect(report.summary.references == 1)
    }

    @Test func exponentialArgExpansionIsCapped() throws {
        let scratch = try Scratch()
        var text = "ARG A0=ab\n"
        for i in 1..<64 { text += "ARG A\(i)=${A\(i - 1)}${A\(i - 1)}\n" }
        text += "FROM $A63\n"
        let file = try scratch.write("Dockerfile", text)
        let report = Self.lint([file])
        #expect(report.findings.contains { $0.message.contains("cannot be resolved") }, "\(report.findings.map(\.message))")
    }

    // MARK: Size

    /// Kubernetes documents of about 1 KiB each, two images per document, until `size` bytes.
    static func manifest(bytes size: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(size + 2048)
        var i = 0
        while out.count < size {
            var doc = """
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: app-\(i)
                  namespace: team-\(i % 7)
                  labels: {app: app-\(i), tier: backend}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: app-\(i)}}
                  template:
                    metadata: {labels: {app: app-\(i)}}
                    spec:
                      containers:
                        - name: app
                          image: ghcr.io/acme/app-\(i % 13):1.\(i % 10).\(i % 7)
                          ports: [{containerPort: 8080}]
                          env:

                """
            for e in 0..<12 { doc += "                - {name: VAR_\(e), value: \"value \(e) of app \(i)\"}\n" }
            doc += """
                        - name: proxy
                          image: envoyproxy/envoy:v1.29.\(i % 5)
                          resources: {limits: {cpu: 500m, memory: 256Mi}}

                """
            out += Array(doc.utf8)
            i += 1
        }
        return out
    }

    @Test func hundredMegabyteManifestIsSkippedWithADiagnostic() throws {
        let scratch = try Scratch()
        let file = scratch.path + "/huge.yaml"
        // Written in 1 MiB pieces; never held in memory whole, never committed.
        _ = FileManager.default.createFile(atPath: file, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: file))
        let piece = Data(Self.manifest(bytes: Self.mebibyte).prefix(Self.mebibyte))
        for _ in 0..<100 { handle.write(piece) }
        try handle.close()

        let report = Self.lint([file])
        #expect(report.diagnostics.map(\.message) == ["file is 100 MiB, over the 16 MiB limit (--max-file-size); skipped"])

        let child = try Self.run(["lint", "--format", "json", "--fail-on", "never", file])
        #expect(child.status == 2, "no readable input: \(child.stderr)")
        #expect(Self.diagnostics(ofJSON: child.stdout).contains { $0.contains("over the 16 MiB limit") })
        Self.expectPeak(child, below: 64, "100 MB file, which must not be read")

        // Standard input has no size to check first: an endless stream must stop at the limit too.
        let endless = try Self.run(["lint", "--format", "json", "--fail-on", "never", "--max-file-size", "4", "-"], stdin: "/dev/zero")
        #expect(endless.status == 2 && !endless.timedOut, "\(endless.stderr)")
        #expect(Self.diagnostics(ofJSON: endless.stdout).contains { $0.contains("over the 4 MiB limit") })
        Self.expectPeak(endless, below: 128, "endless standard input")
        try Self.skipIfMemoryUnmeasured()
    }

    @Test func twelveMegabyteManifestIsLintedInBoundedMemory() throws {
        let scratch = try Scratch()
        let bytes = Self.manifest(bytes: 12 * Self.mebibyte)
        let documents = bytes.split(separator: UInt8(ascii: "\n")).filter { $0.elementsEqual("---".utf8) }.count
        let file = try scratch.write("big.yaml", bytes)
        let child = try Self.run(["images", file], timeout: Self.hangGuard)
        #expect(child.status == 0 && !child.timedOut, "\(child.stderr)")
        // Every image of every document, nothing lost on the way.
        #expect(child.stdout.split(separator: "\n").count == 2 * documents)
        Self.expectPeak(child, below: 1024, "images of a 12 MB manifest")

        let lint = try Self.run(["lint", "--format", "json", "--fail-on", "never", file], timeout: Self.hangGuard)
        #expect(lint.status == 0 && !lint.timedOut, "\(lint.stderr)")
        #expect(Self.summary(ofJSON: lint.stdout)["references"] == 2 * documents)
        Self.expectPeak(lint, below: 1536, "lint of a 12 MB manifest")
        try Self.skipIfMemoryUnmeasured()
    }

    /// One line of 1 MiB, in a reference, in a RUN command, in a YAML value and in a YAML comment.
    static func megabyteLine(_ name: String) -> String {
        let mebi = 1 << 20
        switch name {
        case "Dockerfile": return "FROM " + String(repeating: "a", count: mebi) + "\n"
        case "run.Dockerfile": return "FROM alpine:3.20\nRUN echo " + String(repeating: "x ", count: mebi / 2)
        case "image.yaml":
            return "apiVersion: v1\nkind: Pod\nspec: {containers: [{name: c, image: " + String(repeating: "a", count: mebi) + "}]}\n"
        default:
            return "# " + String(repeating: "x", count: mebi) + "\napiVersion: v1\nkind: Pod\nspec: {containers: [{name: c, image: alpine}]}\n"
        }
    }

    @Test(arguments: ["Dockerfile", "run.Dockerfile", "image.yaml", "comment.yaml"])
    func megabyteSingleLine(name: String) throws {
        let text = Self.megabyteLine(name)
        let scratch = try Scratch()
        let file = try scratch.write(name, text)
        let report = Self.lint([file])
        #expect(report.summary.references == 1, "\(name)")
        #expect(!report.findings.isEmpty, "\(name)")
        if name == "Dockerfile" || name == "image.yaml" {
            #expect(report.findings.contains { $0.rule == "invalid-reference" && $0.message.contains("255 characters") })
        }
    }

    // MARK: Bytes that are not text

    static let notText: [(name: String, bytes: [UInt8], fragment: String)] = [
        ("Dockerfile", Array("FROM alpine:3.20\nFROM ng".utf8) + [0xC3, 0x28] + Array("inx:1\n".utf8), "not valid UTF-8"),
        ("deploy.yaml", Array("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: ng".utf8) + [0xFF] + Array("inx\n".utf8), "not UTF-8"),
        ("Dockerfile", [UInt8](repeating: 0, count: mebibyte), "NUL"),
        ("deploy.yaml", [UInt8](repeating: 0, count: mebibyte), "control characters"),
        ("utf16.yaml", [0xFF, 0xFE] + Array("a: b\n".utf8).flatMap { [$0, 0] }, "UTF-16"),
        ("Dockerfile", [0xFF, 0xFE] + Array("FROM a\n".utf8).flatMap { [$0, 0] }, "NUL"),
    ]

    @Test(arguments: 0..<notText.count)
    func bytesThatAreNotUTF8Text(_ index: Int) throws {
        let (name, bytes, fragment) = Self.notText[index]
        let scratch = try Scratch()
        let file = try scratch.write(name, bytes)
        let report = Self.lint([file])
        #expect(report.diagnostics.contains { $0.message.contains(fragment) }, "\(name): \(report.diagnostics)")
        #expect(report.findings.contains { $0.rule == "parse-error" })
    }
}
