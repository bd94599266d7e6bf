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
            RuleExample("pod.yaml", ExampleFiles.pod("↓rancher/mirrored-pause:3.6-arm64v8"), triggers: true),
            // microsoft/Windows-Containers' HostProcess tools: Windows images are built for amd64 only.
            RuleExample("pod.yaml", ExampleFiles.pod("mcr.microsoft.com/oss/kubernetes/pause:3.9-windows-ltsc2022-amd64"), triggers: false),
            RuleExample(
                "pod.yaml",
                ExampleFiles.pod("arm64v8/nginx:1.25.3", extraSpec: "  nodeSelector:\n    kubernetes.io/arch: arm64\n"),
                triggers: false),
        ]
    )

    static var checksUnresolvedToo: Bool { true }

    /// Architecture words as they end image names and tags.
    static let architectures = [
        "amd64", "arm64", "arm64v8", "arm32v7", "arm32v6", "armv7", "armv6", "arm", "armhf", "ppc64le", "s390x", "386",
        "riscv64", "aarch64", "x86_64",
    ]
    /// Operating-system words that come before the architecture in per-platform tags (`3.9-windows-ltsc2022-amd64`):
    /// the multi-architecture tag drops them too.
    static let platformWords: Set<String> = ["linux", "windows"]
    /// Docker Hub's per-architecture namespaces (`arm64v8/alpine` is `alpine` for arm64 only).
    static let hubNamespaces: Set<String> = [
        "amd64", "arm32v5", "arm32v6", "arm32v7", "arm64v8", "i386", "ppc64le", "s390x", "riscv64", "mips64le",
        "windows-amd64",
    ]
    static let variables = ["-$(ARCH)", "-${ARCH}", "-$ARCH", "_$(ARCH)", "_${ARCH}", "-$(arch)", "-${arch}", "-{{ .Arch }}"]

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        guard let ref = o.reference else {
            let text = o.resolved ?? o.written
            guard Self.mentionsArch(text), let r = Self.variables.lazy.compactMap({ text.firstRange(of: $0) }).first
            else { return [] }
            var multi = text
            multi.removeSubrange(r)
            return [Violation("image `\(o.written)` is built per architecture with `\(text[r].dropFirst())`; use the multi-architecture name `\(multi)`")]
        }
        // Most images carry no architecture: that is decided first, from the name's last component and the tag.
        guard Self.mayCarryArchitecture(ref) else { return [] }
        // Windows images exist for amd64 only in practice (and HostProcess pods run what the host runs); a pod
        // that selects the image's own architecture cannot meet the wrong one.
        if let pod = o.origin.facts(NodeSelectionFacts.self), pod.selectsWindows || pod.hostProcess { return [] }
        if Self.namesWindows(ref) { return [] }
        var components = ref.path.split(separator: "/").map(String.init)
        var tag = ref.tag
        var what: String
        let arch: String
        if ref.domain == "docker.io", components.count == 2, Self.hubNamespaces.contains(components[0]) {
            what = "the Docker Hub namespace `\(components[0])/`"
            arch = components[0]
            components[0] = "library"
        } else if let a = Self.suffix(of: components[components.count - 1]) {
            what = "the architecture `\(a)` in its name"
            arch = a
            components[components.count - 1].removeLast(a.count + 1)
        } else if let t = tag, let a = Self.suffix(of: t), t.count > a.count + 1 {
            what = "the architecture `\(a)` in its tag"
            arch = a
            tag = Self.withoutPlatformWords(String(t.dropLast(a.count + 1)))
        } else {
            return []
        }
        if let pod = o.origin.facts(NodeSelectionFacts.self), let selected = pod.selectedArchitecture,
            Self.canonical(selected) == Self.canonical(arch)
        {
            return []
        }
        var multi = (ref.domain == "docker.io" ? "" : ref.domain + "/") + components.joined(separator: "/")
        if multi.hasPrefix("library/") { multi.removeFirst("library/".count) }
        if let tag { multi += ":" + tag }
        if ref.digest != nil { what += " (its digest is one platform's: pin the index's digest instead)" }
        return [Violation("image `\(o.written)` carries \(what); use the multi-architecture name `\(multi)`")]
    }

    /// A cheap first test: a Docker Hub path of two components (a per-architecture namespace is possible), or
    /// a name or tag ending in an architecture.
    static func mayCarryArchitecture(_ ref: ImageReference) -> Bool {
        if ref.domain == "docker.io", let slash = ref.path.firstIndex(of: "/"),
            hubNamespaces.contains(String(ref.path[..<slash]))
        {
            return true
        }
        let name = ref.path.split(separator: "/").last.map(String.init) ?? ref.path
        return suffix(of: name) != nil || ref.tag.map { suffix(of: $0) != nil } ?? false
    }

    /// True for a Windows image: a `windows` path component or a Windows token in the tag (`ltsc2022`,
    /// `nanoserver`, `servercore`, `windows`).
    static func namesWindows(_ ref: ImageReference) -> Bool {
        if ref.path.split(separator: "/").contains("windows") { return true }
        guard let tag = ref.tag?.lowercased() else { return false }
        return tag.contains("windows") || tag.contains("ltsc") || tag.contains("nanoserver") || tag.contains("servercore")
    }

    /// A tag without trailing operating-system words (`1.0-linux` → `1.0`).
    static func withoutPlatformWords(_ tag: String) -> String {
        var parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        while parts.count > 1, let last = parts.last, platformWords.contains(last.lowercased()) { parts.removeLast() }
        return parts.joined(separator: "-")
    }

    /// The `kubernetes.io/arch` value for an architecture word (`aarch64`, `arm64v8` → `arm64`).
    static func canonical(_ arch: String) -> String {
        switch arch {
        case "aarch64", "arm64v8": "arm64"
        case "x86_64": "amd64"
        case "i386": "386"
        case "arm32v7", "arm32v6", "armv7", "armv6", "armhf": "arm"
        default: arch
        }
    }

    /// The architecture a name or tag ends with (`-amd64`, `_arm64`), if any.
    static func suffix(of s: String) -> String? {
        // Checked for every image: the last byte must end an architecture word before any string is compared.
        guard let last = s.utf8.last, architectureEnds.contains(last) else { return nil }
        for (arch, dash, underscore) in suffixes where s.hasSuffix(dash) || s.hasSuffix(underscore) { return arch }
        return nil
    }

    static let suffixes = architectures.map { ($0, "-" + $0, "_" + $0) }
    static let architectureEnds = Set(architectures.compactMap { $0.utf8.last })

    /// True when `s` holds `arch` in any case (every architecture variable does: `$(ARCH)`, `{{ .Arch }}`).
    static func mentionsArch(_ s: String) -> Bool {
        var window: UInt32 = 0
        for c in s.utf8 {
            window = (window << 8) | UInt32(c | 0x20)
            if window == 0x6172_6368 { return true }  // "arch"
        }
        return false
    }
}
