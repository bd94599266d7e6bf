import ImagelintCore

/// Options for reading YAML files.
public struct ManifestOptions: Sendable {
    public init() {}
}

/// Turns a YAML file (Kubernetes, compose, kustomize) into image occurrences.
public enum ManifestFrontEnd {
    /// Placeholder until the YAML front end lands.
    public static func analyze(path: String, text: SourceText, options: ManifestOptions = .init()) -> FileAnalysis {
        FileAnalysis(file: path)
    }
}
