import Foundation
import ImagelintCore
import ManifestParser
import Testing

/// Real files copied from the corpus (provenance in Fixtures/SOURCES.tsv), with the occurrences expected
/// in each, checked by reading the files: `line:column-endColumn source written | key context`.
/// Key context: Kubernetes `kind name container list`; compose `service`; kustomize `kustomizeName`.
struct FixtureCase: CustomTestStringConvertible, Sendable {
    let file: String
    let kinds: [FileKind]
    let expected: [String]
    var extra: [String] = []

    var testDescription: String { file }
}

let fixtureCases: [FixtureCase] = [
    FixtureCase(
        file: "argoproj__argo-cd__test__e2e__testdata__resource-actions__cron-job.yaml", kinds: [.kubernetes],
        expected: ["13:20-32 kubernetes busybox:1.28 | CronJob hello hello containers"],
        extra: ["pull=IfNotPresent"]),
    FixtureCase(
        file: "istio__istio__pkg__kube__inject__testdata__inject__cronjob.yaml", kinds: [.kubernetes],
        expected: ["13:20-27 kubernetes busybox | CronJob hellocron hello containers"]),
    FixtureCase(
        file: "kubernetes-sigs__kustomize__examples__multibases__base__pod.yaml", kinds: [.kubernetes],
        expected: ["10:12-23 kubernetes nginx:1.7.9 | Pod myapp-pod nginx containers"]),
    FixtureCase(
        file: "istio__istio__pkg__kube__inject__testdata__inject__job.yaml", kinds: [.kubernetes],
        expected: ["12:16-20 kubernetes perl | Job pi pi containers"]),
    FixtureCase(
        file: "istio__istio__pkg__kube__inject__testdata__inject__daemonset.yaml", kinds: [.kubernetes],
        expected: ["20:19-65 kubernetes fake.docker.io/google-samples/hello-go-gke:1.0 | DaemonSet hello hello containers"]),
    FixtureCase(
        file: "istio__istio__pkg__kube__inject__testdata__inject__statefulset.yaml", kinds: [.kubernetes],
        expected: ["21:17-63 kubernetes fake.docker.io/google-samples/hello-go-gke:1.0 | StatefulSet hello hello containers"]),
    FixtureCase(
        file: "istio__istio__pkg__kube__inject__testdata__inject__replicationcontroller.yaml", kinds: [.kubernetes],
        expected: ["17:16-21 kubernetes nginx | ReplicationController nginx nginx containers"]),
    FixtureCase(
        file: "istio__istio__pkg__kube__inject__testdata__inject__replicaset.yaml", kinds: [.kubernetes],
        expected: ["17:19-65 kubernetes fake.docker.io/google-samples/hello-go-gke:1.0 | ReplicaSet hello hello containers"]),
    FixtureCase(
        file: "argoproj__argo-rollouts__examples__rollout-rolling-update.yaml", kinds: [.kubernetes],
        expected: ["19:16-43 kubernetes argoproj/rollouts-demo:blue | Rollout rollout-rollingupdate rollouts-demo containers"],
        extra: ["pull=Always"]),
    FixtureCase(
        file: "istio__istio__pkg__kube__inject__testdata__inject__deploymentconfig.yaml", kinds: [.kubernetes],
        expected: ["16:19-65 kubernetes fake.docker.io/google-samples/hello-go-gke:1.0 | DeploymentConfig hello hello containers"]),
    FixtureCase(
        file: "istio__istio__pkg__kube__inject__testdata__inject__list-frontend.yaml", kinds: [.kubernetes],
        expected: ["37:23-71 kubernetes fake.docker.io/google-samples/hello-frontend:1.0 | Deployment frontend nginx containers"]),
    FixtureCase(
        file: "knative__docs__code-samples__serving__cloudevents__cloudevents-spring__service.yaml", kinds: [.kubernetes],
        expected: ["10:18-25 kubernetes <image> | Service cloudevents-spring - containers"]),
    FixtureCase(
        file: "istio__istio__pkg__kube__inject__testdata__inject__native-sidecar.yaml", kinds: [.kubernetes],
        expected: [
            "12:15-61 kubernetes fake.docker.io/google-samples/hello-go-gke:1.0 | Pod hello other-sidecar initContainers",
            "18:15-61 kubernetes fake.docker.io/google-samples/hello-go-gke:1.0 | Pod hello hello containers",
        ]),
    FixtureCase(
        file: "kubernetes__examples__web__guestbook__frontend-deployment.yaml", kinds: [.kubernetes],
        expected: ["19:16-52 kubernetes gcr.io/google-samples/gb-frontend:v5 | Deployment frontend php-redis containers"]),
    FixtureCase(
        file: "argoproj__argo-cd__reposerver__repository__testdata__null-list__null-list.yaml", kinds: [.kubernetes],
        expected: [], extra: ["serviceAccounts=prometheus-operator-operator"]),
    FixtureCase(
        file: "kubernetes__ingress-nginx__docs__examples__customization__custom-headers__configmap.yaml",
        kinds: [.kubernetes], expected: []),
    FixtureCase(
        file: "dockersamples__example-voting-app__k8s-specifications__vote-service.yaml", kinds: [.kubernetes],
        expected: []),
    FixtureCase(
        file: "fluxcd__flux2-kustomize-helm-example__clusters__production__apps.yaml", kinds: [.kubernetes],
        expected: []),
    FixtureCase(
        file: "netbox-community__netbox-docker__docker-compose.yml", kinds: [.compose],
        expected: [
            "3:12-66 compose docker.io/netboxcommunity/netbox:${VERSION-v4.1-3.0.2} | netbox",
            "3:12-66 compose docker.io/netboxcommunity/netbox:${VERSION-v4.1-3.0.2} | netbox-worker",
            "3:12-66 compose docker.io/netboxcommunity/netbox:${VERSION-v4.1-3.0.2} | netbox-housekeeping",
            "49:12-40 compose docker.io/postgres:16-alpine | postgres",
            "62:12-46 compose docker.io/valkey/valkey:8.0-alpine | redis",
            "77:12-46 compose docker.io/valkey/valkey:8.0-alpine | redis-cache",
        ],
        extra: ["resolved[0]=docker.io/netboxcommunity/netbox:v4.1-3.0.2"]),
    FixtureCase(
        file: "docker__awesome-compose__nginx-golang-mysql__compose.yaml", kinds: [.compose],
        expected: ["14:12-28 compose mariadb:10-focal | db", "35:12-17 compose nginx | proxy"]),
    FixtureCase(
        file: "dockersamples__example-voting-app__docker-compose.yml", kinds: [.compose],
        expected: ["55:12-24 compose redis:alpine | redis", "65:12-30 compose postgres:15-alpine | db"]),
    FixtureCase(
        file: "argoproj__argo-cd__manifests__base__kustomization.yaml", kinds: [.kustomize],
        expected: ["6:9-32 kustomize quay.io/argoproj/argocd:latest | quay.io/argoproj/argocd"]),
    FixtureCase(
        file: "kubeflow__manifests__applications__katib__upstream__installs__katib-standalone__kustomization.yaml",
        kinds: [.kustomize],
        expected: [
            "21:11-50 kustomize ghcr.io/kubeflow/katib/katib-controller:v0.19.0 | ghcr.io/kubeflow/katib/katib-controller",
            "24:11-50 kustomize ghcr.io/kubeflow/katib/katib-db-manager:v0.19.0 | ghcr.io/kubeflow/katib/katib-db-manager",
            "27:11-42 kustomize ghcr.io/kubeflow/katib/katib-ui:v0.19.0 | ghcr.io/kubeflow/katib/katib-ui",
        ]),
    FixtureCase(
        file: "GoogleCloudPlatform__microservices-demo__kustomize__components__container-images-tag-suffix__kustomization.yaml",
        kinds: [.kustomize],
        expected: [
            "adservice", "cartservice", "checkoutservice", "currencyservice", "emailservice", "frontend",
            "loadgenerator", "paymentservice", "productcatalogservice", "recommendationservice", "shippingservice",
        ].enumerated().map { i, name in
            let ref = "us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/" + name
            return "\(18 + 2 * i):9-\(9 + ref.count) kustomize \(ref) | \(ref)"
        },
        extra: ["allUnresolved"]),
    FixtureCase(
        file: "argoproj__argo-cd__reposerver__repository__testdata__app-parameters__single-global-helm__templates__deployment.yaml",
        kinds: [], expected: [], extra: ["helm=15:60"]),
]

enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Fixture file name → original path in its repository (from SOURCES.tsv).
    static let originalPaths: [String: String] = {
        guard let tsv = try? String(contentsOf: directory.appendingPathComponent("SOURCES.tsv"), encoding: .utf8) else {
            return [:]
        }
        var result: [String: String] = [:]
        for line in tsv.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 3, let name = fields[0].split(separator: "/").last else { continue }
            result[String(name)] = String(fields[2])
        }
        return result
    }()

    static func describe(_ o: Occurrence) -> String {
        let c = o.context
        let key: String
        switch o.source {
        case .kubernetes:
            key = [c.kind, c.name, c.container ?? "-", c.containerList].map { $0 ?? "nil" }.joined(separator: " ")
        case .compose: key = c.service ?? "nil"
        case .kustomize: key = c.kustomizeName ?? "nil"
        default: key = "?"
        }
        let end = o.span.endLine == o.span.line ? "\(o.span.endColumn)" : "\(o.span.endLine):\(o.span.endColumn)"
        return "\(o.span.line):\(o.span.column)-\(end) \(o.source.rawValue) \(o.written) | \(key)"
    }
}

@Suite struct FixtureTests {
    @Test func everyFixtureHasProvenanceAndACase() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.directory.path)
            .filter { $0 != "SOURCES.tsv" }
        #expect(files.count >= 20)
        #expect(Set(files) == Set(Fixtures.originalPaths.keys))
        #expect(Set(files) == Set(fixtureCases.map(\.file)))
        #expect(fixtureCases.filter { !$0.expected.isEmpty }.count >= 18)
    }

    @Test(arguments: fixtureCases)
    func fixture(_ c: FixtureCase) throws {
        let data = try Data(contentsOf: Fixtures.directory.appendingPathComponent(c.file))
        let original = try #require(Fixtures.originalPaths[c.file])
        let analysis = ManifestFrontEnd.analyze(path: original, text: SourceText([UInt8](data)))
        #expect(analysis.occurrences.map(Fixtures.describe) == c.expected)
        #expect(analysis.kinds == Set(c.kinds))
        for o in analysis.occurrences {
            #expect(o.file == original)
            #expect(o.anchorLine == o.span.line)
            if o.source == .kubernetes {
                #expect(o.context.imagePullSecrets == [])
                #expect(o.context.ignoreAnnotation == nil)
                #expect(o.context.apiVersion != nil)
            }
        }
        let errors = analysis.diagnostics.filter { $0.severity != .info }
        #expect(errors.isEmpty, "\(errors)")
        for e in c.extra {
            switch e {
            case "pull=IfNotPresent", "pull=Always":
                #expect(analysis.occurrences.first?.context.imagePullPolicy == String(e.dropFirst(5)))
            case "allUnresolved":
                #expect(analysis.occurrences.allSatisfy { $0.resolved == nil })
            case let s where s.hasPrefix("serviceAccounts="):
                #expect(analysis.serviceAccounts.map(\.name) == [String(s.dropFirst(16))])
            case let s where s.hasPrefix("resolved[0]="):
                #expect(analysis.occurrences.first?.resolved == String(s.dropFirst(12)))
                #expect(analysis.occurrences.first?.reference != nil)
            case let s where s.hasPrefix("helm="):
                let d = try #require(analysis.diagnostics.first)
                #expect(d.severity == .info)
                #expect("\(d.line):\(d.column)" == String(s.dropFirst(5)))
                #expect(d.message.hasPrefix("Helm template"))
            default:
                Issue.record("unknown extra \(e)")
            }
        }
    }
}
