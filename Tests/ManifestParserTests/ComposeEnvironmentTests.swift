import ImagelintCore
import Testing

@testable import ManifestParser

/// Compose as `docker compose config` reads it: `.env` interpolation, legacy version-1 files, and broken
/// structure reported instead of skipped.
@Suite struct ComposeEnvironmentTests {
    static func analyzeCompose(_ yaml: String, env: String? = nil, path: String = "proj/compose.yaml") -> FileAnalysis {
        let environment: ComposeEnvironment? = env.map {
            var e = ComposeEnvironment()
            e.add(dotEnv: Array($0.utf8), file: "proj/.env")
            return e
        }
        var options = ManifestOptions()
        if let environment {
            options.composeEnvironment = { @Sendable _ in environment }
        }
        return ManifestFrontEnd.analyze(path: path, text: SourceText(yaml), options: options)
    }

    @Test func dotEnvFileFormat() {
        var e = ComposeEnvironment()
        e.add(
            dotEnv: Array(
                """
                # comment
                TAG=1.4.2
                export REGISTRY=ghcr.io/acme   # trailing comment
                QUOTED="a b#c"
                SINGLE='${TAG} stays'
                REF=${REGISTRY}/api
                COLON: yes\r
                EMPTY=
                not a line
                HASH=x#y

                """.utf8), file: ".env")
        #expect(e.variables["TAG"] == "1.4.2")
        #expect(e.variables["REGISTRY"] == "ghcr.io/acme")
        #expect(e.variables["QUOTED"] == "a b#c")
        #expect(e.variables["SINGLE"] == "${TAG} stays")
        #expect(e.variables["REF"] == "ghcr.io/acme/api")
        #expect(e.variables["COLON"] == "yes")
        #expect(e.variables["EMPTY"] == "")
        #expect(e.variables["HASH"] == "x#y")
        #expect(e.variables.count == 8)
    }

    @Test(arguments: [
        ("app:${TAG}", "app:1.4.2", nil),
        ("app:$TAG", "app:1.4.2", nil),
        ("${REGISTRY}/app:${TAG:-0}", "ghcr.io/acme/app:1.4.2", nil),
        ("app:${EMPTY:-fallback}", "app:fallback", nil),
        ("app:${EMPTY-fallback}x", "app:x", nil),
        ("app:1${TAG:+-rc}", "app:1-rc", nil),
        ("app:1${EMPTY:+-rc}", "app:1", nil),
        ("app:${TAG:?tag is required}", "app:1.4.2", nil),
        ("app:${MISSING:?set MISSING in .env}", nil, "compose variable `MISSING` is required: set MISSING in .env"),
        ("app:${MISSING}", nil, "compose variable `MISSING` is not set and has no default"),
    ] as [(String, String?, String?)])
    func interpolationFromDotEnv(written: String, resolved: String?, reason: String?) throws {
        let a = Self.analyzeCompose("services:\n  web:\n    image: \"\(written)\"\n", env: "TAG=1.4.2\nREGISTRY=ghcr.io/acme\nEMPTY=\n")
        let o = try #require(a.occurrences.first)
        #expect(o.resolved == resolved)
        if let reason {
            #expect(o.status == .unresolved(reason))
        }
    }

    @Test func theEnvironmentIsAskedForOnlyWhenAVariableIsUsed() {
        let options = ManifestOptions(composeEnvironment: { _ in
            Issue.record("asked for the environment")
            return ComposeEnvironment()
        })
        let a = ManifestFrontEnd.analyze(
            path: "compose.yaml", text: SourceText("services:\n  web:\n    image: nginx:1.27.3\n"), options: options)
        #expect(a.occurrences.count == 1)
    }

    @Test func legacyVersionOneFile() {
        let a = Self.analyzeCompose(
            """
            web:
              image: nginx:1.27.3
              links: [db]
            db:
              image: postgres
              environment: {POSTGRES_PASSWORD: x}
            """, path: "docker-compose.yml")
        #expect(a.kinds == [.compose])
        #expect(positions(a) == ["2:10-22 nginx:1.27.3", "5:10-18 postgres"])
        #expect(a.occurrences.map { $0.context.service } == ["web", "db"])
        #expect(a.diagnostics.isEmpty)
    }

    @Test func aServiceIndentedOutOfServicesIsADiagnostic() {
        let a = Self.analyzeCompose(
            """
            services:
              web:
                image: nginx:1.27.3
            worker:
              image: app:2.0.1
            """, path: "compose.yml")
        #expect(positions(a) == ["3:12-24 nginx:1.27.3"])
        #expect(a.diagnostics.map { "\($0.line):\($0.column) \($0.message)" } == [
            "4:1 `worker` looks like a service but is not under `services:`; compose rejects it (check its indentation)"
        ])
    }

    @Test func servicesThatAreNotAMappingAreADiagnostic() {
        let a = Self.analyzeCompose("services:\n  - web\n  - db\n", path: "docker-compose.yaml")
        #expect(a.occurrences.isEmpty)
        #expect(a.diagnostics.map { "\($0.line):\($0.column) \($0.message)" } == [
            "2:3 `services` must be a mapping of service names to services"
        ])
        let b = Self.analyzeCompose("services:\n  web: nginx:latest\n", path: "compose.yaml")
        #expect(b.diagnostics.map { "\($0.line):\($0.column) \($0.message)" } == ["2:8 service `web` must be a mapping"])
    }

    @Test func otherYAMLWithAComposeLikeShapeIsNotRead() {
        // Not a compose name: a Helm values file with service-like blocks stays unread.
        let a = Self.analyzeCompose("web:\n  image: nginx:latest\n", path: "values.yaml")
        #expect(a.occurrences.isEmpty && a.diagnostics.isEmpty && a.kinds.isEmpty)
    }
}

@Suite struct ComposeReviewTests {
    @Test func pullPolicyIsAFact() {
        let a = analyze("services:\n  api:\n    image: app:nightly\n    pull_policy: missing\n", path: "compose.yaml")
        let fact = a.occurrences.first?.origin.facts(PullPolicyFact.self)
        #expect(fact?.imagePullPolicy == "IfNotPresent")
        #expect(fact?.pullPolicyText == "pull_policy: missing")
    }
}
