/// Where an occurrence came from, as its front end knows it: a Dockerfile instruction, a container of a pod
/// spec, a workflow step, a compose service, a kustomize `images:` entry, an `image` value of a custom
/// resource… Each front end defines its own origin types (one per input kind) next to its extractor.
///
/// An origin supplies what the reporters need from it — the members of the JSON `context` object, the
/// identifying fields hashed into fingerprints, a display name — and exposes the facts some rules read
/// through the small protocols below (`PullPolicyFact`, `PullSecretFacts`, `AnnotationSuppression`).
/// Nothing outside the front end needs to know the concrete type.
public protocol OccurrenceOrigin: Sendable {
    /// The members of the JSON `context` object, only those that apply, in a fixed order.
    func forEachContextMember(_ body: (String, ContextMember) -> Void)
    /// The identifying fields hashed into a finding's fingerprint, in a fixed order. Positions are never
    /// part of them, so a fingerprint survives edits that move the finding.
    func forEachFingerprintField(_ body: (String) -> Void)
    /// A short description for people: `stage build`, `Deployment web, container app`.
    var displayName: String { get }

    func isEqual(to other: any OccurrenceOrigin) -> Bool
    func hash(into hasher: inout Hasher)
}

extension OccurrenceOrigin where Self: Hashable {
    public func isEqual(to other: any OccurrenceOrigin) -> Bool { (other as? Self) == self }
}

/// A member of an origin's JSON `context` object.
public enum ContextMember: Sendable, Hashable {
    case string(String)
    case int(Int)
    case bool(Bool)
    /// A string or `null`: the member is written either way.
    case optional(String?)
    case strings([String])
}

/// An origin as a hashable value (what occurrences and findings store).
public struct Origin: Sendable, Hashable {
    public let value: any OccurrenceOrigin

    public init(_ value: any OccurrenceOrigin) { self.value = value }

    public static func == (a: Origin, b: Origin) -> Bool { a.value.isEqual(to: b.value) }
    public func hash(into hasher: inout Hasher) { value.hash(into: &hasher) }

    /// The facts of type `T` the origin offers, if any: `origin.facts(PullSecretFacts.self)`.
    public func facts<T>(_ type: T.Type) -> T? { value as? T }

    public func forEachContextMember(_ body: (String, ContextMember) -> Void) { value.forEachContextMember(body) }

    /// The context as a JSON object holding only the members that apply, in a fixed order.
    public var json: JSONValue {
        var m: [(String, JSONValue)] = []
        value.forEachContextMember { key, member in
            switch member {
            case .string(let s): m.append((key, .string(s)))
            case .int(let i): m.append((key, .int(i)))
            case .bool(let b): m.append((key, .bool(b)))
            case .optional(let s): m.append((key, .optional(s)))
            case .strings(let a): m.append((key, .array(a.map { .string($0) })))
            }
        }
        return .object(m)
    }
}

// MARK: Facts rules read

/// A container whose pulls follow Kubernetes' `imagePullPolicy` (Kubernetes, Argo, Tekton containers), or
/// a pull policy of the same meaning (GitLab CI's `pull_policy`, Helm values' `pullPolicy`).
public protocol PullPolicyFact {
    /// The explicit policy in Kubernetes' words (`Always`, `IfNotPresent`, `Never`), or nil when unset.
    var imagePullPolicy: String? { get }
    /// The policy as written, for messages (`imagePullPolicy: IfNotPresent`, `pull_policy: if-not-present`).
    var pullPolicyText: String { get }
    /// True when the API server writes the default policy into the stored object at creation (a pod spec of
    /// a built-in workload: Pod, Deployment, StatefulSet…); false for custom resources and other files,
    /// whose pods get the default afresh each time one is made.
    var policyDefaultedInObject: Bool { get }
}

extension PullPolicyFact {
    public var policyDefaultedInObject: Bool { false }
    public var pullPolicyText: String { "imagePullPolicy: \(imagePullPolicy ?? "")" }
}

/// A pod whose image pulls use pull secrets: its own and those of its ServiceAccount.
public protocol PullSecretFacts {
    /// The object's namespace, nil when the manifest does not set one.
    var namespace: String? { get }
    /// The pod's `serviceAccountName`, nil when unset (the namespace's `default` account).
    var serviceAccountName: String? { get }
    /// Names in the pod spec's `imagePullSecrets` (empty when none).
    var imagePullSecrets: [String] { get }
}

/// A kustomization's `images:` entry that rewrites no container of its build (`unused-image-override`).
public protocol UnusedImageOverrideFacts {
    /// The entry's `name`.
    var overrideName: String { get }
    /// A container image of the build close to `overrideName`, for "did you mean".
    var suggestion: String? { get }
}

/// An origin that can carry an `imagelint.io/ignore` annotation (object or pod template metadata).
public protocol AnnotationSuppression {
    /// The annotations that apply (the object's, its pod template's…), with their positions.
    var ignoreAnnotation: [IgnoreAnnotation] { get }
}

/// The ten identifying fields fingerprints have hashed since the first release, in their fixed order
/// (stage, alias, instruction, kind, namespace, name, container list, container, service, kustomize name).
/// Origins of the first kinds write exactly these, so their findings keep their fingerprints; origins of
/// later kinds may append fields of their own after them.
public struct FingerprintFields {
    public var stage = "", alias = "", instruction = "", kind = "", namespace = "", name = ""
    public var containerList = "", container = "", service = "", kustomizeName = ""

    public init() {}

    public func forEach(_ body: (String) -> Void) {
        for field in [stage, alias, instruction, kind, namespace, name, containerList, container, service, kustomizeName] {
            body(field)
        }
    }
}
