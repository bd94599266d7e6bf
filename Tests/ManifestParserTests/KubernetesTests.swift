// One piece, though over 400 lines: the Kubernetes front end's cases (kinds, pod spec places, positions,
// anchors and aliases, bad documents) as one table of manifests and the occurrences each must give; the
// helpers at the top serve the target's other files too.

import ImagelintCore
import ManifestParser
import Testing

func analyze(_ text: String, path: String = "deploy.yaml") -> FileAnalysis {
    ManifestFrontEnd.analyze(path: path, text: SourceText(text))
}

/// `line:column-endColumn written` of each occurrence.
func positions(_ a: FileAnalysis) -> [String] {
    a.occurrences.map {
        let end = $0.span.endLine == $0.span.line ? "\($0.span.endColumn)" : "\($0.span.endLine):\($0.span.endColumn)"
        return "\($0.span.line):\($0.span.column)-\(end) \($0.written)"
    }
}

struct KindCase: CustomTestStringConvertible, Sendable {
    let name: String
    let yaml: String
    let expected: [String]
    var testDescription: String { name }
}

let kindCases: [KindCase] = [
    KindCase(name: "Pod", yaml: """
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
          - name: app
            image: nginx:1.25
        """, expected: ["7:12-22 nginx:1.25"]),
    KindCase(name: "Deployment", yaml: """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: d
        spec:
          template:
            spec:
              containers:
                - name: app
                  image: registry.example.com:5000/team/app:1.4.2
        """, expected: ["10:18-58 registry.example.com:5000/team/app:1.4.2"]),
    KindCase(name: "ReplicaSet", yaml: """
        apiVersion: apps/v1
        kind: ReplicaSet
        spec:
          template:
            spec:
              containers: [{name: a, image: "redis:7"}]
        """, expected: ["6:38-45 redis:7"]),
    KindCase(name: "StatefulSet", yaml: """
        apiVersion: apps/v1
        kind: StatefulSet
        spec:
          template:
            spec:
              initContainers:
              - image: 'busybox:1.36'
              containers:
              - image: postgres:16
        """, expected: ["7:17-29 busybox:1.36", "9:16-27 postgres:16"]),
    KindCase(name: "DaemonSet", yaml: """
        apiVersion: apps/v1
        kind: DaemonSet
        spec:
          template:
            spec:
              containers:
              - {name: agent, image: fluent/fluent-bit:3.0}
        """, expected: ["7:30-51 fluent/fluent-bit:3.0"]),
    KindCase(name: "Job", yaml: """
        apiVersion: batch/v1
        kind: Job
        spec:
          template:
            spec:
              containers:
              - image: >-
                  perl:5.34
        """, expected: ["8:11-20 perl:5.34"]),
    KindCase(name: "ReplicationController", yaml: """
        apiVersion: v1
        kind: ReplicationController
        spec:
          template:
            spec:
              containers:
              - image: |-
                  nginx
        """, expected: ["8:11-16 nginx"]),
    KindCase(name: "CronJob", yaml: """
        apiVersion: batch/v1
        kind: CronJob
        spec:
          schedule: "* * * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  containers:
                  - image: alpine:3.19
        """, expected: ["10:20-31 alpine:3.19"]),
    KindCase(name: "PodTemplate", yaml: """
        apiVersion: v1
        kind: PodTemplate
        template:
          spec:
            containers:
            - image: nginx:1
        """, expected: ["6:14-21 nginx:1"]),
    KindCase(name: "Argo Rollout", yaml: """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        spec:
          template:
            spec:
              containers:
              - image: argoproj/rollouts-demo:blue
        """, expected: ["7:16-43 argoproj/rollouts-demo:blue"]),
    KindCase(name: "Knative Service", yaml: """
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata: {name: hello}
        spec:
          template:
            spec:
              containers:
                - image: gcr.io/knative-samples/helloworld-go
        """, expected: ["8:18-54 gcr.io/knative-samples/helloworld-go"]),
    KindCase(name: "OpenShift DeploymentConfig", yaml: """
        apiVersion: apps.openshift.io/v1
        kind: DeploymentConfig
        spec:
          template:
            spec:
              containers:
              - image: openshift/hello:v1
        """, expected: ["7:16-34 openshift/hello:v1"]),
    KindCase(name: "custom kind with jobTemplate", yaml: """
        apiVersion: example.com/v1
        kind: Scheduled
        spec:
          jobTemplate:
            spec:
              template:
                spec:
                  containers:
                  - image: job:1
        """, expected: ["9:20-25 job:1"]),
    KindCase(name: "ephemeralContainers", yaml: """
        apiVersion: v1
        kind: Pod
        spec:
          containers:
          - image: app:1
          ephemeralContainers:
          - image: debug:1
        """, expected: ["5:12-17 app:1", "7:12-19 debug:1"]),
    KindCase(name: "List of Lists and *List kinds", yaml: """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: Pod
          spec: {containers: [{image: a:1}]}
        - apiVersion: apps/v1
          kind: DeploymentList
          items:
          - apiVersion: apps/v1
            kind: Deployment
            spec:
              template:
                spec:
                  containers:
                  - image: b:2
        - null
        """, expected: ["6:31-34 a:1", "16:20-23 b:2"]),
    KindCase(name: "multi-document with empty and null documents", yaml: """
        ---
        ---
        null
        ---
        apiVersion: v1
        kind: Pod
        spec: {containers: [{image: one:1}]}
        ...
        ---
        apiVersion: v1
        kind: Pod
        spec: {containers: [{image: two:2}]}
        """, expected: ["7:29-34 one:1", "12:29-34 two:2"]),
    KindCase(name: "alias reported at the alias", yaml: """
        apiVersion: v1
        kind: Pod
        metadata:
          annotations: {base: &img "nginx:1.25"}
        spec:
          containers:
          - image: *img
          - image: &other redis:7
          - image: !!str busybox:1
        """, expected: ["7:12-16 nginx:1.25", "8:19-26 redis:7", "9:18-27 busybox:1"]),
    KindCase(name: "multi-line double-quoted scalar", yaml: """
        apiVersion: v1
        kind: Pod
        spec:
          containers:
          - image: "nginx:\\
              1.25"
        """, expected: ["5:13-6:11 nginx:1.25"]),
    KindCase(name: "core v1 Service yields nothing", yaml: """
        apiVersion: v1
        kind: Service
        spec:
          selector: {app: x}
          template:
            spec:
              image: nope
        """, expected: []),
    KindCase(name: "ConfigMap data yields nothing", yaml: """
        apiVersion: v1
        kind: ConfigMap
        data:
          image: nginx:latest
          config.yaml: |
            containers:
            - image: nginx:latest
        """, expected: []),
    KindCase(name: "ConfigMap holding image keys yields nothing", yaml: """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          image: nginx:latest
          values.yaml: |
            image: nginx:latest
        """, expected: []),
    KindCase(name: "built-in kind with an image key outside a container", yaml: """
        apiVersion: apps/v1
        kind: Deployment
        spec:
          image: nginx:latest
          template:
            spec:
              image: nginx:latest
              containers: [not-a-mapping]
              volumes:
              - name: ceph
                rbd: {image: foo, monitors: [a]}
        """, expected: []),
    KindCase(name: "non-string images yield nothing", yaml: """
        apiVersion: v1
        kind: Pod
        spec:
          containers:
          - image: {repository: nginx, tag: latest}
          - image: ~
          - image:
          - image: [a]
          - image: !!int 5
          - image: ""
          - name: no-image
        """, expected: []),
]

@Suite struct KubernetesTests {
    @Test(arguments: kindCases)
    func kinds(_ c: KindCase) {
        let a = analyze(c.yaml)
        #expect(positions(a) == c.expected)
        #expect(a.diagnostics.isEmpty, "\(a.diagnostics)")
        #expect(a.kinds == [.kubernetes])
        #expect(a.occurrences.allSatisfy { $0.source.fileKind == .kubernetes })
    }

    @Test func context() throws {
        let a = analyze("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: prod
              annotations: {team: a, owner: object, imagelint.io/ignore: latest-tag}
            spec:
              template:
                metadata:
                  annotations: {owner: template, imagelint.io/ignore: missing-digest}
                spec:
                  serviceAccount: legacy-sa
                  imagePullSecrets: [{name: regcred}, {name: other}]
                  initContainers:
                  - name: init
                    image: busybox:1
                  containers:
                  - name: app
                    image: app:1
                    imagePullPolicy: IfNotPresent
            """)
        #expect(a.occurrences.count == 2)
        let initC = a.occurrences[0].context
        let app = a.occurrences[1].context
        #expect(initC.container == "init" && initC.containerList == "initContainers")
        #expect(app.container == "app" && app.containerList == "containers")
        #expect(initC.imagePullPolicy == nil && app.imagePullPolicy == "IfNotPresent")
        #expect(app.kind == "Deployment" && app.apiVersion == "apps/v1")
        #expect(app.name == "web" && app.namespace == "prod")
        #expect(app.imagePullSecrets == ["regcred", "other"])
        #expect(app.serviceAccountName == "legacy-sa")
        #expect(app.ignoreAnnotation == "latest-tag,missing-digest")
        #expect(app.path == "spec.template.spec")
        #expect(a.occurrences[1].written == "app:1" && a.occurrences[1].resolved == "app:1")
        #expect(a.occurrences[1].reference?.tag == "1")
    }

    @Test func serviceAccountNamePreferredOverLegacyField() {
        let a = analyze("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              serviceAccountName: new
              serviceAccount: old
              containers: [{image: a:1}]
            """)
        #expect(a.occurrences.first?.context.serviceAccountName == "new")
        #expect(a.occurrences.first?.context.namespace == nil)
    }

    @Test func serviceAccountsAreCollected() {
        let a = analyze("""
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: builder, namespace: ci}
            imagePullSecrets:
            - name: regcred
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: default}
            """)
        var builder = ServiceAccountInfo(name: "builder", namespace: "ci", imagePullSecrets: ["regcred"], file: "deploy.yaml", line: 1)
        // Where `regcred` is written, for findings about it (ineffective-pull-secret).
        builder.imagePullSecretSpans = [Span(line: 5, column: 9, endLine: 5, endColumn: 16)]
        #expect(a.serviceAccounts == [
            builder,
            ServiceAccountInfo(name: "default", namespace: nil, imagePullSecrets: [], file: "deploy.yaml", line: 7),
        ])
        #expect(a.kinds == [.kubernetes])
    }

    @Test func templatedImagesAreUnresolved() throws {
        let a = analyze("""
            apiVersion: v1
            kind: Pod
            spec:
              containers:
              - image: $(IMAGE)
              - image: "{{ .Values.image }}"
              - image: ko://github.com/x/y
            """)
        #expect(a.occurrences.count == 3)
        for o in a.occurrences {
            guard case .unresolved = o.status else {
                Issue.record("\(o.written) is \(o.status)")
                continue
            }
        }
        #expect(a.occurrences[1].span.column == 13)
    }
}

/// Positions with CRLF line ends, a BOM and multi-byte text before the reference.
@Suite struct PositionTests {
    static let body = [
        "# déploiement — 日本語", "apiVersion: v1", "kind: Pod", "metadata: {name: \"café\"}", "spec:",
        "  containers:", "  - {name: \"日本\", image: nginx:1.25}", "  - name: b", "    image: \"é/x:1\"",
        "  - name: c", "    image: >-", "      ünïcode/app:2",
    ]

    @Test(arguments: [
        ("\n", false), ("\r\n", false), ("\n", true), ("\r\n", true),
    ])
    func crlfBomAndMultiByte(lineEnd: String, bom: Bool) {
        let text = (bom ? "\u{FEFF}" : "") + Self.body.joined(separator: lineEnd) + lineEnd
        let a = analyze(text)
        #expect(a.diagnostics.isEmpty)
        #expect(positions(a) == ["7:25-35 nginx:1.25", "9:13-18 é/x:1", "12:7-20 ünïcode/app:2"])
        #expect(a.occurrences.map(\.anchorLine) == [7, 9, 11])
        // The span's text is the reference itself.
        let source = SourceText(text)
        for o in a.occurrences where o.span.line == o.span.endLine {
            let line = Array(source.text(ofLine: o.span.line).unicodeScalars)
            let slice = String(String.UnicodeScalarView(line[(o.span.column - 1)..<(o.span.endColumn - 1)]))
            #expect(slice == o.written)
        }
    }

    @Test func endColumnOfMultiByteReference() {
        let a = analyze("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: 'ÿ日:1' # comment\n")
        #expect(positions(a) == ["5:13-17 ÿ日:1"])
    }
}
