import ImageReference
import ImagelintCore

/// `arch-specific-image`: the name (or tag) carries one CPU architecture where, by convention, a
/// multi-architecture image index exists under the name without it.
struct ArchSpecificImage: Rule {
    static let description = RuleDescription(
        id: "arch-specific-image",
        name: "Architecture-specific image",
        defaultSeverity: .warning,
        summary: "The image name carries a CPU architecture (`pause-amd64`, `arm64v8/`); use the multi-architecture name",
        rationale: """
            Old images were published once per architecture (`registry.k8s.io/pause-amd64`, \
            `quay.io/x/app:1.0-arm64`, Docker Hub's `arm64v8/` namespaces). An image index now serves every \
            platform under one name and lets each node pull its own, while an `-amd64` image fails with \
            `exec format error` on an arm64 or s390x node of a mixed cluster. The message names the \
            multi-architecture reference the convention gives; check it exists (`imagelint pin`) and use it. \
            A name built with `-$(ARCH)` or `-${ARCH}` is reported as well: one manifest per architecture is \
            the pattern image indexes replace. Dockerfiles are not checked: a per-architecture Dockerfile \
            (`amd64/Dockerfile` with `FROM amd64/alpine`) is how image indexes are built.
            """,
        appliesTo: [.kubernetes, .kustomize, .compose, .ci, .helm],
        examples: [
            // The Kubernetes "Images" page, "Multi-architecture images with image indexes".
            RuleExample("pod.yaml", ExampleFiles.pod("↓registry.k8s.io/pause-amd64:3.9"), triggers: true),
            RuleExample("compose.yaml", ExampleFiles.compose("↓arm64v8/alpine:3.19"), triggers: true),
            RuleExample("pod.yaml", ExampleFiles.pod("↓quay.io/acme/agent:1.4.0-s390x"), triggers: true),
            RuleExample("pod.yaml", ExampleFiles.pod("↓registry.k8s.io/pause-$(ARCH):3.9"), triggers: true),
            RuleExample("pod.yaml", ExampleFiles.pod("registry.k8s.io/pause:3.9"), triggers: false),
            RuleExample("compose.yaml", ExampleFiles.compose("alpine:3.19"), triggers: false),
            RuleExample("Dockerfile", "FROM amd64/alpine:3.19\n", triggers: false),
            RuleExample("pod.yaml", ExampleFiles.pod("ghcr.io/acme/armory:1.0.0"), triggers: false),
        ]
    )

    static var checksUnresolvedToo: Bool { true }

    /// Architecture words as they end image names and tags.
    static let architectures = ["amd64", "arm64", "arm", "armhf", "ppc64le", "s390x", "386", "riscv64", "aarch64", "x86_64"]
    /// Docker Hub's per-architecture namespaces (`arm64v8/alpine` is `alpine` for arm64 only).
    static let hubNamespaces: Set<String> = [
        "amd64", "arm32v5", "arm32v6", "arm32v7", "arm64v8", "i386", "ppc64le", "s390x", "riscv64", "mips64le",
        "windows-amd64",
    ]
    static let variables = ["-$(ARCH)", "-${ARCH}", "-$ARCH", "_$(ARCH)", "_${ARCH}", "-$(arch)", "-${arch}", "-{{ .Arch }}"]

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        guard let ref = o.reference else {
            let text = o.resolved ?? o.written
            guard let r = Self.variables.lazy.compactMap({ text.firstRange(of: $0) }).first else { return [] }
            var multi = text
            multi.removeSubrange(r)
            return [Violation("image `\(o.written)` is built per architecture with `\(text[r].dropFirst())`; use the multi-architecture name `\(multi)`")]
        }
        var components = ref.path.split(separator: "/").map(String.init)
        var tag = ref.tag
        var what: String
        if ref.domain == "docker.io", components.count == 2, Self.hubNamespaces.contains(components[0]) {
            what = "the Docker Hub namespace `\(components[0])/`"
            components[0] = "library"
        } else if let arch = Self.suffix(of: components[components.count - 1]) {
            what = "the architecture `\(arch)` in its name"
            components[components.count - 1].removeLast(arch.count + 1)
        } else if let t = tag, let arch = Self.suffix(of: t), t.count > arch.count + 1 {
            what = "the architecture `\(arch)` in its tag"
            tag = String(t.dropLast(arch.count + 1))
        } else {
            return []
        }
        var multi = (ref.domain == "docker.io" ? "" : ref.domain + "/") + components.joined(separator: "/")
        if multi.hasPrefix("library/") { multi.removeFirst("library/".count) }
        if let tag { multi += ":" + tag }
        if ref.digest != nil { what += " (its digest is one platform's: pin the index's digest instead)" }
        return [Violation("image `\(o.written)` carries \(what); use the multi-architecture name `\(multi)`")]
    }

    /// The architecture a name or tag ends with (`-amd64`, `_arm64`), if any.
    static func suffix(of s: String) -> String? {
        for arch in architectures where s.hasSuffix("-" + arch) || s.hasSuffix("_" + arch) { return arch }
        return nil
    }
}
