import ArgumentParser

struct ImagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "images", abstract: "Not yet available.")

    func run() async throws {
        throw ExitCode(64)
    }
}
