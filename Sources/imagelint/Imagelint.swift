import ArgumentParser
import ImagelintCore
import ImagelintKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

@main
struct Imagelint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imagelint",
        abstract: "Keeps container image references honest in Dockerfiles, Kubernetes manifests and compose files.",
        discussion: """
            EXAMPLES
              imagelint lint                  lint the current directory (default command)
              imagelint lint Dockerfile k8s/  lint a file and a directory
              imagelint images deploy/        list every image with its exact position
              imagelint ref nginx             how Docker and Kubernetes read a reference
              imagelint tags 2.1.5            the release tags to push for a version
              imagelint pin --dry-run         what pinning tags to digests would change
              imagelint rules latest-tag      what a rule checks, and why
              imagelint --generate-completion-script bash

            EXIT CODES
              0   clean: no finding at or above --fail-on
              1   findings (lint), an invalid reference (ref), an existing patch tag (tags)
              2   bad configuration or unusable input
              64  usage error
            """,
        version: ImagelintInfo.version,
        subcommands: [LintCommand.self, ImagesCommand.self, RefCommand.self, TagsCommand.self, PinCommand.self, RulesCommand.self],
        defaultSubcommand: LintCommand.self
    )

    /// Start-up before the arguments are parsed: standard descriptors that are closed get `/dev/null` (so
    /// that no file opened later, such as an `--output` temporary file, becomes descriptor 1 and receives
    /// what is meant for standard output), and interrupted runs remove their temporary files.
    /// The most arguments parsed from the command line (0.7 s in a release build).
    static let maxArguments = 4096

    static func main() {
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 {
            let opened = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY)
            if opened >= 0, opened != fd {
                dup2(opened, fd)
                close(opened)
            }
        }
        AtomicFile.removeTemporariesOnSignals()
        // The argument parser's time grows with the square of the argument count (40,000 paths took 41 s):
        // long path lists come through --files-from instead.
        let count = CommandLine.arguments.count - 1
        if count > maxArguments {
            Console.problem(
                "\(count) arguments, over the \(maxArguments) read from the command line; "
                    + "pass long path lists with --files-from FILE (or --files-from - for standard input)")
            Self.exit(withError: ExitCode(64))
        }
        Self.main(nil)
    }
}
