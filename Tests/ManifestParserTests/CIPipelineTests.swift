import ImagelintCore
import Testing

@testable import ManifestParser

/// A file tree in memory for the extractors that read context (`Chart.yaml`, GitLab includes).
func analyzeTree(_ files: [String: String], _ path: String, disabled: Set<String> = []) -> FileAnalysis {
    let tree = files
    let options = ManifestOptions(readFile: { tree[$0].map { Array($0.utf8) } }, disabledInputs: disabled)
    return ManifestFrontEnd.analyze(path: path, text: SourceText(files[path]!), options: options)
}

/// `line:column written → resolved [job role name matrix]` of each occurrence.
func ci(_ a: FileAnalysis) -> [String] {
    a.occurrences.map { o in
        let c = o.origin.value as? CIImageOrigin
        let who = [c?.job, c?.role, c?.name, c?.matrix].compactMap { $0 }.joined(separator: " ")
        return "\(o.span.line):\(o.span.column) \(o.written) → \(o.resolved ?? "?") [\(who)]"
    }
}

// Shapes after real workflows (actions/starter-workflows' service containers, matrix builds), GitLab's
// own templates (default:, extends, hidden jobs), Bitbucket's and CircleCI's documentation examples.
@Suite struct GitHubActionsTests {
    static let workflow = """
        name: ci
        on: [push]
        jobs:
          test:
            runs-on: ubuntu-latest
            strategy:
              matrix:
                node: [18, "20"]
                os: [ubuntu-latest]
            container: node:${{ matrix.node }}-bookworm
            services:
              db:
                image: postgres:16.2
                env: {POSTGRES_PASSWORD: x}
              cache: redis
            steps:
              - uses: actions/checkout@v4
              - name: lint
                uses: docker://hadolint/hadolint:latest
              - uses: "docker://alpine:3.20"
          deploy:
            runs-on: ubuntu-latest
            container:
              image: ${{ inputs.deployer }}
              credentials: {username: x}
        """

    @Test func containersServicesStepsAndMatrix() {
        let a = analyzeTree([".github/workflows/ci.yml": Self.workflow], ".github/workflows/ci.yml")
        #expect(a.kinds == [.ci])
        #expect(ci(a) == [
            "10:16 node:${{ matrix.node }}-bookworm → node:18-bookworm [test container node=18]",
            "10:16 node:${{ matrix.node }}-bookworm → node:20-bookworm [test container node=20]",
            "13:16 postgres:16.2 → postgres:16.2 [test service db]",
            "15:14 redis → redis [test service cache]",
            "19:24 hadolint/hadolint:latest → hadolint/hadolint:latest [test step lint]",
            "20:25 alpine:3.20 → alpine:3.20 [test step]",
            "24:14 ${{ inputs.deployer }} → ? [deploy container]",
        ])
        #expect(a.occurrences.last?.status == .unresolved("expression `${{ inputs.deployer }}` is evaluated by GitHub Actions"))
    }

    @Test func actionMetadataPullsOnlyDockerImages() {
        let docker = "name: hello\nruns:\n  using: docker\n  image: docker://ghcr.io/acme/hello:1.2.0\n"
        let build = "name: hello\nruns:\n  using: docker\n  image: Dockerfile\n"
        #expect(ci(analyzeTree(["action.yml": docker], "action.yml")) == ["4:19 ghcr.io/acme/hello:1.2.0 → ghcr.io/acme/hello:1.2.0 [hello action]"])
        #expect(analyzeTree(["tools/action.yaml": build], "tools/action.yaml").occurrences.isEmpty)
    }

    @Test func workflowShapedYAMLElsewhereIsNotRead() {
        let a = analyzeTree(["ci/jobs.yml": Self.workflow], "ci/jobs.yml")
        #expect(a.occurrences.isEmpty && a.kinds.isEmpty)
    }

    @Test func theInputKindCanBeTurnedOff() {
        let a = analyzeTree([".github/workflows/ci.yml": Self.workflow], ".github/workflows/ci.yml", disabled: ["github-actions"])
        #expect(a.occurrences.isEmpty && a.kinds.isEmpty)
    }
}

@Suite struct GitLabCITests {
    static let files = [
        ".gitlab-ci.yml": """
            include:
              - local: ci/templates.yml
              - project: other/group
                file: /x.yml
            variables:
              NODE_VERSION: "20.11.1"
              REGISTRY: registry.example.com
            image: alpine:3.20
            default:
              services:
                - name: docker:24-dind
                  alias: docker
            build:
              extends: .node
              script: [npm ci]
            test:
              extends: [.node, .pinned]
              variables: {NODE_VERSION: "18"}
              script: [npm test]
            lint:
              image:
                name: $REGISTRY/tools/lint:latest
                pull_policy: if-not-present
              services: [postgres:16.2]
              script: [make lint]
            release:
              image: $CI_REGISTRY_IMAGE/release:1.0.0
              script: [./release]
            """,
        "ci/templates.yml": """
            .node:
              image: node:${NODE_VERSION}-alpine
            .pinned:
              services: [redis:7.2.4]
            .unused:
              image: busybox
            """,
    ]

    @Test func jobsDefaultsExtendsAndVariables() {
        let a = analyzeTree(Self.files, ".gitlab-ci.yml")
        #expect(a.kinds == [.ci])
        #expect(ci(a) == [
            "8:8 alpine:3.20 → alpine:3.20 [image]",
            "11:13 docker:24-dind → docker:24-dind [build service docker]",
            "22:11 $REGISTRY/tools/lint:latest → registry.example.com/tools/lint:latest [lint image]",
            "24:14 postgres:16.2 → postgres:16.2 [lint service]",
            "27:10 $CI_REGISTRY_IMAGE/release:1.0.0 → ? [release image]",
        ])
        #expect(a.occurrences[2].origin.facts(PullPolicyFact.self)?.imagePullPolicy == "IfNotPresent")
        #expect(a.occurrences[2].origin.facts(PullPolicyFact.self)?.pullPolicyText == "pull_policy: if-not-present")
        #expect(a.occurrences[4].status == .unresolved("GitLab sets `CI_REGISTRY_IMAGE` when the pipeline runs"))
    }

    @Test func anIncludedFileIsReadWithItsPipeline() {
        let a = analyzeTree(Self.files, "ci/templates.yml")
        #expect(a.kinds == [.ci])
        #expect(ci(a) == [
            "2:10 node:${NODE_VERSION}-alpine → node:20.11.1-alpine [build image]",
            "2:10 node:${NODE_VERSION}-alpine → node:18-alpine [test image]",
            "4:14 redis:7.2.4 → redis:7.2.4 [test service]",
            "6:10 busybox → busybox [.unused image]",
        ])
    }

    @Test func aFileNobodyIncludesIsNotGitLab() {
        var files = Self.files
        files["ci/other.yml"] = ".tpl:\n  image: busybox\n  script: [x]\n"
        #expect(analyzeTree(files, "ci/other.yml").occurrences.isEmpty)
    }
}

@Suite struct BitbucketAndCircleCITests {
    @Test func bitbucketImagesServicesAndSteps() {
        let yaml = """
            image: node:20
            definitions:
              services:
                postgres:
                  image: postgres:16.2
              steps:
                - step: &test
                    name: Test
                    image: {name: "python:3.12", username: x}
                    script: [pytest]
            pipelines:
              default:
                - step: *test
                - parallel:
                    - step:
                        name: Lint
                        image: golangci/golangci-lint:latest
                        script: [golangci-lint run]
            """
        let a = analyzeTree(["bitbucket-pipelines.yml": yaml], "bitbucket-pipelines.yml")
        #expect(ci(a) == [
            "1:8 node:20 → node:20 [image]",
            "5:14 postgres:16.2 → postgres:16.2 [service postgres]",
            "9:24 python:3.12 → python:3.12 [Test step Test]",
            "17:20 golangci/golangci-lint:latest → golangci/golangci-lint:latest [Lint step Lint]",
        ])
    }

    @Test func circleCIDockerExecutorsButNotMachineImages() {
        let yaml = """
            version: 2.1
            executors:
              py:
                docker:
                  - image: cimg/python:3.12
            jobs:
              build:
                docker:
                  - image: cimg/node:20.11
                  - image: cimg/postgres:16.2
                steps: [checkout]
              vm:
                machine:
                  image: ubuntu-2204:current
                steps: [checkout]
            """
        let a = analyzeTree([".circleci/config.yml": yaml], ".circleci/config.yml")
        #expect(ci(a) == [
            "5:16 cimg/python:3.12 → cimg/python:3.12 [py executor]",
            "9:16 cimg/node:20.11 → cimg/node:20.11 [build container]",
            "10:16 cimg/postgres:16.2 → cimg/postgres:16.2 [build service]",
        ])
    }
}

@Suite struct HelmValuesTests {
    static let chart = "apiVersion: v2\nname: web\nversion: 1.2.0\nappVersion: \"1.25.3\"\n"

    @Test func imageBlocksAssembledWithTheirParts() throws {
        let values = """
            image:
              registry: docker.io
              repository: bitnami/nginx
              tag: 1.25.3-debian-12-r4
              digest: ""
              pullPolicy: IfNotPresent
              pullSecrets: [regcred]
            metrics:
              image:
                repository: prom/nginx-exporter
                tag: latest
            sidecarImage:
              repository: busybox
            initImage: alpine:3.20
            config:
              image: not-an-image-block
            """
        let a = analyzeTree(["chart/Chart.yaml": Self.chart, "chart/values.yaml": values], "chart/values.yaml")
        #expect(a.kinds == [.helm])
        #expect(a.occurrences.map { "\($0.span.line):\($0.span.column) \($0.written)" } == [
            "3:15 docker.io/bitnami/nginx:1.25.3-debian-12-r4",
            "10:17 prom/nginx-exporter:latest",
            "13:15 busybox:1.25.3",
            "14:12 alpine:3.20",
            "16:10 not-an-image-block",
        ])
        let first = a.occurrences[0]
        #expect(first.parts[.registry] == Span(line: 2, column: 13, length: 9))
        #expect(first.parts[.tag] == Span(line: 4, column: 8, length: 19))
        #expect(first.origin.facts(PullPolicyFact.self)?.imagePullPolicy == "IfNotPresent")
        #expect(first.origin.facts(PullSecretFacts.self)?.imagePullSecrets == ["regcred"])
        #expect(a.occurrences[1].span(of: .tag) == Span(line: 11, column: 10, length: 6))
        #expect(a.occurrences[2].note == "the empty `tag` means the chart's appVersion `1.25.3`")
    }

    @Test func valuesOutsideAChartAreNotRead() {
        let a = analyzeTree(["values.yaml": "image:\n  repository: nginx\n  tag: latest\n"], "values.yaml")
        #expect(a.occurrences.isEmpty && a.kinds.isEmpty)
    }

    @Test func otherValuesFilesOfTheChart() {
        let a = analyzeTree(
            ["c/Chart.yaml": Self.chart, "c/values-prod.yaml": "image:\n  repository: nginx\n  tag: \"1.27\"\n"],
            "c/values-prod.yaml")
        #expect(a.occurrences.map(\.written) == ["nginx:1.27"])
    }
}

/// YAML that looks like a pipeline but is not one yields nothing.
@Suite struct NotAPipelineTests {
    @Test(arguments: [
        ("playbook.yml", "- hosts: all\n  tasks:\n    - name: run\n      docker_container: {image: nginx:latest}\n"),
        ("openapi.yaml", "openapi: 3.0.0\ninfo: {title: x}\npaths:\n  /images:\n    get: {summary: image}\n"),
        ("catalog-info.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Component\nspec: {type: service}\n"),
        (".github/dependabot.yml", "version: 2\nupdates:\n  - package-ecosystem: docker\n    directory: /\n"),
        ("renovate.json5.yaml", "extends: [config:base]\n"),
        ("ci/build.yml", "build:\n  image: node:20\n  script: [npm ci]\n"),
        ("values.yaml", "image:\n  repository: nginx\n"),
    ])
    func nothing(_ path: String, _ yaml: String) {
        let a = analyzeTree([path: yaml], path)
        #expect(a.occurrences.isEmpty, "\(path): \(a.occurrences.map(\.written))")
    }
}

@Suite struct GitLabReviewTests {
    @Test func predefinedVariablesAndMissingIncludes() {
        let files = [
            ".gitlab-ci.yml": "include:\n  - local: ci/gone.yml\nbuild:\n  image: $CI_REGISTRY_IMAGE/builder:1.0.0\n  script: [make]\n"
        ]
        let a = analyzeTree(files, ".gitlab-ci.yml")
        #expect(a.occurrences.first?.status == .unresolved("GitLab sets `CI_REGISTRY_IMAGE` when the pipeline runs"))
        #expect(a.diagnostics.map { "\($0.line):\($0.column) \($0.severity) \($0.message)" } == [
            "2:12 info local include `ci/gone.yml` is not in the tree; its jobs were not read"
        ])
    }
}
