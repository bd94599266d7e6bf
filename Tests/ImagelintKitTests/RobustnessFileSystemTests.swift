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

/// The hostile inputs that come from the file system itself (special files, loops, files that vanish or
/// refuse to be read) and the fuzzers' findings, replayed through the pipeline.
extension RobustnessTests {
    // MARK: Files that are not regular files

    @Test func fifoAmongThePathsDoesNotBlock() throws {
        let scratch = try Scratch()
        let dockerfile = try scratch.write("app/Dockerfile", "FROM alpine:3.20\n")
        let fifo = scratch.path + "/app/pipe.yaml"
        #expect(mkfifo(fifo, 0o644) == 0)
        let explicit = scratch.path + "/named-pipe"
        #expect(mkfifo(explicit, 0o644) == 0)
        // Nobody ever writes to either FIFO: opening one for reading without O_NONBLOCK would wait forever.
        let child = try Self.run(
            ["lint", "--format", "json", "--fail-on", "never", explicit, scratch.path + "/app"], timeout: Self.hangGuard)
        #expect(!child.timedOut, "blocked on a FIFO")
        #expect(child.status == 0, "\(child.stderr)")
        let diagnostics = Self.diagnostics(ofJSON: child.stdout)
        #expect(diagnostics.contains("\(explicit): not a regular file (a FIFO); skipped"))
        #expect(diagnostics.contains("\(fifo): not a regular file (a FIFO); skipped"))
        #expect(Self.summary(ofJSON: child.stdout)["files"] == 1, "\(dockerfile) is still linted")
    }

    @Test(arguments: ["/dev/zero", "/dev/null", "/dev/urandom"])
    func deviceGivenExplicitlyIsSkipped(device: String) throws {
        let child = try Self.run(["lint", "--format", "json", "--fail-on", "never", device], timeout: Self.hangGuard)
        #expect(!child.timedOut)
        #expect(child.status == 2, "nothing readable: \(child.stderr)")
        #expect(Self.diagnostics(ofJSON: child.stdout) == ["\(device): not a regular file (a character device); skipped"])
        Self.expectPeak(child, below: 64, device)
        try Self.skipIfMemoryUnmeasured()
    }

    // MARK: The file system changing or refusing

    @Test func directorySymlinkLoopIsReportedOnce() throws {
        let scratch = try Scratch()
        _ = try scratch.write("repo/k8s/deploy.yaml", "apiVersion: v1\nkind: Pod\nspec: {containers: [{name: c, image: alpine:3.20}]}\n")
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/repo/k8s/up", withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/repo/self", withDestinationPath: ".")
        // Two links pointing at each other: neither resolves (ELOOP).
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/repo/a.yaml", withDestinationPath: "b.yaml")
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/repo/b.yaml", withDestinationPath: "a.yaml")
        let report = Self.lint([scratch.path + "/repo"])
        #expect(report.summary.files == 1 && report.summary.references == 1)
        let messages = report.diagnostics.map { String($0.file.dropFirst(scratch.path.count + 1)) + ": " + $0.message }
        #expect(messages.contains("repo/k8s/up: symbolic link loop; not followed"))
        #expect(messages.contains("repo/self: symbolic link loop; not followed"))
        #expect(messages.contains { $0.hasPrefix("repo/a.yaml: broken symbolic link") })
        #expect(messages.contains { $0.hasPrefix("repo/b.yaml: broken symbolic link") })
    }

    @Test func brokenSymlinkIsADiagnostic() throws {
        let scratch = try Scratch()
        _ = try scratch.write("Dockerfile", "FROM alpine:3.20\n")
        let link = scratch.path + "/gone.yaml"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: scratch.path + "/deleted.yaml")
        let walked = Self.lint([scratch.path])
        #expect(walked.diagnostics.contains { $0.file == link && $0.message.hasPrefix("broken symbolic link") })
        let explicit = Self.lint([link])
        #expect(explicit.diagnostics.contains { $0.file == link && $0.message.contains("broken or looping symbolic link") })
    }

    @Test func filesDeletedWhileTheRunWalksAndReads() throws {
        let scratch = try Scratch()
        let count = 3000
        var paths: [String] = []
        for i in 0..<count {
            paths.append(try scratch.write("d\(i % 30)/f\(i).yaml", "apiVersion: v1\nkind: Pod\nspec: {containers: [{name: c, image: app:\(i)}]}\n"))
        }
        // Delete every other file on another thread while the run is under way.
        let done = DispatchSemaphore(value: 0)
        let victims = paths.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        let deleter = Thread {
            for (i, p) in victims.enumerated() {
                unlink(p)
                if i % 100 == 0 { usleep(200) }
            }
            done.signal()
        }
        deleter.start()
        let report = Self.lint([scratch.path])
        done.wait()
        // Each file either was linted or has a diagnostic; only deleted files have one.
        let deleted = Set(victims)
        for d in report.diagnostics {
            #expect(deleted.contains(d.file), "\(d.file): \(d.message)")
            #expect(d.message.contains("No such file or directory"), "\(d.message)")
        }
        #expect(report.summary.files + report.diagnostics.count <= count)
        #expect(report.summary.files >= count / 2, "the files never deleted are all read")
        #expect(report.summary.references == report.summary.files)
    }

    @Test func unreadableFileAndFolderAreDiagnostics() throws {
        let scratch = try Scratch()
        let file = try scratch.write("secret/Dockerfile", "FROM alpine:3.20\n")
        let folder = try scratch.write("locked/inner/Dockerfile", "FROM alpine:3.20\n")
        _ = folder
        let readable = try scratch.write("ok/Dockerfile", "FROM alpine:3.20\n")
        _ = readable
        chmod(file, 0)
        chmod(scratch.path + "/locked", 0)
        let report = Self.lint([scratch.path])
        if geteuid() == 0 {
            // root reads everything: nothing to refuse, but the run must still see all three files.
            #expect(report.summary.files == 3)
            try Test.cancel("permission denials skipped: running as root, which reads every file; run as another user")
        }
        #expect(report.summary.files == 1)
        #expect(report.diagnostics.contains { $0.file == file && $0.message.contains("Permission denied") })
        #expect(report.diagnostics.contains { $0.file == scratch.path + "/locked" && $0.message.contains("Permission denied") })
    }

    // MARK: Fuzz findings

    /// Every input under `Tests/Fuzz/<target>/{crashers,seeds}/`, replayed through the same calls and
    /// checks as the fuzz entry points (Tests/Fuzz/<target>/Fuzz*.swift).
    static func fuzzInputs(_ target: String) -> [(name: String, bytes: [UInt8])] {
        var result: [(String, [UInt8])] = []
        for folder in ["crashers", "seeds"] {
            let dir = root + "/Tests/Fuzz/\(target)/\(folder)"
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
            for name in names where !name.hasPrefix(".") {
                if let data = FileManager.default.contents(atPath: dir + "/" + name) {
                    result.append(("\(folder)/\(name)", [UInt8](data)))
                }
            }
        }
        return result
    }

    @Test func fuzzCrashersAndSeedsReplayCleanly() throws {
        var replayed = 0
        for (name, bytes) in Self.fuzzInputs("reference") {
            let text = String(decoding: bytes, as: UTF8.self)
            let status = ImageReference.classify(text)
            if case .valid(let reference) = status {
                for form in [reference.normalized, reference.familiar] {
                    #expect((try? ImageReference.parse(form)) == reference, "\(name): \(form) does not parse back")
                }
            } else {
                #expect((try? ImageReference.parse(text)) == nil, "\(name)")
            }
            replayed += 1
        }
        for (name, bytes) in Self.fuzzInputs("dockerfile") {
            let text = SourceText(bytes)
            let buildArgs = bytes.count % 2 == 0 ? [:] : ["BASE": "alpine:3.20", "TAG": "${TAG}"]
            let analysis = DockerfileFrontEnd.analyze(path: "Dockerfile", text: text, options: DockerfileOptions(buildArgs: buildArgs))
            Self.checkPositions(analysis, text: text, name)
            replayed += 1
        }
        let yamlPaths = ["deploy.yaml", "kustomization.yaml", "chart/templates/deploy.yaml", "compose.yml"]
        for (name, bytes) in Self.fuzzInputs("yaml") {
            let text = SourceText(bytes)
            let analysis = ManifestFrontEnd.analyze(path: yamlPaths[bytes.count % yamlPaths.count], text: text)
            Self.checkPositions(analysis, text: text, name)
            replayed += 1
        }
        #expect(replayed >= 90, "seed corpora missing? replayed \(replayed)")
    }

    static func checkPositions(_ analysis: FileAnalysis, text: SourceText, _ name: String) {
        for o in analysis.occurrences {
            #expect(o.span.line >= 1 && o.span.line <= text.lineCount && o.span.column >= 1, "\(name): \(o.span)")
            #expect(o.span.endLine > o.span.line || o.span.endColumn >= o.span.column, "\(name): \(o.span)")
        }
        for d in analysis.diagnostics {
            #expect(d.line >= 1 && d.line <= text.lineCount && d.column >= 1, "\(name): \(d)")
        }
    }

    /// The first fuzz finding: a Docker Hub path whose first component reads as a registry.
    @Test(arguments: ["docker.io/foo.bar/app:1", "docker.io/localhost/app", "index.docker.io/a.b/c/d@sha256:" + String(repeating: "a", count: 64)])
    func familiarFormOfHubPathThatLooksLikeARegistryParsesBack(input: String) throws {
        let reference = try ImageReference.parse(input)
        #expect(reference.domain == "docker.io")
        #expect(reference.familiar.hasPrefix("docker.io/"))
        #expect(try ImageReference.parse(reference.familiar) == reference)
    }
}
