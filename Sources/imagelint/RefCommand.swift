import ArgumentParser

struct RefCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ref", abstract: "Not yet available.")

    func run() async throws {
        throw ExitCode(64)
    }
}
