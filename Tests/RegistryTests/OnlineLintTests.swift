import Foundation
import Testing

/// `imagelint lint --online` against a real registry on the loopback.
@Suite(.enabled(if: Tools.available, Tools.reason), .serialized)
struct OnlineLintTests {
    func lint(_ f: PinTests.Fixture, _ args: [String]) throws -> Run.Result {
        try Run.run(
            Run.imagelint, ["lint", "--insecure-registry", f.host, "--registry-timeout", "3", "--fail-on", "warning"] + args,
            cwd: f.dir, env: try f.registry.environment())
    }

    @Test func findsMissingTagsMovedDigestsAndPlatformPins() throws {
        let f = try PinTests.Fixture()
        defer { f.registry.stop() }
        let h = f.host
        let old = f.app.digest
        let zero = "sha256:" + String(repeating: "0", count: 64)
        try f.write(
            "Dockerfile",
            """
            FROM \(h)/team/app:9.9.9
            FROM \(h)/team/none:1.0.0
            FROM \(h)/team/app:1.0.0@\(f.app.platformDigests[1])
            FROM \(h)/team/tool:2.0.0@\(f.tool.digest)
            FROM \(h)/team/tool:2.0.0@\(zero)
            FROM \(h)/team/app:1.0.0@\(old)

            """)
        // The tag moves after the file was pinned.
        let moved = try f.layout.add(tag: "app-2", multiPlatform: true, seed: "app-2")
        try f.registry.push(f.layout, tag: "app-2", to: "team/app", as: "1.0.0")

        let r = try lint(f, ["--online", "--stats", "Dockerfile"])
        #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
        let out = r.stdout
        #expect(out.contains("tag-not-found") && out.contains("image `\(h)/team/app:9.9.9`: tag `9.9.9` does not exist in `\(h)/team/app`"), "\(out)")
        #expect(out.contains("image `\(h)/team/none:1.0.0`: repository `\(h)/team/none` does not exist in the registry"))
        // An arm64 manifest of the index the tag left: an older manifest of the repository, not of the current index.
        #expect(out.contains("image `\(h)/team/app:1.0.0@\(f.app.platformDigests[1])`: tag `1.0.0` moved"))
        #expect(out.contains("image `\(h)/team/tool:2.0.0@\(zero)`: the pinned digest is unknown in `\(h)/team/tool`; tag `2.0.0` points to \(f.tool.digest)"))
        #expect(out.contains("image `\(h)/team/app:1.0.0@\(old)`: tag `1.0.0` moved; the pinned digest is an older manifest, the tag now points to \(moved.digest)"))
        #expect(!out.contains("team/tool:2.0.0@\(f.tool.digest)`:"))
        // Four distinct tags, plus one look-up per unknown pinned digest.
        #expect(r.stderr.contains("registry requests: 7 manifest"), "\(r.stderr)")

        // A platform manifest of the tag's current index.
        try f.write("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: \(h)/team/app:1.0.0@\(moved.platformDigests[0])\n")
        let p = try lint(f, ["--online", "pod.yaml"])
        #expect(p.stdout.contains("platform-digest"))
        #expect(p.stdout.contains("image `\(h)/team/app:1.0.0@\(moved.platformDigests[0])` is pinned to the linux/amd64 manifest of tag `1.0.0`; pin the index \(moved.digest) instead"), "\(p.stdout)")

        // Without --online the registry is never asked and the online rules stay off.
        let offline = try lint(f, ["Dockerfile", "pod.yaml"])
        for rule in ["tag-not-found", "digest-mismatch", "platform-digest"] { #expect(!offline.stdout.contains(rule)) }
    }

    @Test func anUnreachableRegistryIsADiagnosticAndOfflineFindingsStay() throws {
        let f = try PinTests.Fixture()
        f.registry.stop()
        try f.write("Dockerfile", "FROM \(f.host)/team/app:latest\n")
        let r = try lint(f, ["--online", "Dockerfile"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("imagelint: cannot reach registry \(f.host): connection refused"), "\(r.stderr)")
        #expect(r.stdout.contains("latest-tag"))
    }
}
