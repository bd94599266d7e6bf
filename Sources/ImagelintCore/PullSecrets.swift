import ImageReference

/// A Kubernetes Secret seen among the project's files, as kubelet would read it for `imagePullSecrets`.
///
/// Only what the rules need survives reading: the secret's identity and type, the *keys* of its Docker
/// config (`auths` hosts, `credHelpers` hosts) and whether it names a `credsStore`. Credentials (`auth`,
/// `password`, `identitytoken`…) are never kept, printed or reported; the reader decodes the value in memory
/// and drops it.
public struct PullSecretInfo: Sendable, Hashable {
    public var name: String
    /// nil when the manifest does not set one (it is then applied wherever the pod is).
    public var namespace: String?
    /// `type`, as written (`kubernetes.io/dockerconfigjson`, `Opaque`…); nil when unset (Opaque).
    public var type: String?
    public var file: String
    public var line: Int
    /// What kubelet would make of it.
    public var content: Content

    public enum Content: Sendable, Hashable {
        /// A Docker config: the `auths` keys (`.dockercfg`: the top-level keys), in file order, and what
        /// kubelet ignores (`credHelpers` keys, `credsStore`).
        case dockerConfig(auths: [String], credHelpers: [String], credsStore: Bool)
        /// Not a pull secret (wrong type or no Docker config key).
        case notDockerConfig
        /// A Docker config kubelet cannot read; the reason never quotes the value.
        case undecodable(String)
        /// A template stands where the value would be (a Helm chart's secret): not known until rendered.
        case templated
    }

    public init(name: String, namespace: String?, type: String?, file: String, line: Int, content: Content) {
        self.name = name
        self.namespace = namespace
        self.type = type
        self.file = file
        self.line = line
        self.content = content
    }

    public static let dockerConfigJSONType = "kubernetes.io/dockerconfigjson"
    public static let dockerCfgType = "kubernetes.io/dockercfg"

    /// `file:line`, for messages.
    public var location: String { "\(file):\(line)" }

    /// True when the secret is in `namespace` (a pod's; nil means `default`). A secret that sets no namespace
    /// is taken to be applied with the pod (`kubectl apply -n`, a kustomization's `namespace:`).
    public func isIn(namespace: String?) -> Bool {
        guard let own = self.namespace else { return true }
        return own == (namespace ?? "default")
    }

    /// The `auths` keys that kubelet would use for `ref`: same number of host labels, each matched as a glob,
    /// the same port, and the key's path a prefix of the repository path (`RegistryPattern`).
    public func matchingAuths(_ ref: ImageReference) -> [String] {
        guard case .dockerConfig(let auths, _, _) = content else { return [] }
        return auths.filter { RegistryPattern($0).matches(ref) }
    }
}

/// Secrets named by a pod, looked up among the project's Secrets.
public enum PullSecretLookup {
    /// The outcome for one secret name.
    public enum Outcome: Sendable, Hashable {
        /// In the pod's namespace (the first such, in path order).
        case found(PullSecretInfo)
        /// Only in other namespaces (the first of them).
        case elsewhere(PullSecretInfo)
        /// Not among the project's Secrets.
        case absent
    }

    /// The outcome among the objects around a pod: nearby first, then the rest of the project (without
    /// joining the two lists, which a check per pod would copy).
    public static func lookup(_ name: String, namespace: String?, around objects: ObjectsAround) -> Outcome {
        let near = lookup(name, namespace: namespace, in: objects.nearby.secrets)
        if case .found = near { return near }
        let far = lookup(name, namespace: namespace, in: objects.elsewhere.secrets)
        if case .found = far { return far }
        if case .elsewhere = near { return near }
        return far
    }

    public static func lookup(_ name: String, namespace: String?, in secrets: [PullSecretInfo]) -> Outcome {
        var other: PullSecretInfo? = nil
        for s in secrets where s.name == name {
            if s.isIn(namespace: namespace) { return .found(s) }
            if other == nil { other = s }
        }
        return other.map { .elsewhere($0) } ?? .absent
    }
}

/// IBM Cloud Container Registry, as its guides describe it: the `icr.io` domains, and the deprecated
/// `registry*.bluemix.net` ones whose token secrets do not authorize `icr.io`.
public enum IBMCloudRegistry {
    /// `icr.io` (global), `us.icr.io` (regional), `private.us.icr.io` (private endpoint).
    public static let patterns = ["icr.io", "*.icr.io", "*.*.icr.io"]

    /// True for a domain the `patterns` match, a port ignored (asked for every pod image: a suffix test first).
    public static func isICR(_ domain: String) -> Bool {
        let host = hostWithoutPort(domain)
        guard host.utf8.count >= 6 else { return false }
        let tail = host.utf8.suffix(6)
        guard tail.elementsEqual("icr.io".utf8) || host.lowercased().hasSuffix("icr.io") else { return false }
        return patterns.contains { RegistryPattern($0).matches(domain: host, path: "") }
    }

    /// A regional or private registry (`us.icr.io`, `private.de.icr.io`), where a cluster pulls with the
    /// `all-icr-io` secret copied from `default`. Not the global `icr.io`, where IBM publishes public images
    /// (`icr.io/cpopen`, `icr.io/ibm`), nor the entitled `cp.icr.io`, which takes an entitlement key instead.
    public static func isRegional(_ domain: String) -> Bool {
        let host = hostWithoutPort(domain).lowercased()
        guard isICR(host), host != "icr.io" else { return false }
        return !isEntitled(host)
    }

    /// `cp.icr.io`, IBM's entitled software registry (pulled with an `ibm-entitlement-key` secret).
    public static func isEntitled(_ domain: String) -> Bool {
        hostWithoutPort(domain).lowercased() == "cp.icr.io"
    }

    static func hostWithoutPort(_ domain: String) -> String {
        let searchStart = domain.lastIndex(of: "]") ?? domain.startIndex
        guard let colon = domain[searchStart...].lastIndex(of: ":") else { return domain }
        return String(domain[..<colon])
    }

    /// `registry.bluemix.net`, `registry.ng.bluemix.net`… (the token-based domains).
    public static func isBluemix(_ key: String) -> Bool {
        let host = RegistryPattern(key).hostLabels
        return host.count >= 3 && host[0].hasPrefix("registry") && host.suffix(2) == ["bluemix", "net"]
    }
}

/// A pod's node selection, for the rules about images the nodes can run.
public protocol NodeSelectionFacts {
    /// `nodeSelector` (and `requiredDuringScheduling…` node affinity `In` terms with one value), by label.
    var nodeSelector: [String: String] { get }
    /// The pod's `spec.os.name` (`windows`, `linux`), when set.
    var podOS: String? { get }
    /// The pod's `runtimeClassName`: its RuntimeClass, not the pod, then decides the nodes and the isolation.
    var runtimeClassName: String? { get }
    /// A Windows HostProcess container (`securityContext.windowsOptions.hostProcess: true` on the pod or the
    /// container): it runs on the host, so the image's build need not match the node's.
    var hostProcess: Bool { get }
}

extension NodeSelectionFacts {
    /// True when the pod is bound for Windows nodes: `spec.os.name`, or the `kubernetes.io/os` label (or its
    /// deprecated `beta.kubernetes.io/os` form) in the node selection.
    public var selectsWindows: Bool {
        podOS?.lowercased() == "windows" || nodeSelector["kubernetes.io/os"]?.lowercased() == "windows"
            || nodeSelector["beta.kubernetes.io/os"]?.lowercased() == "windows"
    }

    /// The CPU architecture the pod's nodes are selected for (`kubernetes.io/arch`), when it selects one.
    public var selectedArchitecture: String? {
        nodeSelector["kubernetes.io/arch"] ?? nodeSelector["beta.kubernetes.io/arch"]
    }
}

/// Where a pod names its pull secrets, for findings about one of them.
public protocol PullSecretEntries {
    /// The span of each `imagePullSecrets[].name` value, in the order of `PullSecretFacts.imagePullSecrets`.
    var imagePullSecretSpans: [Span] { get }
}
