import ImagelintCore

/// Where a Dockerfile reference came from: the instruction (`FROM`, `COPY`, `ADD`, `RUN`, or `syntax` for the
/// parser directive) and the build stage it belongs to.
public struct DockerfileOrigin: OccurrenceOrigin, Hashable {
    /// Name of the stage the instruction belongs to (its `AS` alias), if any.
    public var stage: String?
    /// 0-based index of the stage the instruction belongs to.
    public var stageIndex: Int?
    /// For `FROM … AS name`: the alias.
    public var alias: String?
    /// The instruction, upper-cased: `FROM`, `COPY`, `ADD`, `RUN`; `syntax` for the parser directive.
    public var instruction: String
    /// `--platform=` value as written.
    public var platform: String?
    /// True for an instruction inside `ONBUILD`.
    public var onbuild: Bool

    public init(
        instruction: String, stage: String? = nil, stageIndex: Int? = nil, alias: String? = nil,
        platform: String? = nil, onbuild: Bool = false
    ) {
        self.instruction = instruction
        self.stage = stage
        self.stageIndex = stageIndex
        self.alias = alias
        self.platform = platform
        self.onbuild = onbuild
    }

    public func forEachContextMember(_ body: (String, ContextMember) -> Void) {
        if let stage { body("stage", .string(stage)) }
        if let stageIndex { body("stageIndex", .int(stageIndex)) }
        if let alias { body("alias", .string(alias)) }
        body("instruction", .string(instruction))
        if let platform { body("platform", .string(platform)) }
        body("onbuild", .bool(onbuild))
    }

    public func forEachFingerprintField(_ body: (String) -> Void) {
        var f = FingerprintFields()
        f.stage = stage ?? ""
        f.alias = alias ?? ""
        f.instruction = instruction
        f.forEach(body)
    }

    public var displayName: String {
        let where_ = stage.map { "stage `\($0)`" } ?? stageIndex.map { "stage \($0)" }
        return [instruction, where_].compactMap { $0 }.joined(separator: " in ")
    }
}
