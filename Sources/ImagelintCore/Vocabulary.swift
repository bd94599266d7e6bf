import ImageReference

/// How serious a finding is. Ordered: `info < warning < error`.
public enum Severity: String, Sendable, Hashable, CaseIterable, Comparable {
    case info, warning, error

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        }
    }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// A region of a source file. Lines and columns are 1-based; columns count Unicode scalars (a UTF-8 BOM
/// is not counted); `endColumn` is exclusive: the column just after the last character, as in SARIF.
public struct Span: Hashable, Sendable, Comparable {
    public var line: Int
    public var column: Int
    public var endLine: Int
    public var endColumn: Int

    public init(line: Int, column: Int, endLine: Int, endColumn: Int) {
        self.line = line
        self.column = column
        self.endLine = endLine
        self.endColumn = endColumn
    }

    /// A span on one line.
    public init(line: Int, column: Int, length: Int) {
        self.init(line: line, column: column, endLine: line, endColumn: column + length)
    }

    public static func < (a: Span, b: Span) -> Bool {
        (a.line, a.column, a.endLine, a.endColumn) < (b.line, b.column, b.endLine, b.endColumn)
    }
}

/// Where in a build or deployment file an image reference appeared: the JSON `source` member, and the kind of
/// file whose rules apply. A front end declares its own sources next to its origin types
/// (`extension ImageSource { static let argoWorkflow = … }`); the raw value is stable output.
public struct ImageSource: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public let fileKind: FileKind

    public init(_ rawValue: String, fileKind: FileKind) {
        self.rawValue = rawValue
        self.fileKind = fileKind
    }

    public var description: String { rawValue }

    public static func == (a: ImageSource, b: ImageSource) -> Bool { a.rawValue == b.rawValue }
    public func hash(into h: inout Hasher) { h.combine(rawValue) }

    public static let dockerfileFrom = ImageSource("dockerfile-from", fileKind: .dockerfile)
    public static let dockerfileCopyFrom = ImageSource("dockerfile-copy-from", fileKind: .dockerfile)
    public static let dockerfileMountFrom = ImageSource("dockerfile-mount-from", fileKind: .dockerfile)
    public static let dockerfileSyntax = ImageSource("dockerfile-syntax", fileKind: .dockerfile)
    /// A container of a pod spec, wherever it sits in a Kubernetes object.
    public static let kubernetes = ImageSource("kubernetes", fileKind: .kubernetes)
    public static let compose = ImageSource("compose", fileKind: .compose)
    public static let kustomize = ImageSource("kustomize", fileKind: .kustomize)
}

/// The kinds of content imagelint understands. A YAML file may hold several.
public enum FileKind: String, Sendable, Hashable, CaseIterable, Comparable {
    case dockerfile, kubernetes, compose, kustomize
    /// CI pipelines: GitHub Actions workflows and actions, GitLab CI, Bitbucket Pipelines, CircleCI.
    case ci
    /// Helm chart values (`values.yaml` beside a `Chart.yaml`).
    case helm

    public static func < (a: FileKind, b: FileKind) -> Bool { a.index < b.index }

    private var index: Int {
        switch self {
        case .dockerfile: 0
        case .kubernetes: 1
        case .compose: 2
        case .kustomize: 3
        case .ci: 4
        case .helm: 5
        }
    }

    /// A bit of its own, for sets of kinds as masks.
    var bit: UInt8 { 1 << UInt8(index) }
}

/// One image reference found in a file, with its exact position and context. Front ends produce these.
public struct Occurrence: Sendable, Hashable {
    /// The file path as given or as walked, with `/` separators.
    public var file: String
    /// The position of the reference text itself.
    public var span: Span
    /// The line suppression comments attach to: the first line of the Dockerfile instruction, or the
    /// line of the YAML `image:` value.
    public var anchorLine: Int
    /// The reference as written in the file (e.g. `${BASE}`).
    public var written: String
    /// The reference after variable substitution; nil when it could not be resolved.
    public var resolved: String?
    public var source: ImageSource
    /// Where it came from, as the front end knows it (typed by the front end; see `OccurrenceOrigin`).
    public var origin: Origin
    /// The parse of `resolved` (or `.unresolved` when `resolved` is nil), computed once here.
    public let status: ReferenceStatus
    /// For a reference assembled from several scalars (Helm values' `registry`, `repository`, `tag`,
    /// `digest`): where each part is written, so a finding can point at the scalar that carries the
    /// problem. Empty for a reference written in one piece.
    public var parts: [ReferencePart: Span] = [:]
    /// For a part written in another file than `file` (a kustomize overlay's `newTag` rewriting a base's
    /// `image:`): that file. A finding about the part is reported there.
    public var partFiles: [ReferencePart: String] = [:]
    /// A remark every finding of this occurrence ends with, in parentheses (e.g. that the tag is the chart's
    /// `appVersion`).
    public var note: String? = nil

    /// The file a finding about `part` is reported in.
    public func file(of part: ReferencePart?) -> String {
        guard let part, let file = partFiles[part] else { return file }
        return file
    }

    /// Where a finding about `part` points: that part's scalar when it has one, else the reference.
    public func span(of part: ReferencePart?) -> Span {
        guard let part, let span = parts[part] else { return span }
        return span
    }

    public init(
        file: String, span: Span, anchorLine: Int, written: String, resolved: String?,
        source: ImageSource, origin: any OccurrenceOrigin, unresolvedReason: String? = nil
    ) {
        self.file = file
        self.span = span
        self.anchorLine = anchorLine
        self.written = written
        self.resolved = resolved
        self.source = source
        self.origin = Origin(origin)
        if let resolved {
            self.status = ImageReference.classify(resolved)
        } else {
            self.status = .unresolved(unresolvedReason ?? Templating.unresolvedReason(written) ?? "cannot be resolved")
        }
    }

    /// The parsed reference when valid.
    public var reference: ImageReference? { status.reference }
}

/// A problem reading or parsing a file or document; reported as the `parse-error` finding.
public struct Diagnostic: Sendable, Hashable {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    /// `error` for parse failures; `info` for informative notes (e.g. an unrendered Helm template).
    public var severity: Severity

    public init(file: String, line: Int, column: Int = 1, message: String, severity: Severity = .error) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.severity = severity
    }
}

/// A Kubernetes ServiceAccount seen among the linted files (for `missing-pull-secret`).
public struct ServiceAccountInfo: Sendable, Hashable {
    public var name: String
    /// nil when the manifest does not set one.
    public var namespace: String?
    public var imagePullSecrets: [String]
    /// Where each name of `imagePullSecrets` is written (for findings about one of them); may be empty.
    public var imagePullSecretSpans: [Span] = []
    public var file: String
    public var line: Int

    public init(name: String, namespace: String?, imagePullSecrets: [String], file: String, line: Int) {
        self.name = name
        self.namespace = namespace
        self.imagePullSecrets = imagePullSecrets
        self.file = file
        self.line = line
    }
}

/// What a front end extracts from one file.
public struct FileAnalysis: Sendable {
    public var file: String
    /// The kinds of content found (e.g. `[.kubernetes]`); empty for YAML that is none of ours.
    public var kinds: Set<FileKind>
    public var occurrences: [Occurrence]
    public var diagnostics: [Diagnostic]
    public var serviceAccounts: [ServiceAccountInfo]
    /// Secrets (pull secrets or not), for `ineffective-pull-secret`; their values are never kept.
    public var secrets: [PullSecretInfo] = []

    public init(
        file: String, kinds: Set<FileKind> = [], occurrences: [Occurrence] = [], diagnostics: [Diagnostic] = [],
        serviceAccounts: [ServiceAccountInfo] = []
    ) {
        self.file = file
        self.kinds = kinds
        self.occurrences = occurrences
        self.diagnostics = diagnostics
        self.serviceAccounts = serviceAccounts
    }
}
