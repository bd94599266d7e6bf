import Foundation
import Testing

/// `imagelint pin` (the built executable) against a real registry on the loopback.
@Suite(.enabled(if: Tools.available, Tools.reason), .serialized)
struct PinTests {
    /// A registry with `app:1.0.0` (two platforms), `tool:2.0.0` and `frontend:1.7.0` (one platform each).
    final class Fixture {
        let registry: LocalRegistry
        let layout: OCILayout
        var app: OCILayout.Image
        let tool: OCILayout.Image
        let frontend: OCILayout.Image
        let dir: String

        init(auth: LocalRegistry.Auth = .none) throws {
            registry = try LocalRegistry(auth: auth)
            layout = try OCILayout()
            app = try layout.add(tag: "app-1", multiPlatform: true, seed: "app-1")
            tool = try layout.add(tag: "tool", multiPlatform: false, seed: "tool")
            frontend = try layout.add(tag: "frontend", multiPlatform: false, seed: "frontend")
            try registry.push(layout, tag: "app-1", to: "team/app", as: "1.0.0")
            try registry.push(layout, tag: "tool", to: "team/tool", as: "2.0.0")
            try registry.push(layout, tag: "frontend", to: "docker/frontend", as: "1.7.0")
            dir = try Temp.directory("pin")
        }

        var host: String { registry.host }

        func write(_ name: String, _ content: String) throws {
            let path = dir + "/" + name
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try content.write(toFile: path, atomically: true, encoding: .utf8)
        }

        func read(_ name: String) throws -> String { try String(contentsOfFile: dir + "/" + name, encoding: .utf8) }

        func pin(_ args: [String], wrongPassword: Bool = false) throws -> Run.Result {
            try Run.run(
                Run.imagelint, ["pin", "--insecure-registry", host, "--registry-timeout", "3"] + args, cwd: dir,
                env: try registry.environment(wrongPassword: wrongPassword))
        }

        /// One file of each kind, with comments and quoting that must survive.
        func writeTree() throws {
            try write(
                "Dockerfile",
                """
                # syntax=\(host)/docker/frontend:1.7.0
                ARG BASE=\(host)/team/app:1.0.0
                FROM ${BASE} AS build
                COPY --from=\(host)/team/tool:2.0.0 /bin/tool /tool
                RUN --mount=type=bind,from=\(host)/team/tool:2.0.0,target=/t /t/run
                FROM scratch
                COPY --from=build /tool /tool

                """)
            try write(
                "k8s/deploy.yaml",
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  template:
                    spec:
                      initContainers:
                        - name: init
                          image: "\(host)/team/tool:2.0.0"   # quoted
                      containers:
                        - name: web
                          image: \(host)/team/app:1.0.0
                        - name: side
                          image: '\(host)/team/app'

                """)
            try write(
                "compose.yaml",
                """
                services:
                  web:
                    image: \(host)/team/app:1.0.0 # keep me
                  job:
                    image: ${REGISTRY:-\(host)}/team/tool:2.0.0

                """)
            try write(
                "overlay/kustomization.yaml",
                """
                resources:
                  - ../k8s
                images:
                  - name: \(host)/team/app
                    newTag: 1.0.0
                  - name: \(host)/team/tool
                    newTag: "2.0.0"
                    digest: sha256:0000000000000000000000000000000000000000000000000000000000000000

                """)
        }
    }

    @Test func pinsEveryKindOfFileByteExactAndOnlyOnce() throws {
        let f = try Fixture()
        defer { f.registry.stop() }
        try f.writeTree()
        let h = f.host
        let r = try f.pin([])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(
            try f.read("Dockerfile") == """
                # syntax=\(h)/docker/frontend:1.7.0@\(f.frontend.digest)
                ARG BASE=\(h)/team/app:1.0.0@\(f.app.digest)
                FROM ${BASE} AS build
                COPY --from=\(h)/team/tool:2.0.0@\(f.tool.digest) /bin/tool /tool
                RUN --mount=type=bind,from=\(h)/team/tool:2.0.0@\(f.tool.digest),target=/t /t/run
                FROM scratch
                COPY --from=build /tool /tool

                """)
        #expect(try f.read("k8s/deploy.yaml").contains("image: \"\(h)/team/tool:2.0.0@\(f.tool.digest)\"   # quoted\n"))
        #expect(try f.read("k8s/deploy.yaml").contains("image: \(h)/team/app:1.0.0@\(f.app.digest)\n"))
        #expect(try f.read("k8s/deploy.yaml").contains("image: '\(h)/team/app'\n"))
        #expect(
            try f.read("compose.yaml") == """
                services:
                  web:
                    image: \(h)/team/app:1.0.0@\(f.app.digest) # keep me
                  job:
                    image: ${REGISTRY:-\(h)}/team/tool:2.0.0

                """)
        #expect(
            try f.read("overlay/kustomization.yaml") == """
                resources:
                  - ../k8s
                images:
                  - name: \(h)/team/app
                    digest: \(f.app.digest)
                    newTag: 1.0.0
                  - name: \(h)/team/tool
                    newTag: "2.0.0"
                    digest: sha256:0000000000000000000000000000000000000000000000000000000000000000

                """)
        #expect(r.stdout.contains("Dockerfile:2:10: pinned \(h)/team/app:1.0.0 → \(h)/team/app:1.0.0@\(f.app.digest)"))
        #expect(r.stdout.contains("k8s/deploy.yaml:15:19: skipped \(h)/team/app: no tag to resolve"))
        #expect(r.stdout.contains("pinned 8 references in 4 files"), "\(r.stdout)")

        // A second run changes nothing, and the dry run agrees.
        let before = try ["Dockerfile", "k8s/deploy.yaml", "compose.yaml", "overlay/kustomization.yaml"].map(f.read)
        let again = try f.pin([])
        #expect(again.status == 0)
        #expect(again.stdout.contains("nothing to pin"), "\(again.stdout)")
        #expect(try ["Dockerfile", "k8s/deploy.yaml", "compose.yaml", "overlay/kustomization.yaml"].map(f.read) == before)
        let check = try f.pin(["--dry-run"])
        #expect(check.status == 0)
        #expect(check.stdout.isEmpty)
    }

    @Test func dryRunPrintsADiffThatAppliesAndWritesNothing() throws {
        let f = try Fixture()
        defer { f.registry.stop() }
        try f.writeTree()
        let original = try f.read("Dockerfile")
        let r = try f.pin(["--dry-run"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,7 +1,7 @@\n-# syntax="))
        #expect(r.stdout.contains("+    digest: \(f.app.digest)\n"))
        #expect(try f.read("Dockerfile") == original)

        // The diff applies with git and gives what pinning writes.
        let patch = f.dir + "/../pin-\(UUID().uuidString).diff"
        try r.stdout.write(toFile: patch, atomically: true, encoding: .utf8)
        let git = try #require(Run.which("git"), "git is not on PATH")
        let applied = try Run.run(git, ["apply", "--unsafe-paths", patch], cwd: f.dir)
        #expect(applied.status == 0, "\(applied.stderr)")
        let patched = try ["Dockerfile", "k8s/deploy.yaml", "compose.yaml", "overlay/kustomization.yaml"].map(f.read)
        try f.writeTree()
        #expect(try f.pin([]).status == 0)
        #expect(try ["Dockerfile", "k8s/deploy.yaml", "compose.yaml", "overlay/kustomization.yaml"].map(f.read) == patched)

        let json = try f.pin(["--dry-run", "--format", "json"])
        #expect(json.status == 0)
        let doc = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((doc?["summary"] as? [String: Any])?["pinned"] as? Int == 0)
    }

    @Test func updateMovesDigestsWhoseTagMoved() throws {
        let f = try Fixture()
        defer { f.registry.stop() }
        try f.write("Dockerfile", "FROM \(f.host)/team/app:1.0.0\n")
        #expect(try f.pin([]).status == 0)
        #expect(try f.read("Dockerfile") == "FROM \(f.host)/team/app:1.0.0@\(f.app.digest)\n")

        let moved = try f.layout.add(tag: "app-2", multiPlatform: true, seed: "app-2")
        try f.registry.push(f.layout, tag: "app-2", to: "team/app", as: "1.0.0")
        let plain = try f.pin([])
        #expect(plain.stdout.contains("nothing to pin, 1 already pinned"))
        let r = try f.pin(["--update"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Dockerfile:1:6: updated \(f.host)/team/app:1.0.0@\(f.app.digest) → \(f.host)/team/app:1.0.0@\(moved.digest)"))
        #expect(try f.read("Dockerfile") == "FROM \(f.host)/team/app:1.0.0@\(moved.digest)\n")
    }

    @Test func unresolvableReferencesAreReportedAndTheOthersPinned() throws {
        let f = try Fixture()
        defer { f.registry.stop() }
        try f.write("Dockerfile", "FROM \(f.host)/team/app:9.9.9\nFROM \(f.host)/team/tool:2.0.0\n")
        let r = try f.pin([])
        #expect(r.status == 2)
        #expect(r.stderr.contains("Dockerfile:1:6: cannot pin \(f.host)/team/app:9.9.9: tag `9.9.9` not found in \(f.host)/team/app"), "\(r.stderr)")
        #expect(try f.read("Dockerfile") == "FROM \(f.host)/team/app:9.9.9\nFROM \(f.host)/team/tool:2.0.0@\(f.tool.digest)\n")
    }

    @Test func wrongCredentialsAndAStoppedRegistryTouchNoFile() throws {
        let f = try Fixture(auth: .basic)
        defer { f.registry.stop() }
        try f.writeTree()
        let path = f.dir + "/Dockerfile"
        let before = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        let original = try f.read("Dockerfile")

        let denied = try f.pin([], wrongPassword: true)
        #expect(denied.status == 2)
        #expect(denied.stderr.contains("registry \(f.host) refused the credentials: 401"), "\(denied.stderr)")
        #expect(try f.read("Dockerfile") == original)

        // With the right credentials it pins.
        let ok = try f.pin(["--dry-run"])
        #expect(ok.status == 1, "\(ok.stderr)")

        f.registry.stop()
        let down = try f.pin([])
        #expect(down.status == 2)
        #expect(down.stderr.contains("cannot reach registry \(f.host): connection refused"), "\(down.stderr)")
        #expect(try f.read("Dockerfile") == original)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: f.dir).filter { $0.contains("imagelint-") }
        #expect(leftovers.isEmpty)
    }

    @Test func bearerTokenRegistry() throws {
        let f = try Fixture(auth: .token)
        defer { f.registry.stop() }
        try f.write("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: \(f.host)/team/app:1.0.0\n")
        let r = try f.pin(["--stats"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try f.read("pod.yaml").hasSuffix("image: \(f.host)/team/app:1.0.0@\(f.app.digest)\n"))
        #expect(r.stderr.contains("registry requests: 2 manifest, 1 token"), "\(r.stderr)")
    }
}
