/// Kubernetes objects of the project that rules look up around a pod by name and namespace (ServiceAccounts
/// for `missing-pull-secret`, Secrets for `ineffective-pull-secret`). Each kind is a list filled from
/// `FileAnalysis` by `add(_:)`: a new kind of object is a list here, its line in `add(_:)` and its field in
/// `FileAnalysis`.
public struct ProjectObjects: Sendable, Hashable {
    public var serviceAccounts: [ServiceAccountInfo] = []
    public var secrets: [PullSecretInfo] = []

    public init(serviceAccounts: [ServiceAccountInfo] = [], secrets: [PullSecretInfo] = []) {
        self.serviceAccounts = serviceAccounts
        self.secrets = secrets
    }

    public mutating func add(_ analysis: FileAnalysis) {
        serviceAccounts += analysis.serviceAccounts
        secrets += analysis.secrets
    }

    public mutating func add(_ other: ProjectObjects) {
        serviceAccounts += other.serviceAccounts
        secrets += other.secrets
    }

    /// Sets the namespace of every object (a kustomization's `namespace:`).
    public mutating func setNamespace(_ namespace: String) {
        for i in serviceAccounts.indices { serviceAccounts[i].namespace = namespace }
        for i in secrets.indices { secrets[i].namespace = namespace }
    }

    public var isEmpty: Bool { serviceAccounts.isEmpty && secrets.isEmpty }

    /// The ServiceAccount `name` in `namespace` (an object without a namespace is in `default`), the first
    /// in path order.
    public func serviceAccount(named name: String, namespace: String?) -> ServiceAccountInfo? {
        let namespace = namespace ?? "default"
        return serviceAccounts.first { $0.name == name && ($0.namespace ?? "default") == namespace }
    }
}

/// The objects around one pod, nearest first: what kustomize deploys with it (its build; outside any
/// build, the YAML files of its directory), then the rest of the project (the nearest enclosing git work
/// tree or configuration file's directory). Loaded from disk whichever files were named, so a file's
/// findings do not depend on its neighbours being linted too.
public struct ObjectsAround: Sendable, Hashable {
    public var nearby: ProjectObjects
    public var elsewhere: ProjectObjects

    public init(nearby: ProjectObjects = ProjectObjects(), elsewhere: ProjectObjects = ProjectObjects()) {
        self.nearby = nearby
        self.elsewhere = elsewhere
    }

    /// Where a ServiceAccount was found.
    public enum Found: Sendable, Hashable {
        case nearby(ServiceAccountInfo)
        case elsewhere(ServiceAccountInfo)
        case nowhere
    }

    public func serviceAccount(named name: String, namespace: String?) -> Found {
        if let a = nearby.serviceAccount(named: name, namespace: namespace) { return .nearby(a) }
        if let a = elsewhere.serviceAccount(named: name, namespace: namespace) { return .elsewhere(a) }
        return .nowhere
    }
}
