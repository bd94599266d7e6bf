import ImageReference

/// An example of a rule's behaviour, which is both its documentation and its test.
///
/// `content` is a whole file; the marker `↓` stands just before the reference text the finding must
/// point at (it is removed before linting). A triggering example has at least one marker; a
/// non-triggering example has none.
public struct RuleExample: Sendable, Hashable {
    /// File name that decides the front end: `Dockerfile`, `deploy.yaml`, `compose.yaml`, `kustomization.yaml`.
    public var filename: String
    public var content: String
    public var triggers: Bool
    /// An `.imagelint.yml` to lint the example with (for rules that need configuration), or nil.
    public var config: String?
    /// What the registry answers, for the online rules' examples (`lint --online`), or nil.
    public var registry: RegistryFacts?

    public init(_ filename: String, _ content: String, triggers: Bool, config: String? = nil, registry: RegistryFacts? = nil) {
        self.filename = filename
        self.content = content
        self.triggers = triggers
        self.config = config
        self.registry = registry
    }

    public static let marker: Character = "↓"
}

/// What a rule is, for `imagelint rules`, SARIF `tool.driver.rules` and the rule tests.
public struct RuleDescription: Sendable, Hashable {
    /// kebab-case id, e.g. `latest-tag`.
    public var id: String
    /// Human name, e.g. "Latest tag".
    public var name: String
    public var defaultSeverity: Severity
    /// One line.
    public var summary: String
    /// One paragraph: why it matters and how to fix.
    public var rationale: String
    /// The kinds of files the rule checks.
    public var appliesTo: Set<FileKind>
    /// True when the rule does nothing until configured (e.g. `registries.allowed`).
    public var requiresConfiguration: Bool
    public var examples: [RuleExample]

    public init(
        id: String, name: String, defaultSeverity: Severity, summary: String, rationale: String,
        appliesTo: Set<FileKind> = Set(FileKind.allCases), requiresConfiguration: Bool = false,
        examples: [RuleExample]
    ) {
        self.id = id
        self.name = name
        self.defaultSeverity = defaultSeverity
        self.summary = summary
        self.rationale = rationale
        self.appliesTo = appliesTo
        self.requiresConfiguration = requiresConfiguration
        self.examples = examples
    }

    /// Where the rule's documentation lives (SARIF `helpUri`).
    public var helpURI: String { ImagelintInfo.informationURI + "/blob/main/Rules/README.md#" + id }
}

/// A problem a rule reports about one occurrence. The engine turns it into a `Finding`.
public struct Violation: Sendable, Hashable {
    public var message: String
    public var fix: Fix?
    /// The part of the reference the problem is in, for occurrences assembled from several scalars (Helm
    /// values' `registry`/`repository`/`tag`): the finding points at that scalar. Nil: the whole reference.
    public var part: ReferencePart?
    /// Another place in the occurrence's file the finding points at (a pod's `imagePullSecrets` entry), for
    /// the rules that need the project's objects; suppression comments apply at that line. Nil: the reference.
    public var span: Span?
    /// A severity below the rule's for this finding (e.g. `info` when the rule cannot know for sure); nil:
    /// the rule's. Never raises it.
    public var severity: Severity?

    public init(_ message: String, fix: Fix? = nil, part: ReferencePart? = nil, span: Span? = nil, severity: Severity? = nil) {
        self.message = message
        self.fix = fix
        self.part = part
        self.span = span
        self.severity = severity
    }
}

/// A part of an image reference, for findings that point at one scalar of a reference assembled from
/// several (see `Occurrence.parts`).
public enum ReferencePart: Sendable, Hashable {
    case registry, repository, tag, digest
}

/// Facts that span files, available to every rule.
public struct LintFacts: Sendable {
    public var configuration: Configuration
    /// The Kubernetes objects around the file's pods (its kustomize build, its directory, the project),
    /// loaded from disk whichever files were named.
    public var objects: ObjectsAround
    /// The registries' answers, with `lint --online` (nil otherwise).
    public var registry: RegistryFacts?

    public init(configuration: Configuration, objects: ObjectsAround = ObjectsAround(), registry: RegistryFacts? = nil) {
        self.configuration = configuration
        self.objects = objects
        self.registry = registry
    }

    /// The ServiceAccounts around the pod, nearest first (those of its build or directory, then the project's).
    public var serviceAccounts: [ServiceAccountInfo] {
        objects.nearby.serviceAccounts + objects.elsewhere.serviceAccounts
    }

    /// The Secrets around the pod, nearest first (names, namespaces, registry hosts: never values).
    public var secrets: [PullSecretInfo] { objects.nearby.secrets + objects.elsewhere.secrets }
}

/// A built-in rule. Rules see typed facts (the parsed reference and its context), never raw text.
/// They are called only for occurrences whose status is `.valid`, except the rules that opt in with
/// `checksUnparsed` (invalid-reference, unresolved-reference).
public protocol Rule: Sendable {
    static var description: RuleDescription { get }
    /// True for rules that look at invalid or unresolved occurrences instead of valid ones.
    static var checksUnparsed: Bool { get }
    /// True for rules that look at unresolved occurrences as well as valid ones (`pause-$(ARCH)`).
    static var checksUnresolvedToo: Bool { get }
    /// True for rules that need `LintFacts.objects` (the objects around a pod: ServiceAccounts, Secrets), loaded
    /// from disk around each file, to decide.
    static var needsServiceAccounts: Bool { get }

    init()

    /// False when the rule needs configuration it does not have (it then does not apply to any file).
    static func isConfigured(_ configuration: Configuration) -> Bool

    /// Violations for one occurrence.
    func check(_ occurrence: Occurrence, facts: LintFacts) -> [Violation]
}

extension Rule {
    public static var checksUnparsed: Bool { false }
    public static var checksUnresolvedToo: Bool { false }
    public static var needsServiceAccounts: Bool { false }
    public static func isConfigured(_ configuration: Configuration) -> Bool { true }
}
