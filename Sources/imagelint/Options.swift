import ArgumentParser
import ImagelintCore
import ImagelintKit
import Reporters

extension ReportFormat: ExpressibleByArgument {}
extension FailOn: ExpressibleByArgument {}

/// Options shared by the commands that read Dockerfiles and manifests.
struct InputOptions: ParsableArguments {
    @Argument(help: "Files and directories to read (default: the current directory); `-` reads standard input.")
    var paths: [String] = []

    @Option(name: .long, help: ArgumentHelp("Configuration file (default: .imagelint.yml found from here up to the repository root).", valueName: "file"))
    var config: String?

    @Option(name: .customLong("build-arg"), help: ArgumentHelp("Value for a Dockerfile ARG (repeatable).", valueName: "name=value"))
    var buildArgs: [String] = []

    @Option(name: .long, help: ArgumentHelp("Skip paths matching this glob (repeatable).", valueName: "glob"))
    var exclude: [String] = []

    @Option(name: .customLong("stdin-filename"), help: ArgumentHelp("File name to report for standard input; its name picks the parser.", valueName: "name"))
    var stdinFilename: String?

    @Option(name: [.short, .long], help: ArgumentHelp("Files processed in parallel (default: the number of cores).", valueName: "n"))
    var jobs: Int?

    @Option(name: .customLong("max-file-size"), help: ArgumentHelp("Skip files larger than this many MiB.", valueName: "MiB"))
    var maxFileSize: Int = 16

    @Flag(name: .customLong("follow-external-links"), help: "Follow symbolic links to directories outside the paths walked (default: noted and skipped).")
    var followExternalLinks = false

    func validate() throws {
        for arg in buildArgs where !arg.contains("=") {
            throw ValidationError("--build-arg takes NAME=VALUE, found `\(arg)`")
        }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if maxFileSize < 1 { throw ValidationError("--max-file-size must be at least 1") }
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
                Console.error("imagelint: \(error)")
                throw ExitCode(2)
            }
        }
        for arg in buildArgs {
            let eq = arg.firstIndex(of: "=")!
            configuration.buildArgs[String(arg[..<eq])] = String(arg[arg.index(after: eq)...])
        }
        configuration.exclude += exclude.map(Glob.init)
        options.configuration = configuration
        options.paths = paths
        options.stdinFilename = stdinFilename
        if let jobs { options.jobs = jobs }
        options.maxFileSize = maxFileSize * 1024 * 1024
        options.followExternalLinks = followExternalLinks
        return options
    }
}

/// The only place that writes to the terminal.
enum Console {
    static func out(_ s: String) {
        var s = s
        if !s.isEmpty, !s.hasSuffix("\n") { s += "\n" }
        writeAll(1, s)
    }

    static func error(_ s: String) {
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
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = Terminal.write(fd, base + offset, bytes.count - offset)
            if n < 0, Terminal.lastError == Terminal.interrupted { continue }
            if n <= 0 {
                let name = fd == 1 ? "standard output" : fd == 2 ? "standard error" : "file descriptor \(fd)"
                throw InputProblem(path: name, message: "cannot write: \(Terminal.errorText(Terminal.lastError))")
            }
            offset += n
        }
    }
}
