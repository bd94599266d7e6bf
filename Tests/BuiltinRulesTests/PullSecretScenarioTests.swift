import Foundation
import BuiltinRules
import ImagelintCore
import ImagelintKit
import Testing

/// The seeds' scenarios (`../shared/seeds/`: the Kubernetes "Images" page, seed 003; the IBM Cloud
/// Kubernetes Service guide, seeds 000/001; the IBM Cloud Container Registry guide, seed 004) and Secrets
/// shaped like real ones, through the whole pipeline: Secrets and ServiceAccounts are read from the files,
/// the rules that need them run after every file.
@Suite struct PullSecretScenarioTests {
    struct Scenario: CustomTestStringConvertible, Sendable {
        /// The seed section the scenario comes from (or the real file it is shaped like).
        var source: String
        var files: [(name: String, text: String)]
        var config: String = ""
        /// `rule@file:line` of every finding of the rules under test, sorted.
        var expected: [String]
        var testDescription: String { source }
    }

    static let rulesUnderTest: Set<String> = [
        "ineffective-pull-secret", "missing-pull-secret", "registry-namespace", "arch-specific-image",
        "windows-build-mismatch", "implicit-pull-policy",
    ]

    static func b64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }

    static func secret(
        _ name: String, namespace: String? = nil, type: String = "kubernetes.io/dockerconfigjson", key: String = ".dockerconfigjson",
        data: String
    ) -> String {
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: \(name)\(namespace.map { "\n  namespace: \($0)" } ?? "")
        type: \(type)
        data:
          \(key): \(data)
        ---

        """
    }

    static func pod(_ images: [String], namespace: String? = nil, secrets: [String] = [], extra: String = "", account: String? = nil) -> String {
        var s = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\(namespace.map { "\n  namespace: \($0)" } ?? "")\nspec:\n"
        if let account { s += "  serviceAccountName: \(account)\n" }
        s += extra
        if !secrets.isEmpty { s += "  imagePullSecrets:\n" + secrets.map { "    - name: \($0)\n" }.joined() }
        s += "  containers:\n"
        for (i, image) in images.enumerated() { s += "    - name: c\(i)\n      image: \(image)\n" }
        return s
    }

    static let scenarios: [Scenario] = [
        // The issue's first case: namespace `shop`, `regcred` only in `other`, holding only credHelpers.
        Scenario(
            source: "seed 003 Images, \"Specifying imagePullSecrets on a Pod\": a secret works in its own namespace only",
            files: [
                ("secret.yaml", secret("regcred", namespace: "other", data: b64(#"{"credHelpers":{"registry.acme.io":"acme-login"}}"#))),
                ("pod.yaml", pod(["registry.acme.io/web:1.0.0"], namespace: "shop", secrets: ["regcred"])),
            ],
            expected: ["ineffective-pull-secret@pod.yaml:8"]),
        Scenario(
            source: "seed 003 Images, \"Interpretation of config.json\": credHelpers and credsStore are not read by kubelet",
            files: [
                ("secret.yaml", secret("regcred", namespace: "shop", data: b64(#"{"credsStore":"desktop","credHelpers":{"gcr.io":"gcloud"}}"#))),
                ("pod.yaml", pod(["gcr.io/acme/web:1.0.0"], namespace: "shop", secrets: ["regcred"])),
            ],
            expected: ["ineffective-pull-secret@pod.yaml:8"]),
        Scenario(
            source: "seed 003 Images, \"Interpretation of config.json\": a glob host and a path prefix match",
            files: [
                ("s.yaml", secret("regcred", data: b64(#"{"auths":{"*.my-registry.io/images":{"auth":"dTpw"}}}"#))),
                ("pod.yaml", pod(["sub.my-registry.io/images/my-image:1.0.0", "sub.my-registry.io/images/subpath/x:1.0.0"], secrets: ["regcred"])),
            ],
            config: "registries:\n  private: ['*.my-registry.io']\n",
            expected: []),
        Scenario(
            // kubelet (pkg/credentialprovider URLsMatch) needs the same number of host labels: the page's
            // `a.sub.my-registry.io` example does not match `*.my-registry.io`.
            source: "seed 003 Images, \"Interpretation of config.json\": one glob matches one host label",
            files: [
                ("s.yaml", secret("regcred", data: b64(#"{"auths":{"*.my-registry.io/images":{"auth":"dTpw"}}}"#))),
                ("pod.yaml", pod(["a.sub.my-registry.io/images/my-image:1.0.0", "sub.my-registry.io/other/x:1.0.0"], secrets: ["regcred"])),
            ],
            config: "registries:\n  private: ['*.my-registry.io', '*.*.my-registry.io']\n",
            expected: ["ineffective-pull-secret@pod.yaml:7", "ineffective-pull-secret@pod.yaml:7"]),
        Scenario(
            source: "seed 003 Images, \"Interpretation of config.json\": several entries, one matches",
            files: [
                ("s.yaml", secret("regcred", data: b64(#"{"auths":{"my-registry.io/images":{"auth":"dTpw"},"my-registry.io/images/subpath":{"auth":"dTpw"}}}"#))),
                ("pod.yaml", pod(["my-registry.io/images/subpath/my-image:1.0.0"], secrets: ["regcred"])),
            ],
            config: "registries:\n  private: [my-registry.io]\n",
            expected: []),
        Scenario(
            source: "seed 003 Images, \"Referring to an imagePullSecrets on a Pod\": through the ServiceAccount",
            files: [
                ("sa.yaml", "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: builder\n  namespace: ci\nimagePullSecrets:\n  - name: regcred\n"),
                ("s.yaml", secret("regcred", namespace: "ci", type: "Opaque", key: "token", data: b64("x"))),
                ("pod.yaml", pod(["registry.acme.io/web:1.0.0"], namespace: "ci", account: "builder")),
            ],
            expected: ["ineffective-pull-secret@pod.yaml:10"]),
        Scenario(
            source: "seed 001 IBM Cloud Kubernetes Service, storing the secret on the namespace's ServiceAccount, in the pod's file",
            files: [
                ("all.yaml",
                 "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: shop\nimagePullSecrets:\n  - name: ok\n  - name: elsewhere\n---\n"
                    + secret("ok", namespace: "shop", data: b64(#"{"auths":{"us.icr.io":{"auth":"dTpw"}}}"#))
                    + secret("elsewhere", namespace: "default", data: b64(#"{"auths":{"us.icr.io":{"auth":"dTpw"}}}"#))
                    + pod(["us.icr.io/acme/web:1.0.0"], namespace: "shop")),
            ],
            expected: ["ineffective-pull-secret@all.yaml:8"]),
        Scenario(
            source: "seed 001 IBM Cloud Kubernetes Service, #cluster_registry_auth: token secrets authorize registry.bluemix.net, not icr.io",
            files: [
                ("s.yaml", secret("bluemix-shop-secret", namespace: "shop", data: b64(#"{"auths":{"registry.ng.bluemix.net":{"username":"token","auth":"dTpw"}}}"#))),
                ("pod.yaml", pod(["us.icr.io/acme/web:1.0.0"], namespace: "shop", secrets: ["bluemix-shop-secret"])),
            ],
            expected: ["ineffective-pull-secret@pod.yaml:8"]),
        Scenario(
            source: "seed 001 IBM Cloud Kubernetes Service, #copy_imagePullSecret: all-icr-io copied into the namespace",
            files: [
                ("s.yaml", secret("all-icr-io", namespace: "shop", data: b64(#"{"auths":{"icr.io":{"username":"iamapikey","auth":"dTpw"},"us.icr.io":{"username":"iamapikey","auth":"dTpw"}}}"#))),
                ("pod.yaml", pod(["us.icr.io/acme/web:1.0.0", "icr.io/ibm/liberty:24.0.0.1"], namespace: "shop", secrets: ["all-icr-io"])),
            ],
            expected: []),
        Scenario(
            source: "seed 000 IBM Cloud Kubernetes Service, #other: a namespace other than default has no icr.io secret",
            files: [("pod.yaml", pod(["us.icr.io/acme/web:1.0.0"], namespace: "shop"))],
            expected: ["missing-pull-secret@pod.yaml:9"]),
        Scenario(
            source: "seed 000 IBM Cloud Kubernetes Service, #namespace: the default namespace has the cluster's secret",
            files: [("pod.yaml", pod(["us.icr.io/acme/web:1.0.0"]))],
            expected: []),
        Scenario(
            source: "seed 004 IBM Cloud Container Registry, #registry_images_pushing: images live in a namespace",
            files: [("pod.yaml", pod(["us.icr.io/app:1.0.0", "de.icr.io/team/app:1.0.0"]))],
            expected: ["registry-namespace@pod.yaml:8"]),
        Scenario(
            source: "seed 003 Images, \"Multi-architecture images with image indexes\": pause-amd64",
            files: [("pod.yaml", pod(["registry.k8s.io/pause-amd64:3.9", "registry.k8s.io/pause:3.9"]))],
            expected: ["arch-specific-image@pod.yaml:8"]),
        Scenario(
            source: "Windows container version compatibility: ltsc2019 (17763) on nodes selected for 20348 (ltsc2022)",
            files: [
                ("pod.yaml", pod(
                    ["mcr.microsoft.com/windows/servercore:ltsc2019", "mcr.microsoft.com/windows/servercore:ltsc2022"],
                    extra: "  nodeSelector:\n    node.kubernetes.io/windows-build: '10.0.20348'\n"))
            ],
            expected: ["windows-build-mismatch@pod.yaml:10"]),
        Scenario(
            source: "seed 003 Images, \"Default image pull policy\": opt-in implicit-pull-policy",
            files: [("pod.yaml", pod(["nginx", "nginx:1.25.3", "python:3.12"]))],
            config: "rules:\n  implicit-pull-policy: warning\n",
            expected: ["implicit-pull-policy@pod.yaml:8", "implicit-pull-policy@pod.yaml:12"]),
        // Shaped like real files.
        Scenario(
            source: "Helm docs, \"Creating Image Pull Secrets\": a templated .dockerconfigjson is not judged",
            files: [
                ("templates/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: myregistrykey\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: \"{{ template \\\"imagePullSecret\\\" . }}\"\n"),
                ("pod.yaml", pod(["registry.acme.io/web:1.0.0"], secrets: ["myregistrykey"])),
            ],
            config: "registries:\n  private: [registry.acme.io]\n",
            expected: []),
        Scenario(
            // The legacy format from the Kubernetes docs (`kubectl create -f image-pull-secret.yaml`).
            source: "Kubernetes docs, legacy kubernetes.io/dockercfg keyed by https://index.docker.io/v1/",
            files: [
                ("s.yaml", secret("myregistrykey", type: "kubernetes.io/dockercfg", key: ".dockercfg", data: "eyAiaHR0cHM6Ly9pbmRleC5kb2NrZXIuaW8vdjEvIjogeyAiYXV0aCI6ICJabUZyWlhCaGMzTjNiM0prTVRJSyIsICJlbWFpbCI6ICJqZG9lQGV4YW1wbGUuY29tIiB9IH0K")),
                ("pod.yaml", pod(["acme/private:1.0.0"], secrets: ["myregistrykey"])),
            ],
            config: "registries:\n  private: [docker.io/acme]\n",
            expected: []),
        Scenario(
            source: "fabric8 Maven plugin docs: a dockercfg Secret with no data",
            files: [
                ("s.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: mysecrets\n  namespace: default\ntype: kubernetes.io/dockercfg\n---\n"),
                ("pod.yaml", pod(["registry.acme.io/web:1.0.0"], secrets: ["mysecrets"])),
            ],
            expected: ["ineffective-pull-secret@pod.yaml:7"]),
        Scenario(
            source: "a .dockerconfigjson that is not base64",
            files: [
                ("s.yaml", secret("regcred", data: "<base64 of ~/.docker/config.json>")),
                ("pod.yaml", pod(["registry.acme.io/web:1.0.0"], secrets: ["regcred"])),
            ],
            expected: ["ineffective-pull-secret@pod.yaml:7"]),
        Scenario(
            source: "registries.secrets: complete reports a named secret the project does not hold",
            files: [("pod.yaml", pod(["registry.acme.io/web:1.0.0"], secrets: ["regcred"]))],
            config: "registries:\n  secrets: complete\n",
            expected: ["ineffective-pull-secret@pod.yaml:7"]),
        Scenario(
            source: "a named secret the project does not hold stays unknown",
            files: [("pod.yaml", pod(["registry.acme.io/web:1.0.0"], secrets: ["regcred"]))],
            config: "registries:\n  private: [registry.acme.io]\n",
            expected: []),
        Scenario(
            source: "two containers of one pod: one finding at the pod's entry",
            files: [
                ("s.yaml", secret("regcred", namespace: "a", data: b64(#"{"auths":{"registry.acme.io":{"auth":"dTpw"}}}"#))),
                ("pod.yaml", pod(["registry.acme.io/web:1.0.0", "registry.acme.io/api:1.0.0"], namespace: "b", secrets: ["regcred"])),
            ],
            expected: ["ineffective-pull-secret@pod.yaml:8"]),
    ]

    /// Lints the scenario's files from a temporary directory, as `imagelint lint DIR` does.
    static func lint(_ s: Scenario) throws -> [String] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("imagelint-scenario-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (name, text) in s.files {
            let path = dir + "/" + name
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        var options = LintOptions()
        if !s.config.isEmpty { options.configuration = try ConfigLoader.parse(Array(s.config.utf8), file: ".imagelint.yml") }
        options.paths = [dir]
        options.jobs = 2
        var found: [String] = []
        _ = Pipeline.lint(options) { report in
            for f in report.findings where rulesUnderTest.contains(f.rule) {
                found.append("\(f.rule)@\(f.file.dropFirst(dir.count + 1)):\(f.span.line)")
            }
        }
        return found.sorted()
    }

    @Test(arguments: scenarios)
    func scenario(_ s: Scenario) throws {
        #expect(try Self.lint(s) == s.expected.sorted())
    }

    /// Messages name secrets, namespaces, files and hosts; never a value.
    @Test func messagesNameHostsNotValues() throws {
        let password = "s3cr3t-Pa55word"
        let json = #"{"auths":{"registry.acme.io:5000":{"username":"u","password":"\#(password)","auth":"\#(Self.b64("u:" + password))"}}}"#
        let s = Scenario(
            source: "values",
            files: [
                ("s.yaml", Self.secret("regcred", data: Self.b64(json))),
                ("pod.yaml", Self.pod(["registry.acme.io/web:1.0.0"], secrets: ["regcred"])),
            ],
            expected: [])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("imagelint-values-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in s.files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        var options = LintOptions()
        options.paths = [dir]
        var messages: [String] = []
        _ = Pipeline.lint(options) { report in messages += report.findings.filter { $0.rule == "ineffective-pull-secret" }.map(\.message) }
        #expect(messages.count == 1)
        #expect(messages.first?.contains("`registry.acme.io:5000`") == true, "\(messages)")
        for m in messages {
            #expect(!m.contains(password) && !m.contains(Self.b64("u:" + password)) && !m.contains(Self.b64(json).prefix(20)))
        }
    }
}
