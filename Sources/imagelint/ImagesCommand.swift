import ArgumentParser
import ImagelintCore
import ImagelintKit
import Reporters

enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct ImagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images",
        abstract: "List every image reference with its position, resolved and normalized forms.",
        discussion: """
            Prints one line per image a build pulls or a deployment runs: `file:line:col  image  → normalized`, \
            with the ARG-resolved form when it differs. Problems reading files go to standard error.

            --unique prints each distinct image once, normalized as it is pulled (`nginx` is \
            `docker.io/library/nginx:latest`), with its digest when pinned: the list a registry clean-up or \
            retention job must keep. With --format json each comes with every place it is used, and \
            `unlisted` holds the references that could not be resolved (text says how many on standard error).

            EXAMPLES
              imagelint images Examples
              imagelint images --format json deploy/ | jq '.images[].normalized'
              imagelint images --build-arg BASE=python:3.12.1 Dockerfile
              imagelint images --unique deploy/ > keep.txt
              kustomize build overlays/prod | imagelint images - --stdin-filename prod.yaml

            EXIT CODES
              0   listed (even with diagnostics)
              2   nothing could be read, or bad configuration
              64  usage error
            """
    )

    @OptionGroup var input: InputOptions

    @Option(name: [.short, .long], help: "Output format.")
    var format: ListFormat = .text

    @Flag(help: "Print each distinct normalized reference once (with its digest if pinned); with --format json, where each is used.")
    var unique = false

    func run() throws {
        let options = try input.lintOptions()
        if unique { return try runUnique(options) }
        // Written as files are done (JSON), or kept as one short line per image until the end (text, whose
        // columns are aligned over the whole listing): never every occurrence with its context.
        let writer = ImageListingWriter(format: format == .json ? .json : .text)
        let stdout = StandardOutputBuffer()
        var out = ReportBuffer(capacity: 1 << 16)
        let (diagnostics, files) = Pipeline.images(options) { occurrences in
            writer.add(occurrences, into: &out)
            if out.count >= 1 << 16 { stdout.flush(&out) }
        }
        writer.finish(diagnostics: diagnostics, into: &out) { stdout.flush(&$0) }
        stdout.flush(&out)
        if format == .text {
            for d in diagnostics { Console.error(d.text) }
        }
        if stdout.failed { throw ExitCode(2) }
        if files == 0 && !diagnostics.isEmpty { throw ExitCode(2) }
    }

    func runUnique(_ options: LintOptions) throws {
        let writer = UniqueImageListingWriter(format: format == .json ? .json : .text)
        let (diagnostics, files) = Pipeline.images(options) { writer.add($0) }
        let stdout = StandardOutputBuffer()
        var out = ReportBuffer(capacity: 1 << 16)
        writer.finish(diagnostics: diagnostics, into: &out) { stdout.flush(&$0) }
        stdout.flush(&out)
        if format == .text {
            for d in diagnostics { Console.error(d.text) }
            let n = writer.unlistedCount
            if n > 0 {
                Console.problem("\(n) reference\(n == 1 ? "" : "s") could not be resolved and \(n == 1 ? "is" : "are") not listed (see --format json)")
            }
        }
        if stdout.failed { throw ExitCode(2) }
        if files == 0 && !diagnostics.isEmpty { throw ExitCode(2) }
    }
}

/// Writes buffers of a listing to standard output as they fill; the first failure is reported once and
/// the rest of the listing dropped.
final class StandardOutputBuffer {
    private(set) var failed = false

    func flush(_ buffer: inout ReportBuffer) {
        defer { buffer.removeAll() }
        guard !failed, !buffer.isEmpty else { return }
        do {
            try Output.standard.write(buffer.bytes)
        } catch {
            Console.problem("\(error)")
            failed = true
        }
    }
}
