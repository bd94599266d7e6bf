import ArgumentParser
import ImagelintCore
import ImagelintKit

enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct ImagesCommand: AsyncParsableCommand {
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

    func run() async throws {
        let options = try input.lintOptions()
        let listing = Pipeline.images(options)
        switch format {
        case .text:
            Console.out(listing.text())
            for d in listing.diagnostics { Console.error(d.text) }
        case .json:
            Console.out(listing.json())
        }
        if listing.files == 0 && !listing.diagnostics.isEmpty { throw ExitCode(2) }
    }
}
