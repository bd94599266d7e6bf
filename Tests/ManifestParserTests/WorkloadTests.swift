// One piece, though over 400 lines: one table of real-world-shaped workloads (Ray, JobSet, Kubeflow, KServe,
// Argo, Tekton, the generic fallback), each with the exact positions and paths it must give; split, the
// table would lose its single run over every kind.

import ImagelintCore
import Testing

@testable import ManifestParser

/// `line:column source written @path` of each occurrence: the position of the image value, where it came
/// from, and the pod spec / template / task / value path the context names.
func located(_ a: FileAnalysis) -> [String] {
    a.occurrences.map { "\($0.span.line):\($0.span.column) \($0.source.rawValue) \($0.written) @\($0.context.path ?? "-")" }
}

struct WorkloadCase: CustomTestStringConvertible, Sendable {
    let name: String
    let yaml: String
    let expected: [String]
    var testDescription: String { name }
}

// Shapes after real files: KubeRay's ray-cluster samples, JobSet's and LeaderWorkerSet's examples, the
// Kubeflow training operator's MPIJob/PyTorchJob examples, KServe's ClusterServingRuntime, Argo Rollouts'
// AnalysisTemplate, Argo Workflows' examples, Tekton's catalog tasks, the Spark operator's examples and
// Katib's katib-config.
let workloadCases: [WorkloadCase] = [
    WorkloadCase(name: "RayCluster head and worker groups", yaml: """
        apiVersion: ray.io/v1
        kind: RayCluster
        metadata:
          name: raycluster-kuberay
        spec:
          headGroupSpec:
            rayStartParams: {}
            template:
              spec:
                containers:
                - name: ray-head
                  image: rayproject/ray:2.44.1-py311-cpu
          workerGroupSpecs:
          - groupName: workergroup
            template:
              spec:
                containers:
                - name: ray-worker
                  image: $VLLM_IMAGE
        """, expected: [
            "12:18 kubernetes rayproject/ray:2.44.1-py311-cpu @spec.headGroupSpec.template.spec",
            "19:18 kubernetes $VLLM_IMAGE @spec.workerGroupSpecs[0].template.spec",
        ]),
    WorkloadCase(name: "RayService nests the cluster config", yaml: """
        apiVersion: ray.io/v1
        kind: RayService
        spec:
          rayClusterConfig:
            headGroupSpec:
              template:
                spec:
                  containers: [{name: head, image: "rayproject/ray:2.9.0"}]
        """, expected: ["8:45 kubernetes rayproject/ray:2.9.0 @spec.rayClusterConfig.headGroupSpec.template.spec"]),
    WorkloadCase(name: "JobSet replicated jobs", yaml: """
        apiVersion: jobset.x-k8s.io/v1alpha2
        kind: JobSet
        spec:
          replicatedJobs:
          - name: workers
            template:
              spec:
                template:
                  spec:
                    containers:
                    - name: pytorch
                      image: pytorch/pytorch:2.3.0
        """, expected: ["12:22 kubernetes pytorch/pytorch:2.3.0 @spec.replicatedJobs[0].template.spec.template.spec"]),
    WorkloadCase(name: "MPIJob launcher and worker replica specs", yaml: """
        apiVersion: kubeflow.org/v2beta1
        kind: MPIJob
        spec:
          mpiReplicaSpecs:
            Launcher:
              replicas: 1
              template:
                spec:
                  containers:
                  - image: mpioperator/tensorflow-benchmarks:latest
                    name: launcher
            Worker:
              template:
                spec:
                  containers:
                  - image: mpioperator/tensorflow-benchmarks:latest
        """, expected: [
            "10:20 kubernetes mpioperator/tensorflow-benchmarks:latest @spec.mpiReplicaSpecs.Launcher.template.spec",
            "16:20 kubernetes mpioperator/tensorflow-benchmarks:latest @spec.mpiReplicaSpecs.Worker.template.spec",
        ]),
    WorkloadCase(name: "KServe serving runtime containers directly under spec", yaml: """
        apiVersion: serving.kserve.io/v1alpha1
        kind: ClusterServingRuntime
        metadata:
          name: kserve-huggingfaceserver
        spec:
          supportedModelFormats: [{name: huggingface, version: "1"}]
          containers:
            - name: kserve-container
              image: kserve/huggingfaceserver:v0.16.0
        """, expected: ["9:14 kubernetes kserve/huggingfaceserver:v0.16.0 @spec"]),
    WorkloadCase(name: "Argo Rollouts AnalysisTemplate job", yaml: """
        apiVersion: argoproj.io/v1alpha1
        kind: AnalysisTemplate
        spec:
          metrics:
          - name: smoke
            provider:
              job:
                spec:
                  template:
                    spec:
                      containers:
                      - name: test
                        image: curlimages/curl:8.8.0
        """, expected: ["13:24 kubernetes curlimages/curl:8.8.0 @spec.metrics[0].provider.job.spec.template.spec"]),
    WorkloadCase(name: "Deployment found exactly once", yaml: """
        apiVersion: apps/v1
        kind: Deployment
        spec:
          template:
            spec:
              containers:
              - image: nginx:1.27.3
        """, expected: ["7:16 kubernetes nginx:1.27.3 @spec.template.spec"]),
    WorkloadCase(name: "Argo Workflow templates", yaml: """
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata:
          generateName: ci-
        spec:
          entrypoint: main
          templates:
          - name: main
            steps:
            - - name: build
                template: build
                arguments: {parameters: [{name: os-image, value: "{{item.image}}"}]}
                withItems:
                - {image: debian, tag: "12"}
            initContainers:
            - name: init
              image: alpine:3.23
          - name: build
            container:
              image: golang:1.8
            sidecars:
            - name: db
              image: postgres:16.2
          - name: py
            script:
              image: python:alpine3.23
              source: print(1)
          - name: set
            containerSet:
              containers:
              - name: a
                image: argoproj/argosay:v2
          - name: param
            container:
              image: "{{inputs.parameters.os-image}}"
        """, expected: [
            "14:19 custom-resource debian @spec.templates[0].steps[0][0].withItems[0].image",
            "17:14 argo-workflow alpine:3.23 @spec.templates[0]",
            "20:14 argo-workflow golang:1.8 @spec.templates[1]",
            "23:14 argo-workflow postgres:16.2 @spec.templates[1]",
            "26:14 argo-workflow python:alpine3.23 @spec.templates[2]",
            "32:16 argo-workflow argoproj/argosay:v2 @spec.templates[3]",
            "35:15 argo-workflow {{inputs.parameters.os-image}} @spec.templates[4]",
        ]),
    WorkloadCase(name: "Argo CronWorkflow", yaml: """
        apiVersion: argoproj.io/v1alpha1
        kind: CronWorkflow
        spec:
          schedule: "* * * * *"
          workflowSpec:
            templates:
            - name: hello
              container:
                image: busybox
        """, expected: ["9:16 argo-workflow busybox @spec.workflowSpec.templates[0]"]),
    WorkloadCase(name: "Tekton Task steps, sidecars and step template", yaml: """
        apiVersion: tekton.dev/v1
        kind: Task
        metadata:
          name: build
        spec:
          params: [{name: image}]
          stepTemplate:
            image: alpine:3.20
          steps:
          - name: build
            image: gcr.io/kaniko-project/executor:v1.23.0
          - name: push
            image: $(params.image)
          sidecars:
          - name: docker
            image: docker:dind
        """, expected: [
            "8:12 tekton alpine:3.20 @spec",
            "11:12 tekton gcr.io/kaniko-project/executor:v1.23.0 @spec",
            "13:12 tekton $(params.image) @spec",
            "16:12 tekton docker:dind @spec",
        ]),
    WorkloadCase(name: "Tekton Pipeline embedded task spec and StepAction", yaml: """
        apiVersion: tekton.dev/v1
        kind: Pipeline
        spec:
          tasks:
          - name: lint
            taskSpec:
              steps:
              - name: lint
                image: golangci/golangci-lint:v1.59
          finally:
          - name: notify
            taskSpec:
              steps:
              - image: curlimages/curl
        ---
        apiVersion: tekton.dev/v1alpha1
        kind: StepAction
        spec:
          image: alpine:3.20
          script: echo hi
        """, expected: [
            "9:16 tekton golangci/golangci-lint:v1.59 @spec.tasks[0].taskSpec",
            "14:16 tekton curlimages/curl @spec.finally[0].taskSpec",
            "19:10 tekton alpine:3.20 @spec",
        ]),
    WorkloadCase(name: "generic fallback: SparkApplication, KatibConfig, operator images", yaml: """
        apiVersion: sparkoperator.k8s.io/v1beta2
        kind: SparkApplication
        spec:
          image: spark:3.5.3
          driver: {cores: 1}
        ---
        apiVersion: config.kubeflow.org/v1beta1
        kind: KatibConfig
        runtime:
          suggestions:
          - algorithmName: random
            image: ghcr.io/kubeflow/katib/suggestion-hyperopt:v0.19.0
        ---
        apiVersion: monitoring.coreos.com/v1
        kind: Prometheus
        metadata:
          annotations: {image: not-this}
        spec:
          image: quay.io/prometheus/prometheus:v2.53.0
          containers:
          - name: config-reloader
            resources: {}
        status:
          image: not-this-either
        """, expected: [
            "4:10 custom-resource spark:3.5.3 @spec.image",
            "12:12 custom-resource ghcr.io/kubeflow/katib/suggestion-hyperopt:v0.19.0 @runtime.suggestions[0].image",
            "19:10 custom-resource quay.io/prometheus/prometheus:v2.53.0 @spec.image",
        ]),
    WorkloadCase(name: "generic fallback exclusions: skaffold build artifacts, rbd", yaml: """
        apiVersion: skaffold/v4beta11
        kind: Config
        build:
          artifacts:
          - image: emailservice
            context: src/emailservice
        test:
        - image: emailservice
          structureTests: [./test/*]
        verify:
        - name: smoke
          container:
            name: smoke
            image: alpine:3.20
        ---
        apiVersion: example.com/v1
        kind: Volumes
        spec:
          rbd: {image: ceph-block}
        """, expected: ["14:12 custom-resource alpine:3.20 @verify[0].container.image"]),
]

@Suite struct WorkloadTests {
    @Test(arguments: workloadCases)
    func workloads(_ c: WorkloadCase) {
        let a = analyze(c.yaml)
        #expect(located(a) == c.expected)
        #expect(a.diagnostics.isEmpty, "\(a.diagnostics)")
    }

    @Test func podFactsComeFromTheNearestPodSpecAndTemplate() {
        let a = analyze("""
            apiVersion: ray.io/v1
            kind: RayCluster
            metadata:
              name: rc
              namespace: ml
              annotations: {imagelint.io/ignore: missing-digest}
            spec:
              headGroupSpec:
                template:
                  metadata:
                    annotations: {imagelint.io/ignore: latest-tag}
                  spec:
                    serviceAccountName: head-sa
                    imagePullSecrets: [{name: head-secret}]
                    containers: [{name: head, image: r:1, imagePullPolicy: Always}]
              workerGroupSpecs:
              - template:
                  spec:
                    containers: [{name: worker, image: r:1}]
            """)
        #expect(a.occurrences.count == 2)
        let head = a.occurrences[0].context
        let worker = a.occurrences[1].context
        #expect(head.serviceAccountName == "head-sa" && head.imagePullSecrets == ["head-secret"])
        #expect(head.imagePullPolicy == "Always" && head.namespace == "ml" && head.name == "rc")
        #expect(head.ignoreAnnotation == "missing-digest,latest-tag")
        #expect(worker.serviceAccountName == nil && worker.imagePullSecrets == [] && worker.imagePullPolicy == nil)
        #expect(worker.ignoreAnnotation == "missing-digest")
        #expect(a.occurrences[0].origin.facts(PullSecretFacts.self) != nil)
    }

    @Test func argoStepsHaveTheWorkflowsPullSecretsAndAccount() {
        let a = analyze("""
            apiVersion: argoproj.io/v1alpha1
            kind: WorkflowTemplate
            metadata: {name: wt, namespace: ci}
            spec:
              serviceAccountName: runner
              imagePullSecrets: [{name: regcred}]
              templates:
              - name: own
                serviceAccountName: special
                container: {image: "a:1", imagePullPolicy: IfNotPresent}
              - name: other
                script: {image: "b:1"}
            """)
        let c = a.occurrences.map(\.context)
        #expect(c.map(\.serviceAccountName) == ["special", "runner"])
        #expect(c.map(\.imagePullSecrets) == [["regcred"], ["regcred"]])
        #expect(c.map(\.containerList) == ["container", "script"])
        #expect(c[0].imagePullPolicy == "IfNotPresent")
        #expect(a.occurrences.allSatisfy { $0.origin.facts(PullSecretFacts.self) != nil })
    }

    @Test func tektonAndGenericOriginsHaveNoPodFacts() {
        let a = analyze("""
            apiVersion: tekton.dev/v1
            kind: Task
            spec:
              steps: [{image: "a:1", imagePullPolicy: Never}]
            ---
            apiVersion: example.com/v1
            kind: Thing
            spec: {image: "b:1"}
            """)
        #expect(a.occurrences.count == 2)
        #expect(a.occurrences.allSatisfy { $0.origin.facts(PullSecretFacts.self) == nil })
        #expect(a.occurrences[0].origin.facts(PullPolicyFact.self)?.imagePullPolicy == "Never")
        #expect(a.occurrences[1].origin.facts(PullPolicyFact.self) == nil)
    }

    @Test func anAliasedContainerIsReportedWhereverItIsUsedAndNeverTwiceByTheFallback() {
        let a = analyze("""
            apiVersion: example.com/v1
            kind: Pair
            spec:
              first:
                containers:
                - &c {name: app, image: "app:1"}
              second:
                containers:
                - *c
              image: "own:2"
            """)
        #expect(located(a) == [
            "6:30 kubernetes app:1 @spec.first",
            "6:30 kubernetes app:1 @spec.second",
            "10:11 custom-resource own:2 @spec.image",
        ])
    }

    @Test func taggedScalarsKeepTheirTextAndBinaryIsDecoded() {
        let a = analyze("""
            apiVersion: v1
            kind: Pod
            spec:
              containers:
              - image: !x nginx:latest
              - image: !!str redis:7
              - image: !!binary bmdpbng6MS4yNy4z
              - image: !!int 5
            """)
        #expect(a.occurrences.map(\.written) == ["nginx:latest", "redis:7", "nginx:1.27.3"])
        #expect(positions(a).first == "5:15-27 nginx:latest")
    }
}

@Suite struct GenericFallbackReviewTests {
    /// Argo loop items carry the tag beside the image (argo-workflows examples/loops-maps.yaml).
    @Test func aSiblingTagCompletesTheImage() {
        let a = analyze("""
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            spec:
              templates:
              - name: main
                steps:
                - - name: test
                    template: run
                    withItems:
                    - { image: 'debian', tag: '9.1' }
                    - { image: 'alpine:3.20', tag: 'ignored' }
            """)
        #expect(a.occurrences.map { "\($0.written) → \($0.resolved ?? "?")" } == ["debian → debian:9.1", "alpine:3.20 → alpine:3.20"])
        #expect(a.occurrences.first?.note == "with the tag `9.1` of its sibling `tag` key")
    }
}
