import ArgumentParser

struct LintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lint", abstract: "Not yet available.")

    func run() async throws {
        throw ExitCode(64)
    }
}
