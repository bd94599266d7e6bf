import Foundation
import ImagelintCore
import ManifestParser
import Testing
import TestSupport

@Suite struct ClassificationTests {
    @Test(arguments: ["a.yaml", "dir/b.yml", "/abs/c.yaml"])
    func yamlNames(name: String) { #expect(ManifestFrontEnd.isYAMLName(name)) }

    @Test(arguments: ["Dockerfile", "a.json", "a.yaml.bak", "yaml", "kustomization"])
    func notYAMLNames(name: String) { #expect(!ManifestFrontEnd.isYAMLName(name)) }

    @Test(arguments: [
        // GitHub Actions
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    container: {image: node:20}\n",
        // Helm values
        "image:\n  repository: nginx\n  tag: latest\nservice: {type: ClusterIP}\n",
        // OpenAPI
        "openapi: 3.0.0\ninfo: {title: x}\npaths: {}\n",
        "- just\n- a list\n", "plain scalar\n", "",
    ])
    func otherYAMLIsSkippedSilently(text: String) {
        let a = analyze(text, path: "values.yaml")
        #expect(a.kinds.isEmpty)
        #expect(a.occurrences.isEmpty)
        #expect(a.diagnostics.isEmpty)
    }

    @Test func mixedFileHasSeveralKinds() {
        let a = analyze("""
            apiVersion: v1
            kind: Pod
            spec: {containers: [{image: a:1}]}
            ---
            services:
              web: {image: b:2}
            """)
        #expect(a.kinds == [.kubernetes, .compose])
        #expect(a.occurrences.map(\.source) == [.kubernetes, .compose])
    }
}

@Suite struct HelmTests {
    @Test func templatesFolderGivesAnInfoNote() throws {
        let text = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - image: \"{{ .Values.image }}\"\n"
        let a = analyze(text, path: "charts/web/templates/deployment.yaml")
        let d = try #require(a.diagnostics.first)
        #expect(a.diagnostics.count == 1)
        #expect(d.severity == .info)
        #expect(d.message.contains("helm template"))
        #expect((d.line, d.column) == (7, 17))
        #expect(a.occurrences.isEmpty && a.kinds.isEmpty)
    }

    @Test func invalidTemplateSyntaxGivesAnInfoNoteNotAnError() throws {
        let text = "apiVersion: v1\nkind: Pod\n{{- if .Values.enabled }}\nspec:\n  containers:\n  - image: {{ .Values.image }}\n{{- end }}\n"
        let a = analyze(text, path: "pod.yaml")
        #expect(a.diagnostics.map(\.severity) == [.info])
        #expect(a.diagnostics.first?.line == 3)
    }

    @Test func templateBracesInACommentDoNotHideASyntaxError() throws {
        // Issue 13 item 5: a `{{` in a comment made the whole file one info note.
        let text = "# values come from {{ .Values.image }} in the chart\napiVersion: v1\nkind: Pod\nspec: {containers: [{image: a:1}]}\n---\napiVersion: v1\nkind: Pod\nspec: [\n"
        let a = analyze(text, path: "pod.yaml")
        #expect(a.occurrences.map(\.written) == ["a:1"])
        #expect(a.diagnostics.map(\.severity) == [.error])
        #expect(a.diagnostics.first?.message.hasPrefix("invalid YAML: ") == true)
    }

    @Test func validYAMLWithTemplatesOutsideAChartIsRead() {
        let a = analyze("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: \"{{ .Image }}\"\n", path: "pod.yaml")
        #expect(a.diagnostics.isEmpty)
        #expect(a.occurrences.count == 1)
        #expect(a.occurrences.first?.resolved == "{{ .Image }}")
        if case .unresolved = a.occurrences.first?.status {} else { Issue.record("expected unresolved") }
    }
}

@Suite struct BadInputTests {
    @Test func syntaxErrorKeepsEarlierDocuments() throws {
        let a = analyze("apiVersion: v1\nkind: Pod\nspec: {containers: [{image: a:1}]}\n---\napiVersion: v1\nkind: Pod\nspec: [\n")
        #expect(a.occurrences.map(\.written) == ["a:1"])
        let d = try #require(a.diagnostics.first)
        #expect(d.severity == .error)
        #expect(d.message.hasPrefix("invalid YAML: "))
        #expect(d.line == 8)
    }

    @Test func syntaxErrorPositionAndText() throws {
        let a = analyze("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: nginx: latest\n")
        let d = try #require(a.diagnostics.first)
        #expect(d.message == "invalid YAML: mapping values are not allowed in this context")
        #expect((d.line, d.column) == (5, 17))
        #expect(a.occurrences.isEmpty)
    }

    @Test func tabsForIndentation() throws {
        let a = analyze("apiVersion: v1\nkind: Pod\nspec:\n\tcontainers: []\n")
        let d = try #require(a.diagnostics.first)
        #expect((d.line, d.column) == (4, 1))
        #expect(d.message.contains("tabs cannot be used for indentation"))
    }

    @Test func duplicateKeysWarnAndTheLaterValueWins() throws {
        let a = analyze("""
            apiVersion: v1
            kind: Pod
            spec:
              containers:
              - image: first:1
                image: second:2
            """)
        #expect(a.occurrences.map(\.written) == ["second:2"])
        let d = try #require(a.diagnostics.first)
        #expect(d.severity == .warning)
        #expect(d.message.contains("`image`") && d.message.contains("line 5"))
        #expect((d.line, d.column) == (6, 5))
    }

    @Test func utf16File() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for b in "apiVersion: v1\nkind: Pod\n".utf8 { bytes += [b, 0] }
        let a = ManifestFrontEnd.analyze(path: "x.yaml", text: SourceText(bytes))
        #expect(a.diagnostics.count == 1)
        #expect(a.diagnostics.first?.message.contains("UTF-16") == true)
        #expect(a.occurrences.isEmpty)
    }

    @Test func binaryAndInvalidUTF8() throws {
        let binary: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0xFF, 0xC0]
        let a = ManifestFrontEnd.analyze(path: "x.yaml", text: SourceText(binary))
        #expect(a.diagnostics.map(\.severity) == [.error])
        let latin1: [UInt8] = Array("apiVersion: v1\nkind: Pod\nmetadata: {name: caf".utf8) + [0xE9] + Array("}\n".utf8)
        let b = ManifestFrontEnd.analyze(path: "x.yaml", text: SourceText(latin1))
        #expect(b.diagnostics.first?.message.hasPrefix("not UTF-8 YAML text") == true)
        #expect(b.diagnostics.first?.line == 3)
    }

    @Test func billionLaughsIsRefused() throws {
        var text = "apiVersion: v1\nkind: ConfigMap\ndata:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1...9 {
            text += "  a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        let a = analyze(text)
        #expect(a.diagnostics.count == 1)
        #expect(a.diagnostics.first?.message.contains("aliases expand") == true)
    }

    @Test func deepNestingIsRefused() throws {
        let depth = 10_000
        var text = "apiVersion: v1\nkind: Pod\nspec: {containers: [{image: a:1}]}\n---\nx: "
        text += String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        var block = "---\n"
        for i in 0..<depth { block += String(repeating: " ", count: i) + "k:\n" }
        let a = analyze(text + block)
        #expect(a.occurrences.map(\.written) == ["a:1"])
        #expect(a.diagnostics.filter { $0.message.contains("nesting deeper than 512") }.count == 2)
    }

    @Test func fiftyMegabyteFile() throws {
        var text = "apiVersion: v1\nkind: ConfigMap\ndata:\n  blob: |\n"
        let line = "    " + String(repeating: "abcdefghij", count: 10) + "\n"
        text.reserveCapacity(52_000_000)
        while text.utf8.count < 50_000_000 { text += line }
        text += "---\napiVersion: v1\nkind: Pod\nspec: {containers: [{image: late:1}]}\n"
        let a = analyze(text)
        #expect(a.diagnostics.isEmpty)
        #expect(a.occurrences.map(\.written) == ["late:1"])
        let lastLine = text.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }  // the text ends with "\n"
        #expect(lastLine > 476_000)
        #expect(a.occurrences.first?.span.line == lastLine)
    }

    @Test func mutatedManifestsNeverTrap() {
        let seed = Array("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: x, annotations: {a: b}}
            spec:
              template:
                spec:
                  imagePullSecrets: [{name: s}]
                  containers:
                  - &c {name: a, image: "nginx:1"}
                  - *c
                  - name: b
                    image: >-
                      redis
            """.utf8)
        var generator = TestSeed.generator("mutatedManifestsNeverTrap")
        let alphabet = Array("[]{}:,&*!|>'\"#-? \n\t\r<".utf8) + [0x00, 0xC3, 0xE6]
        for _ in 0..<600 {
            var bytes = seed
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = alphabet.randomElement(using: &generator)!
            }
            let a = ManifestFrontEnd.analyze(path: "m.yaml", text: SourceText(bytes))
            for o in a.occurrences {
                #expect(o.span.line >= 1 && o.span.column >= 1, "seed \(generator.seed)")
            }
        }
    }
}

/// Issue 13, item 6: a tag on a value does not hide the image (Kubernetes keeps the text, decodes `!!binary`).
@Suite struct TaggedScalarTests {
    @Test(arguments: [
        ("!x nginx:latest", "nginx:latest"),
        ("!!str nginx:latest", "nginx:latest"),
        ("!!binary bmdpbng6bGF0ZXN0", "nginx:latest"),
    ])
    func taggedImageIsAnOccurrence(value: String, image: String) {
        let a = analyze("apiVersion: v1\nkind: Pod\nspec: {containers: [{name: a, image: \(value)}]}\n")
        #expect(a.occurrences.map(\.written) == [image])
        #expect(a.occurrences.first?.span.line == 3)
    }

    @Test func nonStringCoreTagsStillYieldNothing() {
        let a = analyze("apiVersion: v1\nkind: Pod\nspec: {containers: [{name: a, image: !!int 5}]}\n")
        #expect(a.occurrences.isEmpty)
    }
}
