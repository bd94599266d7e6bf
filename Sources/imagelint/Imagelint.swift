import ArgumentParser
import ImagelintCore

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
}
