import ImagelintCore
import ManifestParser
import Testing

@Suite struct ComposeTests {
    @Test(arguments: [
        ("nginx:1.25", "nginx:1.25", nil),
        ("app:${TAG:-1.2.3}", "app:1.2.3", nil),
        ("app:${TAG-1.2.3}", "app:1.2.3", nil),
        ("${REG:-ghcr.io}/o/app:${TAG:-${FALLBACK:-2}}", "ghcr.io/o/app:2", nil),
        ("app$${X}", "app${X}", nil),
        ("app:1${SUFFIX:+-rc}", "app:1", nil),
        ("app:${TAG}", nil, "TAG"),
        ("app:$TAG", nil, "TAG"),
        ("app:${TAG:?tag is required}", nil, "TAG"),
        ("app:${TAG?err}", nil, "TAG"),
        ("${REGISTRY:-${HOST}}/app", nil, "HOST"),
    ] as [(String, String?, String?)])
    func interpolation(written: String, resolved: String?, variable: String?) throws {
        let a = analyze("services:\n  web:\n    image: \"\(written)\"\n", path: "compose.yaml")
        let o = try #require(a.occurrences.first)
        #expect(o.written == written)
        #expect(o.resolved == resolved)
        #expect(o.source == .compose && o.context.service == "web")
        #expect(o.span == Span(line: 3, column: 13, endLine: 3, endColumn: 13 + written.unicodeScalars.count))
        if let variable {
            guard case .unresolved(let reason) = o.status else {
                Issue.record("expected unresolved, got \(o.status)")
                return
            }
            #expect(reason.contains(variable))
        }
    }

    @Test func mergeKeysAndBuildOnlyServices() {
        let a = analyze("""
            x-base: &base
              image: base:1
              restart: always
            x-other: &other {image: other:2}
            services:
              api:
                <<: *base
              worker:
                <<: [*other, *base]
              own:
                <<: *base
                image: own:3
              builder:
                build: .
              empty:
            """, path: "compose.yaml")
        #expect(a.kinds == [.compose])
        #expect(positions(a) == ["2:10-16 base:1", "4:25-32 other:2", "12:12-17 own:3"])
        #expect(a.occurrences.map { $0.context.service } == ["api", "worker", "own"])
    }

    @Test func notComposeWhenServicesAreNotServices() {
        #expect(analyze("services:\n  - web\n").kinds.isEmpty)
        #expect(analyze("services:\n  web: {port: 1}\n").kinds.isEmpty)
        #expect(analyze("services: {}\n").kinds.isEmpty)
    }
}

@Suite struct KustomizeTests {
    @Test(arguments: [
        ("name: nginx\n    newTag: 1.25.3", "nginx:1.25.3", true),
        ("name: postgres\n    newName: my-registry/my-postgres\n    newTag: v1", "my-registry/my-postgres:v1", true),
        ("name: alpine\n    digest: sha256:\(String(repeating: "a", count: 64))", "alpine@sha256:\(String(repeating: "a", count: 64))", true),
        ("name: app\n    newTag: \"2\"\n    digest: sha256:\(String(repeating: "b", count: 64))", "app:2@sha256:\(String(repeating: "b", count: 64))", true),
        ("name: nginx:1.0\n    newTag: \"1.1\"", "nginx:1.1", true),
        ("name: nginx:1.0\n    newName: mirror/nginx", "mirror/nginx:1.0", true),
        ("name: localhost:5000/app\n    newTag: v2", "localhost:5000/app:v2", true),
        ("name: app:1\n    tagSuffix: -debug", "app:1-debug", true),
        ("name: my-demo-app\n    newName: my-app", "my-app", false),
        ("name: app\n    tagSuffix: -debug", "app", false),
    ] as [(String, String, Bool)])
    func effectiveReference(entry: String, written: String, resolved: Bool) throws {
        let text = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n  - \(entry)\n"
        let a = analyze(text, path: "base/kustomization.yaml")
        #expect(a.kinds == [.kustomize])
        let o = try #require(a.occurrences.first)
        #expect(o.written == written)
        #expect(o.resolved == (resolved ? written : nil))
        #expect(o.source == .kustomize)
        let name = entry.split(separator: "\n")[0].dropFirst(6)
        #expect(o.context.kustomizeName == String(name))
        #expect(o.span == Span(line: 4, column: 11, endLine: 4, endColumn: 11 + name.count))
    }

    @Test func kustomizationRecognisedByFileName() {
        let text = "resources: [a.yaml]\nimages:\n- name: nginx\n  newTag: \"1.25\"\n"
        #expect(analyze(text, path: "overlays/prod/kustomization.yml").occurrences.map(\.written) == ["nginx:1.25"])
        #expect(analyze(text, path: "x/Kustomization").kinds == [.kustomize])
        #expect(analyze(text, path: "x/other.yaml").kinds.isEmpty)
    }

    @Test func fluxKustomizationIsAKubernetesObjectWithoutImages() {
        let text = """
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata: {name: apps}
            spec:
              images:
              - name: nginx
                newTag: latest
            """
        let a = analyze(text, path: "clusters/kustomization.yaml")
        #expect(a.kinds == [.kubernetes])
        #expect(a.occurrences.isEmpty)
    }

    @Test func componentsHaveImagesToo() {
        let a = analyze("apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nimages:\n- {name: a, newTag: b}\n")
        #expect(a.occurrences.map(\.written) == ["a:b"])
    }
}
