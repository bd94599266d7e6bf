import ArgumentParser

struct TagsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tags", abstract: "Not yet available.")

    func run() async throws {
        throw ExitCode(64)
    }
}
