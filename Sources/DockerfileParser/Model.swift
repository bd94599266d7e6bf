import ImagelintCore

/// A parser directive at the top of a Dockerfile (`# syntax=…`, `# escape=…`, `# check=…`).
public struct DockerfileDirective: Sendable, Hashable {
    /// The directive name, lower-cased: `syntax`, `escape` or `check`.
    public var name: String
    public var value: String
    /// 1-based line of the directive.
    public var line: Int
}

/// One build stage: a `FROM` and the instructions after it.
public struct DockerfileStage: Sendable, Hashable {
    /// 0-based position among the stages.
    public var index: Int
    /// The `AS` name as written, or nil.
    public var name: String?
    /// 1-based line of the `FROM` instruction.
    public var line: Int
    /// The base as written (`${BASE}`, `golang:1.22`, `builder`).
    public var base: String
    /// The base after ARG substitution; nil when it could not be resolved.
    public var resolvedBase: String?
    /// The earlier stage the base names, when it names one.
    public var baseStage: Int?
    /// True for `FROM scratch`.
    public var isScratch: Bool
    /// `--platform=` as written.
    public var platform: String?
}

/// A `COPY --from`, `ADD --from` or `RUN --mount=…,from=` that names a stage rather than an image.
public struct DockerfileStageReference: Sendable, Hashable {
    /// 1-based line of the reference text.
    public var line: Int
    public var written: String
    /// The stage referred to (by name or by index).
    public var stageIndex: Int
    /// `COPY`, `ADD` or `RUN`.
    public var instruction: String
}

/// One instruction, as BuildKit splits the file (continuations joined, heredoc bodies attached).
public struct DockerfileInstruction: Sendable, Hashable {
    /// Upper-cased keyword (`RUN`); for `ONBUILD RUN …` this is `ONBUILD` and `trigger` is `RUN`.
    public var keyword: String
    /// The instruction inside `ONBUILD`, upper-cased.
    public var trigger: String?
    /// First and last 1-based lines, heredoc bodies included.
    public var line: Int
    public var endLine: Int
    /// 0-based index of the enclosing stage; nil before the first `FROM`.
    public var stageIndex: Int?
    /// Flag names without the leading `--` (`from`, `mount`, `platform`…).
    public var flags: [String]
    /// True for the exec (JSON array) form.
    public var isJSONForm: Bool
    /// Heredoc delimiters, in order (`EOF`).
    public var heredocs: [String]
}

/// Everything the front end learns from one Dockerfile.
public struct DockerfileDocument: Sendable {
    public var file: String
    public var directives: [DockerfileDirective] = []
    /// The active escape character: `\` or `` ` ``.
    public var escapeCharacter: Character = "\\"
    public var instructions: [DockerfileInstruction] = []
    public var stages: [DockerfileStage] = []
    public var stageReferences: [DockerfileStageReference] = []
    /// The images the build pulls, in file order.
    public var occurrences: [Occurrence] = []
    public var diagnostics: [Diagnostic] = []

    public init(file: String) { self.file = file }

    /// The `FileAnalysis` handed to the engine.
    public var analysis: FileAnalysis {
        FileAnalysis(file: file, kinds: [.dockerfile], occurrences: occurrences, diagnostics: diagnostics)
    }
}
