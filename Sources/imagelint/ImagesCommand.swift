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

            EXAMPLES
              imagelint images Examples
              imagelint images --format json deploy/ | jq '.images[].normalized'
              imagelint images --build-arg BASE=python:3.12.1 Dockerfile
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

    func run() throws {
        let options = try input.lintOptions()
        // Written as files are done (JSON), or kept as one short line per image until the end (text, whose
        // columns are aligned over the whole listing): never every occurrence with its context.
        let writer = ImageListingWriter(format: format == .json ? .json : .text)
        let stdout = Output.standard
        var out = ReportBuffer(capacity: 1 << 16)
        var writeFailed = false
        func flush(_ buffer: inout ReportBuffer) {
            defer { buffer.removeAll() }
            guard !writeFailed, !buffer.isEmpty else { return }
            do {
                try stdout.write(buffer.bytes)
            } catch {
                Console.problem("\(error)")
                writeFailed = true
            }
        }
        let (diagnostics, files) = Pipeline.images(options) { occurrences in
            writer.add(occurrences, into: &out)
            if out.count >= 1 << 16 { flush(&out) }
        }
        writer.finish(diagnostics: diagnostics, into: &out) { flush(&$0) }
        flush(&out)
        if format == .text {
            for d in diagnostics { Console.error(d.text) }
        }
        if writeFailed { throw ExitCode(2) }
        if files == 0 && !diagnostics.isEmpty { throw ExitCode(2) }
    }
}
