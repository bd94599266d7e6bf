import ArgumentParser

struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "Not yet available.")

    func run() async throws {
        throw ExitCode(64)
    }
}
