import ImagelintCore

/// Options for reading Dockerfiles.
public struct DockerfileOptions: Sendable {
    /// `--build-arg NAME=VALUE` values; they override global ARG defaults.
    public var buildArgs: [String: String]
    public init(buildArgs: [String: String] = [:]) { self.buildArgs = buildArgs }
}

/// Turns a Dockerfile into image occurrences.
public enum DockerfileFrontEnd {
    /// Placeholder until the Dockerfile front end lands.
    public static func analyze(path: String, text: SourceText, options: DockerfileOptions = .init()) -> FileAnalysis {
        FileAnalysis(file: path, kinds: [.dockerfile])
    }
}
