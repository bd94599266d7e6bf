import ImageReference
import ImagelintCore

/// `deprecated-registry`: the registry is deprecated; the finding carries the replacement reference.
struct DeprecatedRegistry: Rule {
    /// Built-in table (shared/DOMAIN.md §4): old registry → replacement.
    static let builtIn: [(old: String, new: String)] = [
        ("registry.bluemix.net", "icr.io"),
        ("registry.ng.bluemix.net", "us.icr.io"),
        ("registry.eu-gb.bluemix.net", "uk.icr.io"),
        ("registry.eu-de.bluemix.net", "de.icr.io"),
        ("registry.au-syd.bluemix.net", "au.icr.io"),
        ("k8s.gcr.io", "registry.k8s.io"),
    ]

    static let description = RuleDescription(
        id: "deprecated-registry",
        name: "Deprecated registry",
        defaultSeverity: .warning,
        summary: "The image is pulled from a deprecated registry; the fix names the replacement",
        rationale: """
            Registries get retired: `k8s.gcr.io` is frozen in favour of `registry.k8s.io`, and the \
            `*.bluemix.net` registries moved to `icr.io`. Images there stop receiving updates and may stop \
            being served. Copying an image between registries keeps its digest, so the replacement reference \
            pulls the same bytes. Add your own moves under `registries.deprecated` (`old: new`): a registry, a \
            registry/path prefix, or a whole repository (`docker.io/mailhog/mailhog: docker.io/axllent/mailpit`), \
            which is replaced whole, keeping the tag and digest; Docker Hub names may be written familiar \
            (`mailhog/mailhog`).
            """,
        examples: [
            RuleExample("Dockerfile", "FROM ↓registry.bluemix.net/acme/app:1.0.0\n", triggers: true),
            RuleExample("pod.yaml", ExampleFiles.pod("↓k8s.gcr.io/pause:3.9"), triggers: true),
            RuleExample(
                "Dockerfile", "FROM ↓old.example.com/team/app:1.0.0\n", triggers: true,
                config: "registries:\n  deprecated:\n    old.example.com/team: ghcr.io/team\n"),
            RuleExample(
                "compose.yaml", "services:\n  mail:\n    image: ↓mailhog/mailhog:v1.0.1\n", triggers: true,
                config: "registries:\n  deprecated:\n    docker.io/mailhog/mailhog: docker.io/axllent/mailpit\n"),
            RuleExample("pod.yaml", ExampleFiles.pod("registry.k8s.io/pause:3.9"), triggers: false),
            RuleExample("Dockerfile", "FROM icr.io/acme/app:1.0.0\n", triggers: false),
            RuleExample("Dockerfile", "FROM k8s.gcr.io.example.com/pause:3.9\n", triggers: false),
        ]
    )

    /// The built-in table, parsed once (every occurrence is checked against it).
    static let builtInPatterns = builtIn.map { (old: $0.old, pattern: RegistryPattern($0.old), new: $0.new) }

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        guard let ref = o.reference else { return [] }
        // Configured moves first: they may override a built-in one.
        for (old, new) in facts.configuration.deprecatedRegistries {
            let pattern = RegistryPattern(Self.normalizedKey(old))
            if pattern.matches(ref) { return [Self.violation(o, ref, old: old, pattern: pattern, new: new)] }
        }
        for (old, pattern, new) in Self.builtInPatterns where pattern.matches(ref) {
            return [Self.violation(o, ref, old: old, pattern: pattern, new: new)]
        }
        return []
    }

    /// A key written as Docker Hub's familiar name (`mailhog/mailhog`, `postgres`) as the registry path it means
    /// (`docker.io/mailhog/mailhog`, `docker.io/library/postgres`): a first segment without `.` or `:` that is not
    /// `localhost` is a Docker Hub namespace, as in image references.
    static func normalizedKey(_ key: String) -> String {
        var k = Substring(key)
        if let r = k.firstRange(of: "://") { k = k[r.upperBound...] }
        let segments = k.split(separator: "/", omittingEmptySubsequences: true)
        guard let first = segments.first, segments.count >= 1,
            !first.contains("."), !first.contains(":"), first != "localhost", !first.contains("*")
        else { return key }
        return "docker.io/" + (segments.count == 1 ? "library/" : "") + segments.joined(separator: "/")
    }

    static func violation(_ o: Occurrence, _ ref: ImageReference, old: String, pattern: RegistryPattern, new: String)
        -> Violation
    {
        let replacement = replace(ref, old: pattern, new: new)
        // What the key names: a whole repository (replaced whole), a registry, or a registry path prefix.
        let what: String
        if !pattern.pathPrefix.isEmpty, pattern.pathPrefix.joined(separator: "/") == ref.path {
            what = "is a deprecated repository (`\(old)`)"
        } else if pattern.pathPrefix.isEmpty {
            what = "is on the deprecated registry `\(old)`"
        } else {
            what = "is under the deprecated registry path `\(old)`"
        }
        // A reference assembled from several scalars (Helm values) has no one span to replace.
        return Violation(
            "image `\(o.written)` \(what); use `\(replacement)`",
            fix: o.parts.isEmpty ? Fix(description: "Pull from \(new)", replacement: replacement) : nil, part: .registry)
    }

    /// The reference with the matched registry (and path prefix) replaced, in familiar form.
    static func replace(_ ref: ImageReference, old: RegistryPattern, new: String) -> String {
        let segments = ref.path.split(separator: "/")
        let rest = segments.dropFirst(old.pathPrefix.count).joined(separator: "/")
        var s = new
        while s.hasSuffix("/") { s.removeLast() }
        if !rest.isEmpty { s += "/" + rest }
        if let tag = ref.tag { s += ":" + tag }
        if let digest = ref.digest { s += "@" + digest }
        return s
    }
}
