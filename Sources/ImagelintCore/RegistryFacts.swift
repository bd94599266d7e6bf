/// What registries answered about the references being linted (`lint --online`): the facts the online rules
/// (`tag-not-found`, `digest-mismatch`, `platform-digest`) read. Computed before the engine runs, so the rules
/// stay pure.
public struct RegistryFacts: Sendable, Hashable {
    /// What a tag resolves to.
    public enum TagAnswer: Sendable, Hashable {
        /// The tag's manifest digest; for a multi-platform index, each platform manifest's digest → its platform
        /// (`linux/arm64`).
        case resolved(digest: String, platforms: [String: String])
        /// The registry answered 404; `repositoryExists` is false when the repository itself is missing.
        case notFound(repositoryExists: Bool)
        /// No answer (network, auth): reported once per registry as a diagnostic, not as findings.
        case unknown
    }

    /// By `name:tag`, the name normalized (`docker.io/library/nginx:1.25.3`).
    public var tags: [String: TagAnswer]
    /// By `name@digest`: whether a pinned digest that is not the tag's exists in the repository.
    public var digests: [String: Bool]

    public init(tags: [String: TagAnswer] = [:], digests: [String: Bool] = [:]) {
        self.tags = tags
        self.digests = digests
    }

    public static func tagKey(name: String, tag: String) -> String { name + ":" + tag }
    public static func digestKey(name: String, digest: String) -> String { name + "@" + digest }
}
