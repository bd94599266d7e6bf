import ImageReference
import ImagelintCore

/// `ineffective-pull-secret`: a pull secret the pod names (itself or through its ServiceAccount) is among the
/// project's Secrets but kubelet cannot use it for the image: another namespace, the wrong type, a value
/// kubelet cannot decode, only `credHelpers`/`credsStore`, or no `auths` entry matching the image.
struct IneffectivePullSecret: Rule {
    static let description = RuleDescription(
        id: "ineffective-pull-secret",
        name: "Ineffective pull secret",
        defaultSeverity: .warning,
        summary: "A pull secret the pod names cannot authorize the image's pull",
        rationale: """
            kubelet reads an image pull secret only from the pod's own namespace, only when its type is \
            `kubernetes.io/dockerconfigjson` (`.dockerconfigjson`) or `kubernetes.io/dockercfg` (`.dockercfg`), \
            and only its `auths` entries: `credHelpers` and `credsStore` name programs that do not exist on a \
            node. An `auths` key is used for an image when it has the same number of host labels (each may be \
            a glob: `*.azurecr.io`), the same port, and a path that is a prefix of the image's repository \
            (`registries.*` patterns use the same grammar). A secret that fails any of these leaves the pull \
            anonymous, and a private image ends in `ImagePullBackOff`. The Secrets are looked up among the \
            linted files (one that sets no namespace is taken to be applied with the pod); one that is not \
            there is not judged, unless `registries.secrets: complete` says they all are. The missing `auths` match is checked for images on `registries.private`, on IBM \
            Cloud Container Registry (`*.icr.io`: registry token secrets for `registry*.bluemix.net` do not \
            authorize it, API-key secrets such as `all-icr-io` do), and where an `auths` key nearly matches \
            (same host with another port or path). The finding points at the `imagePullSecrets` entry (the ServiceAccount's when it is in the pod's \
            file; else the image). \
            Secret values are never printed: only secret names, key names and hosts.
            """,
        appliesTo: [.kubernetes],
        examples: [
            // The Kubernetes "Images" page, "Specifying imagePullSecrets on a Pod": a secret works only in
            // its own namespace.
            RuleExample(
                "pod.yaml",
                secret("regcred", namespace: "other", json: #"{"auths":{"registry.acme.io":{"auth":"dTpw"}}}"#)
                    + pod("registry.acme.io/web:1.0.0", namespace: "shop", secret: "↓regcred"),
                triggers: true),
            RuleExample(
                "pod.yaml",
                secret("regcred", namespace: "shop", json: #"{"credHelpers":{"registry.acme.io":"acme"}}"#)
                    + pod("registry.acme.io/web:1.0.0", namespace: "shop", secret: "↓regcred"),
                triggers: true),
            RuleExample(
                "pod.yaml",
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\n  namespace: shop\ntype: Opaque\nstringData:\n  token: x\n---\n"
                    + pod("registry.acme.io/web:1.0.0", namespace: "shop", secret: "↓regcred"),
                triggers: true),
            RuleExample(
                "pod.yaml",
                secret("regcred", namespace: "shop", json: #"{"auths":{"registry.acme.io":{"auth":"dTpw"}}}"#)
                    + pod("registry.acme.io:5000/web:1.0.0", namespace: "shop", secret: "↓regcred"),
                triggers: true),
            // IBM Cloud Kubernetes Service, "Understanding how to authorize your cluster to pull images":
            // tokens authorize `registry.bluemix.net`, API keys `icr.io`.
            RuleExample(
                "pod.yaml",
                secret("bluemix-default-secret", namespace: "shop", json: #"{"auths":{"registry.ng.bluemix.net":{"auth":"dTpw"}}}"#)
                    + pod("us.icr.io/team/web:1.0.0", namespace: "shop", secret: "↓bluemix-default-secret"),
                triggers: true),
            RuleExample(
                "deploy.yaml",
                "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: shop\nimagePullSecrets:\n  - name: ↓regcred\n---\n"
                    + secret("regcred", namespace: "shop", json: #"{"auths":{"https://index.docker.io/v1/":{"auth":"dTpw"}}}"#)
                    + ExampleFiles.deployment("registry.acme.io:5000/api:2.0.0"),
                triggers: true, config: "registries:\n  private: [registry.acme.io:5000]\n"),
            RuleExample(
                "pod.yaml",
                secret("regcred", namespace: "shop", json: #"{"auths":{"registry.acme.io":{"auth":"dTpw"}}}"#)
                    + pod("registry.acme.io/web:1.0.0", namespace: "shop", secret: "regcred"),
                triggers: false),
            RuleExample(
                "pod.yaml",
                secret("regcred", namespace: "shop", json: #"{"auths":{"*.acme.io/team":{"auth":"dTpw"}}}"#)
                    + pod("registry.acme.io/team/web:1.0.0", namespace: "shop", secret: "regcred"),
                triggers: false),
            RuleExample(
                "pod.yaml", pod("registry.acme.io/web:1.0.0", namespace: "shop", secret: "not-in-the-project"),
                triggers: false),
            RuleExample(
                "pod.yaml",
                secret("all-icr-io", namespace: "shop", json: #"{"auths":{"us.icr.io":{"auth":"dTpw"}}}"#)
                    + pod("us.icr.io/team/web:1.0.0", namespace: "shop", secret: "all-icr-io"),
                triggers: false),
        ]
    )

    /// A `kubernetes.io/dockerconfigjson` Secret holding `json` as `stringData` (the examples' values are
    /// placeholders, `u:p`).
    static func secret(_ name: String, namespace: String, json: String) -> String {
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: \(name)
          namespace: \(namespace)
        type: kubernetes.io/dockerconfigjson
        stringData:
          .dockerconfigjson: '\(json)'
        ---

        """
    }

    static func pod(_ image: String, namespace: String, secret: String) -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          namespace: \(namespace)
        spec:
          imagePullSecrets:
            - name: \(secret)
          containers:
            - name: app
              image: \(image)

        """
    }

    static var needsServiceAccounts: Bool { true }

    /// A secret the pod uses: its name, where it is named (nil: through the ServiceAccount) and the account.
    struct Entry {
        var name: String
        var span: Span?
        var via: String?
    }

    func check(_ o: Occurrence, facts: LintFacts) -> [Violation] {
        guard let ref = o.reference, let pod = o.origin.facts(PullSecretFacts.self) else { return [] }
        let entries = Self.entries(pod, o, facts)
        guard !entries.isEmpty else { return [] }
        let namespace = pod.namespace ?? "default"
        var violations: [Violation] = []
        var usable: [(Entry, PullSecretInfo, [String])] = []
        var unknown = false
        for e in entries {
            let named = "pull secret `\(e.name)`" + (e.via.map { " (named by \($0))" } ?? "")
            switch PullSecretLookup.lookup(e.name, namespace: pod.namespace, around: facts.objects) {
            case .absent:
                unknown = true
                if facts.configuration.secretsComplete {
                    violations.append(
                        Violation(
                            "\(named) is not among the project's Secrets (`registries.secrets: complete`)", span: e.span))
                }
            case .elsewhere(let s):
                violations.append(
                    Violation(
                        "\(named) is in namespace `\(s.namespace ?? "default")` (\(s.location)), not in the pod's namespace `\(namespace)`: a secret works only in its own namespace; copy it into `\(namespace)`",
                        span: e.span))
            case .found(let s):
                switch s.content {
                case .templated:
                    unknown = true
                case .notDockerConfig:
                    violations.append(
                        Violation(
                            "\(named) (\(s.location)) has type `\(s.type ?? "Opaque")`; kubelet reads only `\(PullSecretInfo.dockerConfigJSONType)` and `\(PullSecretInfo.dockerCfgType)` secrets",
                            span: e.span))
                case .undecodable(let reason):
                    violations.append(Violation("\(named) (\(s.location)) cannot be read by kubelet: \(reason)", span: e.span))
                case .dockerConfig(let auths, let helpers, let store):
                    if auths.isEmpty && (!helpers.isEmpty || store) {
                        let what = (helpers.isEmpty ? [] : ["`credHelpers` (\(helpers.map { "`\($0)`" }.joined(separator: ", ")))"])
                            + (store ? ["`credsStore`"] : [])
                        violations.append(
                            Violation(
                                "\(named) (\(s.location)) holds only \(what.joined(separator: " and ")), which kubelet ignores: it needs an `auths` entry for the registry",
                                span: e.span))
                    } else {
                        usable.append((e, s, auths))
                    }
                }
            }
        }
        // The image's registry: is there an `auths` entry kubelet would use?
        guard !unknown, !usable.isEmpty, !usable.contains(where: { !$0.1.matchingAuths(ref).isEmpty }) else {
            return violations
        }
        let isICR = IBMCloudRegistry.isICR(ref.domain)
        let isPrivate = facts.configuration.privateRegistries.contains { RegistryPattern($0).matches(ref) }
        let image = ref.domain + "/" + ref.path
        for (e, s, auths) in usable {
            let named = "pull secret `\(e.name)`" + (e.via.map { " (named by \($0))" } ?? "")
            let hosts = auths.map { "`\($0)`" }.joined(separator: ", ")
            if isICR, !auths.isEmpty, auths.allSatisfy(IBMCloudRegistry.isBluemix) {
                violations.append(
                    Violation(
                        "\(named) (\(s.location)) holds registry tokens for \(hosts), which do not authorize `\(ref.domain)` (image `\(o.written)`): use an API-key secret such as `all-icr-io`",
                        span: e.span))
            } else if let near = auths.first(where: { Self.nearlyMatches($0, ref) }) {
                violations.append(
                    Violation(
                        "\(named) (\(s.location)) has an `auths` entry `\(near)` that kubelet does not use for `\(image)` (image `\(o.written)`): the port and path must match as written",
                        span: e.span))
            } else if isICR || isPrivate {
                violations.append(
                    Violation(
                        "\(named) (\(s.location)) has no `auths` entry for `\(image)` (image `\(o.written)`); its entries: \(hosts.isEmpty ? "none" : hosts)",
                        span: e.span))
            }
        }
        return violations
    }

    /// The pod's own entries, or (when it names none) those of its ServiceAccount, as kubelet merges them.
    static func entries(_ pod: any PullSecretFacts, _ o: Occurrence, _ facts: LintFacts) -> [Entry] {
        if !pod.imagePullSecrets.isEmpty {
            let spans = o.origin.facts(PullSecretEntries.self)?.imagePullSecretSpans ?? []
            return pod.imagePullSecrets.enumerated().map { i, name in
                Entry(name: name, span: spans.count == pod.imagePullSecrets.count ? spans[i] : nil, via: nil)
            }
        }
        let account = pod.serviceAccountName ?? "default"
        let namespace = pod.namespace ?? "default"
        let sa: ServiceAccountInfo
        switch facts.objects.serviceAccount(named: account, namespace: namespace) {
        case .nearby(let found), .elsewhere(let found): sa = found
        case .nowhere: return []
        }
        let via = "ServiceAccount `\(account)` at \(sa.file):\(sa.line)"
        // In the pod's file, the finding points at the ServiceAccount's entry; elsewhere, at the image.
        let here = sa.file == o.file && sa.imagePullSecretSpans.count == sa.imagePullSecrets.count
        return sa.imagePullSecrets.enumerated().map { i, name in
            Entry(name: name, span: here ? sa.imagePullSecretSpans[i] : nil, via: via)
        }
    }

    /// An `auths` key that names the image's host but that kubelet does not use for it: another port, or
    /// a path prefix the repository does not start with.
    static func nearlyMatches(_ key: String, _ ref: ImageReference) -> Bool {
        let p = RegistryPattern(key)
        var host = Substring(ref.domain)
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") { host = host[..<colon] }
        let labels = host.lowercased().split(separator: ".", omittingEmptySubsequences: false)
        return labels.count == p.hostLabels.count && zip(p.hostLabels, labels).allSatisfy { $0.lowercased() == $1 }
    }
}
