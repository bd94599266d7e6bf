import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Issue 13 (hardening), the command line and the environment: each case builds its hostile setting here and
/// runs the built binary.
@Suite(.serialized) struct HardeningEndToEndTests {
    static let binary = ProcessRunner.imagelint

    final class Scratch {
        let path: String
        init() throws {
            path = NSTemporaryDirectory() + "imagelint-harden-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        @discardableResult
        func write(_ name: String, _ text: String) throws -> String {
            let file = path + "/" + name
            try FileManager.default.createDirectory(
                atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: file, atomically: false, encoding: .utf8)
            return file
        }
        func read(_ name: String) -> String { (try? String(contentsOfFile: path + "/" + name, encoding: .utf8)) ?? "" }
        var entries: [String] { (try? FileManager.default.contentsOfDirectory(atPath: path))?.sorted() ?? [] }
    }

    static func run(_ args: [String], cwd: String, stdin: String? = nil) throws -> ProcessRunner.Result {
        try ProcessRunner.run(binary, args, cwd: cwd, stdin: stdin, env: ["NO_COLOR": "1"])
    }

    static let dockerfile = "FROM alpine:latest\n"

    // MARK: 11. --output never replaces what is not a regular file, keeps modes and links

    @Test func outputWritesThroughLinksAndKeepsTheMode() throws {
        let s = try Scratch()
        try s.write("Dockerfile", Self.dockerfile)
        try s.write("reports/real.json", "old")
        chmod(s.path + "/reports/real.json", 0o600)
        symlink("reports/real.json", s.path + "/link.json")
        let r = try Self.run(["lint", "Dockerfile", "--format", "json", "--output", "link.json"], cwd: s.path)
        #expect(r.status == 1, "\(r.stderr)")
        var st = stat()
        #expect(lstat(s.path + "/link.json", &st) == 0 && st.st_mode & S_IFMT == S_IFLNK, "the link stays a link")
        #expect(stat(s.path + "/reports/real.json", &st) == 0 && st.st_mode & 0o777 == 0o600, "mode kept")
        #expect(s.read("reports/real.json").contains("\"latest-tag\""))
        // A new file: 0666 less the umask (022 for the test process's children unless set otherwise).
        let mask = umask(0o022)
        umask(mask)
        _ = try Self.run(["lint", "Dockerfile", "--format", "json", "--output", "new.json"], cwd: s.path)
        #expect(stat(s.path + "/new.json", &st) == 0 && st.st_mode & 0o777 == 0o666 & ~mask)
    }

    @Test func outputToAFIFOIsWrittenInPlace() throws {
        let s = try Scratch()
        try s.write("Dockerfile", Self.dockerfile)
        let fifo = s.path + "/out.fifo"
        #expect(mkfifo(fifo, 0o644) == 0)
        // Held open for reading and writing here, so that the run's open does not wait for a reader.
        let fd = open(fifo, O_RDWR | O_NONBLOCK)
        #expect(fd >= 0)
        defer { close(fd) }
        let r = try Self.run(["lint", "Dockerfile", "--format", "json", "--output", "out.fifo"], cwd: s.path)
        #expect(r.status == 1, "\(r.stderr)")
        var st = stat()
        #expect(lstat(fifo, &st) == 0 && st.st_mode & S_IFMT == S_IFIFO, "still a FIFO, not a regular file")
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = read(fd, &buffer, buffer.count)
        #expect(n > 0 && String(decoding: buffer[..<max(n, 0)], as: UTF8.self).contains("\"latest-tag\""))
        #expect(s.entries == ["Dockerfile", "out.fifo"], "no temporary file left")
    }

    @Test func outputToDevStdoutWritesToStandardOutput() throws {
        let s = try Scratch()
        try s.write("Dockerfile", Self.dockerfile)
        let r = try Self.run(["lint", "Dockerfile", "--format", "json", "--output", "/dev/stdout"], cwd: s.path)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.contains("\"latest-tag\""))
        var st = stat()
        #expect(lstat("/dev/null", &st) == 0 && st.st_mode & S_IFMT == S_IFCHR)
    }

    // MARK: 12. --output naming an input

    @Test(arguments: [["deploy.yaml"], ["."], []])
    func outputThatIsAnInputIsRefused(paths: [String]) throws {
        let s = try Scratch()
        let text = "apiVersion: v1\nkind: Pod\nspec: {containers: [{name: a, image: nginx}]}\n"
        try s.write("deploy.yaml", text)
        let r = try Self.run(["lint"] + paths + ["--format", "json", "--output", "deploy.yaml"], cwd: s.path)
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("is one of the inputs"))
        #expect(s.read("deploy.yaml") == text)
        // A report beside the inputs that is not itself linted is fine.
        let ok = try Self.run(["lint", ".", "--format", "json", "--output", "report.json"], cwd: s.path)
        #expect(ok.status == 1, "\(ok.stderr)")
    }

    // MARK: 13. Closed standard descriptors

    @Test func closedStandardOutputDoesNotLandInTheOutputFile() throws {
        let s = try Scratch()
        try s.write("Dockerfile", Self.dockerfile)
        let r = try ProcessRunner.run(
            "/bin/sh", ["-c", "exec \"$0\" lint Dockerfile --format json --output out.json --format text >&- <&-", Self.binary],
            cwd: s.path)
        #expect(r.status == 1, "\(r.stderr)")
        let json = s.read("out.json")
        #expect(json.hasPrefix("{"))
        #expect(!json.contains("warning: "), "the text report went into the JSON file")
        #expect((try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil)
    }

    // MARK: 14. Numeric bounds

    @Test(arguments: [
        (["--max-file-size", "8796093022208"], "--max-file-size must be between 1 and 1024"),
        (["--max-file-size", "0"], "--max-file-size must be between 1 and 1024"),
        (["--jobs", "100000"], "--jobs must be between 1 and 256"),
        (["--jobs", "1000000000"], "--jobs must be between 1 and 256"),
    ])
    func outOfRangeNumbersAreUsageErrors(arguments: [String], message: String) throws {
        let s = try Scratch()
        try s.write("Dockerfile", Self.dockerfile)
        let r = try Self.run(["lint", "Dockerfile"] + arguments, cwd: s.path)
        #expect(r.status == 64)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    // MARK: 15. tags --existing reads with a limit

    @Test func endlessExistingIsRefused() throws {
        let s = try Scratch()
        let r = try Self.run(["tags", "1.0.0", "--existing", "/dev/zero"], cwd: s.path)
        #expect(r.status == 2)
        #expect(r.stderr.contains("over the 16 MiB limit"), "\(r.stderr)")
    }

    // MARK: 16. A configuration of several documents

    @Test func multiDocumentConfigurationIsRefusedWithThePosition() throws {
        let s = try Scratch()
        try s.write("Dockerfile", Self.dockerfile)
        try s.write(".imagelint.yml", "---\n# settings\n---\nrules:\n  latest-tag: off\n")
        let r = try Self.run(["lint", "Dockerfile"], cwd: s.path)
        #expect(r.status == 2)
        #expect(r.stderr.contains(".imagelint.yml:3:1: a second YAML document starts here"), "\(r.stderr)")
    }

    // MARK: 18. Terminal injection

    @Test func terminalControlsAreShownNotSent() throws {
        let s = try Scratch()
        try s.write("a\u{202E}b/Dockerfile", "FROM alpine:latest # \u{9B}31m \u{7}\n")
        let text = try Self.run(["lint", "."], cwd: s.path)
        #expect(text.status == 1)
        #expect(text.stdout.contains("a<U+202E>b/Dockerfile:1:6:"), "\(text.stdout)")
        #expect(text.stdout.contains("# <U+009B>31m ␇"), "\(text.stdout)")
        #expect(!text.stdout.unicodeScalars.contains { $0.value == 0x202E || $0.value == 0x9B || $0.value == 7 })
        let images = try Self.run(["images", "."], cwd: s.path)
        #expect(!images.stdout.unicodeScalars.contains { $0.value == 0x202E }, "\(images.stdout)")

        try s.write(".imagelint.yml", "rules:\n  \"\\e]0;owned\\a\\e[31mlatest\": off\n")
        let config = try Self.run(["lint", "."], cwd: s.path)
        #expect(config.status == 2)
        #expect(config.stderr.contains("␛]0;owned␇␛[31mlatest"), "\(config.stderr)")
        #expect(!config.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 7 })
    }

    // MARK: 19. Leftovers

    @Test(.timeLimit(.minutes(1))) func interruptedRunRemovesItsTemporaryFile() throws {
        let s = try Scratch()
        let fifo = s.path + "/stdin.fifo"
        #expect(mkfifo(fifo, 0o644) == 0)
        // Open for reading and writing: the run's standard input never ends, so it waits with its output open.
        let fd = open(fifo, O_RDWR)
        defer { close(fd) }
        // Spawned with no signal blocked (a child of Foundation's Process inherits the test runner's mask).
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fd, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let arguments: [String] = [Self.binary, "lint", "-", "--format", "json", "--output", s.path + "/report.json"]
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        #expect(posix_spawn(&pid, Self.binary, &actions, &attributes, argv, environ) == 0)
        var sawTemporary = false
        for _ in 0..<500 where !sawTemporary {
            sawTemporary = s.entries.contains { $0.hasPrefix(".report.json.imagelint-") }
            if !sawTemporary { usleep(10_000) }
        }
        #expect(sawTemporary)
        kill(pid, sawTemporary ? SIGTERM : SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        #expect(status & 0x7F == SIGTERM, "ended by SIGTERM")
        #expect(s.entries == ["stdin.fifo"], "left behind: \(s.entries)")
    }

    @Test func filesFromReadsPathsFromAFileOrStandardInput() throws {
        let s = try Scratch()
        for i in 0..<3 { try s.write("d\(i)/Dockerfile", Self.dockerfile) }
        try s.write("list.txt", "d0/Dockerfile\nd2/Dockerfile\r\n\n")
        let fromFile = try Self.run(["lint", "--files-from", "list.txt", "--format", "json"], cwd: s.path)
        #expect(fromFile.stdout.contains("\"files\" : 2") || fromFile.stdout.contains("\"files\": 2"), "\(fromFile.stdout.prefix(300))")
        let fromStdin = try Self.run(["lint", "--files-from", "-", "--format", "json"], cwd: s.path, stdin: "d1/Dockerfile\0d2/Dockerfile\0")
        #expect(fromStdin.stdout.contains("d1/Dockerfile") && !fromStdin.stdout.contains("d0/Dockerfile"))
        #expect(try Self.run(["lint", "--help"], cwd: s.path).stdout.contains("--files-from"))
        let both = try Self.run(["lint", "-", "--files-from", "-"], cwd: s.path)
        #expect(both.status == 64)
    }

    @Test func thousandsOfArgumentsAreRefusedWithAPointerToFilesFrom() throws {
        let s = try Scratch()
        try s.write("Dockerfile", Self.dockerfile)
        // Before: 40,000 arguments took 41 s (release) in the argument parser.
        let r = try Self.run(["lint"] + Array(repeating: "Dockerfile", count: 5_000), cwd: s.path)
        #expect(r.status == 64)
        #expect(r.stderr.contains("5001 arguments, over the 4096") && r.stderr.contains("--files-from"), "\(r.stderr)")
    }
}
