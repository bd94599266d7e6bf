import ArgumentParser
import ImagelintCore
import ImagelintKit
import Reporters
import SystemPackage

extension ReportFormat: ExpressibleByArgument {}
extension FailOn: ExpressibleByArgument {}

/// Options shared by the commands that read Dockerfiles and manifests.
struct InputOptions: ParsableArguments {
    @Argument(help: "Files and directories to read (default: the current directory); `-` reads standard input. For long lists (thousands of paths), use --files-from.")
    var paths: [String] = []

    @Option(name: .customLong("files-from"), help: ArgumentHelp("Read the paths to lint from this file, one a line (or NUL-separated, as `git ls-files -z` writes them); `-` reads them from standard input.", valueName: "file"))
    var filesFrom: String?

    @Option(name: .long, help: ArgumentHelp("Configuration file (default: .imagelint.yml found from here up to the repository root).", valueName: "file"))
    var config: String?

    @Option(
        name: .customLong("build-arg"), help: ArgumentHelp("Value for a Dockerfile ARG (repeatable).", valueName: "name=value"),
        transform: BuildArg.init(parsing:))
    var buildArgs: [BuildArg] = []

    @Option(name: .long, help: ArgumentHelp("Skip paths matching this glob (repeatable).", valueName: "glob"))
    var exclude: [String] = []

    @Option(name: .customLong("stdin-filename"), help: ArgumentHelp("File name to report for standard input; its name picks the parser.", valueName: "name"))
    var stdinFilename: String?

    @Option(name: [.short, .long], help: ArgumentHelp("Files processed in parallel (default: the number of cores).", valueName: "n"))
    var jobs: Int?

    @Option(name: .customLong("max-file-size"), help: ArgumentHelp("Skip files larger than this many MiB.", valueName: "MiB"))
    var maxFileSize: Int = 16

    @Option(
        name: .customLong("env-file"),
        help: ArgumentHelp("Variables for compose files (repeatable; default: the .env beside each compose file).", valueName: "file"))
    var envFiles: [String] = []
    @Flag(name: .customLong("follow-external-links"), help: "Follow symbolic links to directories outside the paths walked (default: noted and skipped).")
    var followExternalLinks = false

    func validate() throws {
        if let jobs, !(1...Self.maxJobs).contains(jobs) {
            throw ValidationError("--jobs must be between 1 and \(Self.maxJobs), found \(jobs)")
        }
        if !(1...Self.maxFileSizeMiB).contains(maxFileSize) {
            throw ValidationError("--max-file-size must be between 1 and \(Self.maxFileSizeMiB) (MiB), found \(maxFileSize)")
        }
        if filesFrom == "-", paths.contains("-") {
            throw ValidationError("--files-from - and the path - both want standard input")
        }
    }

    /// Bounds of the numeric options: a thread costs stack memory (10⁵ threads cost 1 GB), and the YAML
    /// reader takes at most 1 GiB.
    static let maxJobs = 256
    static let maxFileSizeMiB = 1024

    /// The most a `--files-from` list may hold.
    static let filesFromLimit = 64 << 20

    /// The paths of `--files-from`: lines (a trailing `\r` dropped) or, when the list holds a NUL byte,
    /// NUL-separated names; empty entries skipped. Throws `ExitCode(2)` after printing the problem.
    func pathsFromFile() throws -> [String] {
        guard let filesFrom else { return [] }
        let result =
            filesFrom == "-"
            ? FileSystem.readStandardInput(limit: Self.filesFromLimit) : FileSystem.readList(filesFrom, limit: Self.filesFromLimit)
        switch result {
        case .failure(let p):
            throw Console.fail("--files-from \(filesFrom): \(p.message)", exitCode: 2)
        case .success(let bytes):
            let separator: UInt8 = bytes.contains(0) ? 0 : 0x0A
            return bytes.split(separator: separator).compactMap { entry in
                var e = entry
                if separator == 0x0A, e.last == 0x0D { e = e.dropLast() }
                return e.isEmpty ? nil : String(decoding: e, as: UTF8.self)
            }
        }
    }

    /// The configuration file merged with these options. Throws `ExitCode(2)` after printing the problem.
    func lintOptions() throws -> LintOptions {
        var options = LintOptions()
        var configuration = Configuration()
        let configPath = config ?? ConfigLoader.discover(from: FileSystem.currentDirectory())
        if let configPath {
            do {
                configuration = try ConfigLoader.load(path: configPath)
            } catch {
                throw Console.fail("\(error)", exitCode: 2)
            }
        }
        for arg in buildArgs { configuration.buildArgs[arg.name] = arg.value }
        configuration.exclude += exclude.map(Glob.init)
        options.configuration = configuration
        options.paths = paths + (try pathsFromFile())
        if filesFrom != nil, options.paths.isEmpty {
            throw Console.fail("--files-from \(filesFrom!): no paths in it", exitCode: 2)
        }
        options.stdinFilename = stdinFilename
        if let jobs { options.jobs = jobs }
        options.maxFileSize = maxFileSize * 1024 * 1024
        do {
            try options.readEnvFiles(envFiles)
        } catch {
            throw Console.fail("--env-file \(error)", exitCode: 2)
        }
        options.followExternalLinks = followExternalLinks
        return options
    }
}

/// The only place that writes to the terminal.
enum Console {
    /// The prefix of every problem the commands report on standard error.
    static let prefix = "imagelint: "

    /// Reports a problem on standard error, after the one prefix every command uses.
    static func problem(_ message: String) {
        error(prefix + message)
    }

    /// Reports a problem and gives the exit code to throw with it.
    static func fail(_ message: String, exitCode: Int32) -> ExitCode {
        problem(message)
        return ExitCode(exitCode)
    }

    /// Writes `s` (and a line feed) to standard output, with anything that could drive the terminal (ESC,
    /// BEL, C1 controls, bidirectional overrides) shown instead of sent.
    static func out(_ s: String) {
        var s = TerminalText.visible(s, keepingNewlines: true)
        if !s.isEmpty, !s.hasSuffix("\n") { s += "\n" }
        writeAll(1, s)
    }

    /// Writes `s` (and a line feed) to standard error, escaped as `out` does: messages quote configuration
    /// keys and values, file names and command-line text.
    static func error(_ s: String) {
        let s = TerminalText.visible(s, keepingNewlines: true)
        writeAll(2, s.hasSuffix("\n") ? s : s + "\n")
    }

    static func writeAll(_ fd: Int32, _ s: String) {
        try? Output(fd: fd).write(s)
    }
}

/// A file descriptor of the terminal's (standard output or error) as a sink: every byte written, retrying
/// when a signal interrupts; a failure (a closed pipe, a full disk) is thrown.
final class Output: ByteSink {
    let fd: Int32

    init(fd: Int32) { self.fd = fd }

    /// Standard output, the reports' sink.
    static var standard: Output { Output(fd: 1) }

    func write(_ bytes: UnsafeRawBufferPointer) throws(InputProblem) {
        do {
            _ = try FileDescriptor(rawValue: fd).writeAll(bytes)
        } catch {
            let name = fd == 1 ? "standard output" : fd == 2 ? "standard error" : "file descriptor \(fd)"
            let reason = (error as? Errno).map { Terminal.errorText($0.rawValue) } ?? "\(error)"
            throw InputProblem(path: name, message: "cannot write: \(reason)")
        }
    }
}
