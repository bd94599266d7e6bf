import ArgumentParser
import ImagelintCore

@main
struct Imagelint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imagelint",
        abstract: "Keeps container image references honest in Dockerfiles, Kubernetes manifests and compose files.",
        discussion: """
            EXIT CODES
              0   clean: no finding at or above --fail-on
              1   findings at or above --fail-on (lint), invalid references (ref), existing patch tag (tags)
              2   bad configuration or unusable input
              64  usage error
            """,
        version: ImagelintInfo.version,
        subcommands: [LintCommand.self, ImagesCommand.self, RefCommand.self, TagsCommand.self, RulesCommand.self],
        defaultSubcommand: LintCommand.self
    )
}
