import ImagelintCore
import ManifestParser

/// What to lint and how.
public struct LintOptions: Sendable {
    /// Files and directories; empty means the current directory.
    public var paths: [String] = []
    /// Read standard input as one file (the path `-`), named `stdinFilename` when given.
    public var stdinFilename: String? = nil
    public var configuration = Configuration()
    public var noIgnore = false
    /// Worker threads; default: the number of cores.
    public var jobs: Int = FileSystem.processorCount
    /// Files larger than this are skipped with a diagnostic.
    public var maxFileSize: Int = 16 * 1024 * 1024
    /// The variables compose files interpolate from, read from `--env-file` files; nil: each compose
    /// file's own `.env` (the one beside it), as `docker compose` reads it.
    public var composeEnvironment: ComposeEnvironment? = nil
    /// The registries' answers for the online rules (`lint --online`), computed before linting.
    public var registryFacts: RegistryFacts? = nil
    /// Image references checked per file; past it the rest are dropped with a diagnostic (a file of a
    /// few kilobytes can name an image hundreds of thousands of times through YAML aliases).
    public var maxOccurrencesPerFile: Int = 20_000
    /// Follow symbolic links whose target lies outside the walked paths (off: they are noted and skipped).
    public var followExternalLinks = false

    public init() {}

    /// Reads `--env-file` files into `composeEnvironment` (later files override earlier ones).
    public mutating func readEnvFiles(_ paths: [String]) throws(InputProblem) {
        guard !paths.isEmpty else { return }
        var environment = ComposeEnvironment()
        for path in paths {
            switch FileSystem.read(path, limit: maxFileSize) {
            case .success(let bytes): environment.add(dotEnv: bytes, file: path)
            case .failure(let problem): throw problem
            }
        }
        composeEnvironment = environment
    }

    /// What compose files interpolate from: the `--env-file` variables, else the `.env` beside the file.
    var composeEnvironmentLookup: @Sendable (String) -> ComposeEnvironment {
        if let fixed = composeEnvironment { return { _ in fixed } }
        let limit = maxFileSize
        return { composeFile in
            let dir = composeFile.lastIndex(of: "/").map { String(composeFile[...$0]) } ?? ""
            var environment = ComposeEnvironment()
            if case .success(let bytes) = FileSystem.read(dir + ".env", limit: limit) {
                environment.add(dotEnv: bytes, file: dir + ".env")
            }
            return environment
        }
    }
}
