import ImageReference
import ImagelintCore
import ImagelintKit
import Testing

private func lint(_ text: String, _ filename: String, config: String? = nil, noIgnore: Bool = false) throws -> LintReport {
    var options = LintOptions()
    if let config { options.configuration = try ConfigLoader.parse(Array(config.utf8), file: ".imagelint.yml") }
    options.noIgnore = noIgnore
    return Pipeline.lint(contents: Array(text.utf8), filename: filename, options: options)
}

private func rules(_ r: LintReport) -> [String] { r.findings.filter { !$0.isSuppressed }.map { "\($0.rule)@\($0.span.line):\($0.span.column)" } }

@Suite struct EngineTests {
    @Test func atMostOneTagRulePerReference() throws {
        for image in ["nginx", "nginx:latest", "nginx:1.25", "nginx:LATEST"] {
            let r = try lint("FROM \(image)\n", "Dockerfile")
            let tagRules = r.findings.filter { ["latest-tag", "missing-tag", "floating-tag"].contains($0.rule) }
            #expect(tagRules.count == 1, "\(image): \(rules(r))")
        }
    }

    @Test func invalidAndUnresolvedGetOnlyTheirOwnRule() throws {
        let r = try lint("FROM MyOrg/App:latest\nARG X\nFROM ${X}\n", "Dockerfile")
        #expect(rules(r) == ["invalid-reference@1:6", "unresolved-reference@3:6"])
    }

    @Test func dockerfileIgnoreCommentAboveInstructionAndContinuation() throws {
        let text = """
            # imagelint ignore=latest-tag,unpinned-base -- dev image
            FROM nginx:latest
            # imagelint ignore=floating-tag
            # another comment
            COPY --from=python:3.12 \\
                 /a /b
            FROM alpine:latest

            """
        let r = try lint(text, "Dockerfile")
        #expect(rules(r) == ["unpinned-base@5:13", "latest-tag@7:6", "unpinned-base@7:6"])
    }

    @Test func blankLineBreaksTheCommentRun() throws {
        let r = try lint("# imagelint ignore=latest-tag\n\nFROM nginx:latest\n", "Dockerfile")
        #expect(rules(r).contains("latest-tag@3:6"))
    }

    @Test func ignoreFileAndAll() throws {
        let r = try lint("FROM nginx:latest\n# imagelint ignore-file=all\nFROM python\n", "Dockerfile")
        #expect(rules(r).isEmpty)
        let r2 = try lint("FROM nginx:latest\n# imagelint ignore-file=unpinned-base\n", "Dockerfile")
        #expect(rules(r2) == ["latest-tag@1:6"])
    }

    @Test func yamlTrailingAndAboveComments() throws {
        let text = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
            spec:
              containers:
                - name: a
                  image: nginx:latest # imagelint ignore=latest-tag,missing-digest
                - name: b
                  # imagelint ignore=all
                  image: redis
                - name: c
                  image: python:3.12

            """
        let r = try lint(text, "pod.yaml")
        #expect(rules(r) == ["floating-tag@13:14", "missing-digest@13:14"])
    }

    @Test func annotationsSuppressOnObjectAndTemplate() throws {
        let text = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: d
              annotations:
                imagelint.io/ignore: "missing-digest"
            spec:
              template:
                metadata:
                  annotations:
                    imagelint.io/ignore: latest-tag, pull-policy
                spec:
                  containers:
                    - name: a
                      image: nginx:latest
                      imagePullPolicy: IfNotPresent

            """
        #expect(try rules(lint(text, "d.yaml")).isEmpty)
        #expect(try rules(lint(text, "d.yaml", noIgnore: true)) == ["latest-tag@15:18", "missing-digest@15:18", "pull-policy@15:18"])
    }

    @Test func unknownRuleInSuppressionIsReportedWithSuggestion() throws {
        let r = try lint("# imagelint ignore=latest-tga\nFROM nginx:latest\n", "Dockerfile")
        let bad = r.findings.first { $0.rule == "invalid-suppression" }
        #expect(bad?.message.contains("did you mean `latest-tag`") == true)
        #expect(bad?.span.line == 1 && bad?.span.column == 20)
        #expect(r.findings.contains { $0.rule == "latest-tag" })
    }

    @Test func ruleSeverityOverridesAndOff() throws {
        let r = try lint("FROM nginx:latest\n", "Dockerfile", config: "rules:\n  latest-tag: warning\n  unpinned-base: off\n")
        #expect(r.findings.map(\.rule) == ["latest-tag"])
        #expect(r.findings.first?.severity == .warning)
        #expect(!r.rules.contains { $0.id == "unpinned-base" })
    }

    @Test func ignoreImagesGlobs() throws {
        let r = try lint("FROM busybox:latest\nFROM nginx:latest\n", "Dockerfile", config: "ignore:\n  images: ['busybox*']\n")
        #expect(r.findings.allSatisfy { $0.span.line == 2 })
        let r2 = try lint("FROM busybox:latest\n", "Dockerfile", config: "ignore:\n  images: ['docker.io/library/*']\n")
        #expect(r2.findings.isEmpty)
    }

    @Test func deprecatedRegistryCarriesTheFix() throws {
        let r = try lint("FROM k8s.gcr.io/pause:3.9@sha256:\(String(repeating: "a", count: 64))\n", "Dockerfile")
        let f = try #require(r.findings.first { $0.rule == "deprecated-registry" })
        #expect(f.fix?.replacement == "registry.k8s.io/pause:3.9@sha256:\(String(repeating: "a", count: 64))")
    }

    @Test func registryPortsAreNotTags() throws {
        let r = try lint("FROM localhost:5000/app\nFROM registry.example.com:5000/team/app:1.2.3\n", "Dockerfile")
        #expect(rules(r) == ["missing-tag@1:6", "unpinned-base@1:6", "unpinned-base@2:6"])
    }

    @Test func summaryCounts() throws {
        let r = try lint("FROM nginx:latest\nFROM python:3.12\n", "Dockerfile")
        #expect(r.summary.errors == 1 && r.summary.warnings == 3 && r.summary.references == 2 && r.summary.findings == 4)
    }
}

@Suite struct TagClassifierTests {
    @Test(arguments: ["3", "3.12", "v1.29", "3.12-alpine", "alpine", "stable", "nonroot", "ltsc2022", "LATEST", "20-alpine", "1.2-20"])
    func floating(_ tag: String) { #expect(TagClassifier().isFloating(tag), "\(tag)") }

    @Test(arguments: [
        "1.25.3", "v1.25.3", "20.11.1-alpine3.19", "20240211", "2024-02-11", "bookworm-20240211", "sha-1a2b3c4",
        "1a2b3c4", "0123456789abcdef0123456789abcdef01234567", "2.4.1-r3", "nightly-2024.02.11",
    ])
    func fixed(_ tag: String) { #expect(!TagClassifier().isFloating(tag), "\(tag)") }
}

@Suite struct RegistryPatternTests {
    @Test func kubeletMatching() throws {
        func m(_ p: String, _ r: String) throws -> Bool { RegistryPattern(p).matches(try ImageReference.parse(r)) }
        #expect(try m("*.my-registry.io", "a.my-registry.io/images/x"))
        #expect(try !m("*.my-registry.io", "a.sub.my-registry.io/images/x"))
        #expect(try m("my-registry.io/images", "my-registry.io/images/subpath/my-image"))
        #expect(try !m("my-registry.io/images", "my-registry.io/imagesx/y"))
        #expect(try m("docker.io", "nginx"))
        #expect(try m("docker.io/library", "nginx"))
        #expect(try !m("localhost", "localhost:5000/app"))
        #expect(try m("localhost:5000", "localhost:5000/app"))
        #expect(try m("https://index.docker.io/v1/", "foo/bar"))
    }
}

@Suite struct ComposeBuildTests {
    @Test func imageOfABuiltServiceNamesTheBuildOutput() throws {
        let text = """
            services:
              notebook:
                build: .
                image: my-notebook
              pulled:
                build: .
                image: ghcr.io/acme/app
                pull_policy: always
              db:
                image: postgres

            """
        var options = LintOptions()
        options.jobs = 1
        let r = Pipeline.lint(contents: Array(text.utf8), filename: "compose.yaml", options: options)
        #expect(Set(r.findings.filter { $0.rule == "missing-tag" }.map(\.span.line)) == [7, 10])
    }
}

@Suite struct EmptyArgDefaultTests {
    @Test func emptyDefaultIsUnresolvedNotInvalid() throws {
        let text = "ARG WINDOWS_VERSION=\nFROM mcr.microsoft.com/windows/servercore:${WINDOWS_VERSION}\nFROM alpine:${T:-3.19.1}\n"
        var options = LintOptions()
        options.jobs = 1
        let r = Pipeline.lint(contents: Array(text.utf8), filename: "Dockerfile", options: options)
        #expect(r.findings.filter { $0.rule == "invalid-reference" }.isEmpty)
        let u = try #require(r.findings.first { $0.rule == "unresolved-reference" })
        #expect(u.span.line == 2 && u.message.contains("empty default"))
        options.configuration.buildArgs = ["WINDOWS_VERSION": "ltsc2022"]
        let r2 = Pipeline.lint(contents: Array(text.utf8), filename: "Dockerfile", options: options)
        #expect(r2.findings.contains { $0.rule == "floating-tag" && $0.span.line == 2 })
    }
}

@Suite struct DockerfileTemplateTests {
    @Test func templateProblemsAreNotesNotErrors() throws {
        let text = "FROM {{ .BaseImage }}\n{{ if .Debug }}\nRUN apt-get install -y gdb\n{{ end }}\n"
        var options = LintOptions()
        options.jobs = 1
        let r = Pipeline.lint(contents: Array(text.utf8), filename: "Dockerfile.template", options: options)
        let parse = r.findings.filter { $0.rule == "parse-error" }
        #expect(!parse.isEmpty && parse.allSatisfy { $0.severity == .info && $0.message.contains("render the template") })
        #expect(!r.findings.contains { $0.severity == .error })
    }
}
