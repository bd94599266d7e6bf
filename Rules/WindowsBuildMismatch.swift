import ImageReference
import ImagelintCore

/// `windows-build-mismatch`: a Windows base image's build (`ltsc2019`, `1809`, `10.0.20348…`) differs from
/// the Windows build the pod's nodes run.
struct WindowsBuildMismatch: Rule {
    static let description = RuleDescription(
        id: "windows-build-mismatch",
        name: "Windows build mismatch",
        defaultSeverity: .error,
        summary: "A Windows image's build differs from the build the pod's nodes run",
        rationale: """
            Kubernetes runs Windows containers with process isolation, which needs the container image's \
            Windows build to equal the node's: an `ltsc2019` (10.0.17763) image does not start on a Windows \
            Server 2022 (10.0.20348) node. The image's build is read from its tag (`ltsc2016` 14393, `1709` \
            16299, `1803` 17134, `ltsc2019`/`1809` 17763, `1903` 18362, `1909` 18363, `2004` 19041, `20H2` \
            19042, `ltsc2022` 20348, `23H2` 25398, `ltsc2025` 26100, or `10.0.<build>`); the node's from the \
            pod's `node.kubernetes.io/windows-build` selector (`10.0.17763`). A pod that selects only \
            Windows (`kubernetes.io/os: windows`, the older `beta.kubernetes.io/os`, or `spec.os.name`) is \
            taken to run on Windows Server 2022 (10.0.20348), the default of today's managed Windows node \
            pools; select the build to make the schedule, and this check, exact. Not checked: HostProcess \
            containers (`windowsOptions.hostProcess`), which run on the host, and pods with a \
            `runtimeClassName`, whose RuntimeClass picks the nodes and may isolate with Hyper-V.
            """,
        appliesTo: [.kubernetes],
        examples: [
            RuleExample(
                "pod.yaml",
                ExampleFiles.pod(
                    "↓mcr.microsoft.com/windows/servercore:ltsc2019",
                    extraSpec: "  nodeSelector:\n    kubernetes.io/os: windows\n    node.kubernetes.io/windows-build: '10.0.20348'\n"),
                triggers: true),
            RuleExample(
                "pod.yaml",
                ExampleFiles.pod(
                    "↓mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2019",
                    extraSpec: "  nodeSelector:\n    kubernetes.io/os: windows\n"),
                triggers: true),
            RuleExample(
                "pod.yaml",
                ExampleFiles.pod(
                    "↓mcr.microsoft.com/windows/nanoserver:20H2",
                    extraSpec: "  nodeSelector:\n    node.kubernetes.io/windows-build: 10.0.17763\n"),
                triggers: true),
            RuleExample(
                "pod.yaml",
                ExampleFiles.pod(
                    "mcr.microsoft.com/windows/servercore:1809",
                    extraSpec: "  nodeSelector:\n    node.kubernetes.io/windows-build: '10.0.17763'\n"),
                triggers: false),
            RuleExample(
                "pod.yaml",
                ExampleFiles.pod(
                    "mcr.microsoft.com/windows/servercore:ltsc2022", extraSpec: "  nodeSelector:\n    kubernetes.io/os: windows\n"),
                triggers: false),
            RuleExample("pod.yaml", ExampleFiles.pod("mcr.microsoft.com/windows/servercore:ltsc2019"), triggers: false),
            RuleExample(
                "pod.yaml",
                ExampleFiles.pod("↓mcr.microsoft.com/windows/servercore:1709", extraSpec: "  os:\n    name: windows\n"),
                triggers: true),
            // HostProcess pods (kubernetes-sigs/sig-windows-tools' hostprocess/ manifests) run on the host.
            RuleExample(
                "pod.yaml",
                ExampleFiles.pod(
                    "mcr.microsoft.com/windows/nanoserver:ltsc2019",
                    extraSpec: "  securityContext:\n    windowsOptions:\n      hostProcess: true\n  hostNetwork: true\n  nodeSelector:\n    kubernetes.io/os: windows\n"),
                triggers: false),
            RuleExample(
                "pod.yaml",
                ExampleFiles.pod(
                    "mcr.microsoft.com/windows/servercore:ltsc2019",
                    extraSpec: "  runtimeClassName: windows-2019\n  nodeSelector:\n    kubernetes.io/os: windows\n"),
                triggers: false),
        ]
    )

    /// Windows release names (lowercased) → build number.
    static let builds: [String: Int] = [
        "ltsc2016": 14393, "1607": 14393, "1709": 16299, "1803": 17134, "ltsc2019": 17763, "1809": 17763,
        "1903": 18362, "1909": 18363, "2004": 19041, "20h2": 19042, "ltsc2022": 20348, "23h2": 25398,
        "ltsc2025": 26100,
    ]
    /// The names of each build, for messages.
    static func name(of build: Int) -> String {
        switch build {
        case 14393: "Windows Server 2016 (10.0.14393)"
        case 17763: "Windows Server 2019 (10.0.17763)"
        case 20348: "Windows Server 2022 (10.0.20348)"
        case 26100: "Windows Server 2025 (10.0.26100)"
        default: "Windows build 10.0.\(build)"
        }
    }

    static let buildLabel = "node.kubernetes.io/windows-build"
    static let osLabel = "kubernetes.io/os"
    static let defaultBuild = 20348

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        guard let ref = o.reference, let tag = ref.tag, let pod = o.origin.facts(NodeSelectionFacts.self) else { return [] }
        // A HostProcess container runs on the host, not isolated; a RuntimeClass (not read here) picks the
        // nodes and may isolate with Hyper-V, which runs older builds on newer hosts.
        guard !pod.hostProcess, pod.runtimeClassName == nil else { return [] }
        let selector = pod.nodeSelector
        let node: Int
        let assumed: Bool
        if let label = selector[Self.buildLabel] {
            guard let b = Self.build(ofLabel: label) else { return [] }
            (node, assumed) = (b, false)
        } else if pod.selectsWindows {
            (node, assumed) = (Self.defaultBuild, true)
        } else {
            return []
        }
        guard let image = Self.build(ofTag: tag), image != node else { return [] }
        let nodes =
            assumed
            ? "the pod selects Windows nodes without `\(Self.buildLabel)`, taken as \(Self.name(of: node))"
            : "the pod's nodes run \(Self.name(of: node)) (`\(Self.buildLabel)`)"
        return [
            Violation(
                "image `\(o.written)` is built on \(Self.name(of: image)) but \(nodes): process isolation needs the same build",
                part: .tag)
        ]
    }

    /// `10.0.17763` (or `10.0.17763.5329`) → 17763.
    static func build(ofLabel label: String) -> Int? {
        let parts = label.split(separator: ".")
        guard parts.count >= 3, parts[0] == "10", parts[1] == "0" else { return nil }
        return Int(parts[2])
    }

    /// The Windows build a tag names (`ltsc2019`, `4.8-windowsservercore-ltsc2022`, `10.0.17763.5329`), if any.
    static func build(ofTag tag: String) -> Int? {
        if tag.hasPrefix("10.0."), let b = build(ofLabel: tag) { return b }
        let tokens = tag.lowercased().split { $0 == "-" || $0 == "_" }
        for t in tokens.reversed() {
            if let b = builds[String(t)] { return b }
            for (name, b) in builds where name.hasPrefix("ltsc") && t.hasSuffix(name) { return b }
            if t.hasPrefix("10.0."), let b = build(ofLabel: String(t)) { return b }
        }
        return nil
    }
}
