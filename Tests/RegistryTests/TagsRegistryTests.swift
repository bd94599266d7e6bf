import Foundation
import ImagelintOnline
import RegistryClient
import ReleaseTags
import Testing

/// `imagelint tags --existing-from` and `--push` against a real registry on the loopback, with two-platform
/// indexes skopeo pushed from OCI layouts the tests wrote.
@Suite(.enabled(if: Tools.available, Tools.reason), .serialized)
struct TagsRegistryTests {
    /// A registry holding `team/app` builds pushed under `build-N` tags (each a two-platform index).
    final class Fixture {
        let registry: LocalRegistry
        let layout: OCILayout
        var builds: [String: OCILayout.Image] = [:]
        let client: RegistryClient

        init(auth: LocalRegistry.Auth = .none) throws {
            registry = try LocalRegistry(auth: auth)
            layout = try OCILayout()
            client = RegistryClient(options: try registry.clientOptions())
        }

        var host: String { registry.host }
        var image: String { host + "/team/app" }
        var repository: Repository { Repository(registry: host, path: "team/app") }

        /// Pushes a new two-platform build as `build-NAME`; returns its index digest.
        @discardableResult
        func build(_ name: String) throws -> String {
            let image = try layout.add(tag: "build-" + name, multiPlatform: true, seed: "build-" + name)
            try registry.push(layout, tag: "build-" + name, to: "team/app")
            builds[name] = image
            return image.digest
        }

        /// Points `tags` at build `name`'s manifest (bytes unchanged), as an earlier release pipeline would have.
        func tag(_ name: String, _ tags: [String]) async throws {
            let m = try await client.manifest(repository, reference: "build-" + name)
            for t in tags { try await client.putManifest(repository, reference: t, bytes: m.bytes, mediaType: m.mediaType) }
        }

        /// What each tag points at now, read with a fresh client (no cached answers).
        func digests(_ tags: [String]) async throws -> [String: String] {
            let fresh = RegistryClient(options: try registry.clientOptions())
            var out: [String: String] = [:]
            for t in tags { out[t] = try? await fresh.manifest(repository, reference: t).digest }
            await fresh.shutdown()
            return out
        }

        func allTags() async throws -> [String] {
            let fresh = RegistryClient(options: try registry.clientOptions())
            defer { Task { await fresh.shutdown() } }
            return try await fresh.tags(repository).sorted()
        }

        func tags(_ args: [String], credentials: Bool = true, wrongPassword: Bool = false) throws -> Run.Result {
            try Run.run(
                Run.imagelint, ["tags", "--insecure-registry", host, "--registry-timeout", "5"] + args,
                env: try registry.environment(wrongPassword: wrongPassword, credentials: credentials))
        }

        func push(_ version: String, build: String, _ extra: [String] = []) throws -> Run.Result {
            try tags([version, "--image", image, "--push", image + "@" + builds[build]!.digest] + extra)
        }

        func stop() async {
            await client.shutdown()
            registry.stop()
        }
    }

    // MARK: --existing-from

    @Test func existingFromReadsMoreThanOneHundredTagsPageByPage() async throws {
        let f = try Fixture()
        let d = try f.build("1")
        // 130 releases: 1.0.0 … 1.0.129; and 2.0.0 so that a 1.x backport is not the newest.
        let tags = (0..<130).map { "1.0.\($0)" } + ["2.0.0", "1.1.0"]
        try await f.tag("1", tags)

        // The bare registry (Distribution 2.8) answers all tags in one page, whatever `n` asks for.
        let bare = RegistryClient(options: try f.registry.clientOptions())
        #expect(try await TagPush.existingTags(f.image, client: bare, pageSize: 50).count == tags.count + 1)
        #expect(bare.statistics.tagListRequests == 1)
        await bare.shutdown()

        // Behind a proxy that pages as the spec says: 133 tags in pages of 50 are three requests.
        let proxy = try PagingProxy(upstream: f.registry)
        defer { proxy.stop() }
        var options = try f.registry.clientOptions()
        options.insecureRegistries = [proxy.host]
        let paged = RegistryClient(options: options)
        let read = try await TagPush.existingTags(proxy.host + "/team/app", client: paged, pageSize: 50)
        #expect(read.sorted() == (tags + ["build-1"]).sorted())
        #expect(read.count == 133 && Set(read).count == 133)
        #expect(paged.statistics.tagListRequests == 3)
        #expect(proxy.pagesServed == 3)
        await paged.shutdown()

        // The command: a 1.0.x backport among 133 tags read in 3 pages keeps 1.0 but not 1 or latest.
        let r = try Run.run(
            Run.imagelint,
            ["tags", "1.0.130", "--existing-from", proxy.host + "/team/app", "--tags-page-size", "50",
             "--insecure-registry", proxy.host, "--stats"],
            env: try f.registry.environment())
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "1.0.130\n1.0\n")
        #expect(r.stderr.contains("skipped 1: 1.1.0 is newer"))
        #expect(r.stderr.contains("skipped latest: 2.0.0 is newer"))
        #expect(r.stderr.contains("3 tag list"), "\(r.stderr)")
        #expect(proxy.pagesServed == 6)
        // An existing patch tag read from the registry is exit 1.
        #expect(try f.tags(["1.0.129", "--existing-from", f.image]).status == 1)
        _ = d
        await f.stop()
    }

    @Test func existingFromRegistryErrorsAreExitTwoNeverNoTags() async throws {
        let f = try Fixture(auth: .basic)
        try f.build("1")
        try await f.tag("1", ["2.0.0"])
        // Credentials present: the tags are read, so the backport gets no `latest`.
        let ok = try f.tags(["1.5.0", "--existing-from", f.image])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout == "1.5.0\n1.5\n1\n")
        // No or wrong credentials, an unknown repository, an unreachable registry: exit 2, nothing printed.
        for r in [
            try f.tags(["1.5.0", "--existing-from", f.image], credentials: false),
            try f.tags(["1.5.0", "--existing-from", f.image], wrongPassword: true),
            try f.tags(["1.5.0", "--existing-from", f.host + "/team/nothing"]),
            try Run.run(Run.imagelint, ["tags", "1.5.0", "--existing-from", "127.0.0.1:\(freePort())/x", "--insecure-registry", "127.0.0.1:1"]),
        ] {
            #expect(r.status == 2, "\(r.stdout) \(r.stderr)")
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.contains("imagelint: cannot list the tags of"), "\(r.stderr)")
        }
        #expect(try f.tags(["1.5.0", "--existing-from", f.host + "/team/nothing"]).stderr.contains("--existing /dev/null"))
        await f.stop()
    }

    /// What a pipeline really redirects into `--existing`: skopeo's and the registry API's answers are read; a
    /// failed `skopeo list-tags` (its stderr in the file too) is exit 2, never "no tags".
    @Test func realListingOutputsAndFailures() async throws {
        let f = try Fixture(auth: .basic)
        try f.build("1")
        try await f.tag("1", ["1.0.0", "2.0.0"])
        let dir = try Temp.directory("listing")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let skopeo = try Run.run(
            Tools.skopeo!,
            ["list-tags", "--tls-verify=false", "--creds", "\(f.registry.user):\(f.registry.password)", "docker://\(f.image)"])
        #expect(skopeo.status == 0, "\(skopeo.stderr)")
        try skopeo.stdout.write(toFile: dir + "/skopeo.json", atomically: true, encoding: .utf8)
        let ok = try f.tags(["1.5.0", "--existing", dir + "/skopeo.json"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout == "1.5.0\n1.5\n1\n")

        // The registry API's own answer, as curl would save it.
        let client = RegistryClient(options: try f.registry.clientOptions())
        let names = try await client.tags(f.repository)
        await client.shutdown()
        let api = #"{"name":"team/app","tags":["# + names.map { "\"\($0)\"" }.joined(separator: ",") + "]}"
        let r = try Run.run(
            Run.imagelint, ["tags", "1.5.0", "--existing", "-"], env: try f.registry.environment(), stdin: api)
        #expect(r.status == 0 && r.stdout == "1.5.0\n1.5\n1\n", "\(r.stderr)")

        // skopeo without credentials: its FATA/level=fatal line lands in the file.
        let failed = try Run.run(
            "/bin/sh", ["-c", "\(Tools.skopeo!) list-tags --tls-verify=false docker://\(f.image) > \(dir)/failed.json 2>&1"],
            env: ["REGISTRY_AUTH_FILE": dir + "/none.json", "DOCKER_CONFIG": dir + "/none"])
        #expect(failed.status != 0)
        let garbage = try f.tags(["1.5.0", "--existing", dir + "/failed.json"])
        #expect(garbage.status == 2, "\(garbage.stdout)")
        #expect(garbage.stdout.isEmpty)
        #expect(garbage.stderr.contains("--existing \(dir)/failed.json: line 1: "), "\(garbage.stderr)")
        await f.stop()
    }

    // MARK: --push

    @Test func pushCreatesMovesAndLeavesTagsOfATwoPlatformIndex() async throws {
        let f = try Fixture()
        let d1 = try f.build("1"), d2 = try f.build("2"), d3 = try f.build("3"), d4 = try f.build("4")

        // The first release: every tag created, each the unchanged two-platform index.
        let first = try f.push("1.0.0", build: "1")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == ["1.0.0", "1.0", "1", "latest"].map { "\($0) → \(d1) (created)\n" }.joined())
        for t in ["1.0.0", "1.0", "1", "latest"] {
            let m = try await f.client.manifest(f.repository, reference: t)
            #expect(m.digest == d1 && m.isIndex && m.manifests.count == 2)
            #expect(m.manifests.map { $0.platform?.description } == ["linux/amd64", "linux/arm64"])
        }

        // A second run changes nothing.
        let again = try f.push("1.0.0", build: "1")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout == ["1.0.0", "1.0", "1", "latest"].map { "\($0) → \(d1) (unchanged)\n" }.joined())

        // A new major: its own tags created, latest moved.
        let major = try f.push("2.0.0", build: "2")
        #expect(major.status == 0, "\(major.stderr)")
        #expect(major.stdout == """
            2.0.0 → \(d2) (created)
            2.0 → \(d2) (created)
            2 → \(d2) (created)
            latest → \(d2) (moved from \(d1))

            """)

        // A backport to 1.x: 1.0 and 1 move, latest and 2 stay on 2.0.0.
        let backport = try f.push("1.0.1", build: "3")
        #expect(backport.status == 0, "\(backport.stderr)")
        #expect(backport.stdout == """
            1.0.1 → \(d3) (created)
            1.0 → \(d3) (moved from \(d1))
            1 → \(d3) (moved from \(d1))

            """)
        #expect(backport.stderr.contains("skipped latest: 2.0.0 is newer"))
        let after = try await f.digests(["latest", "2", "2.0", "1", "1.0", "1.0.0", "1.0.1"])
        #expect(after == ["latest": d2, "2": d2, "2.0": d2, "1": d3, "1.0": d3, "1.0.0": d1, "1.0.1": d3])

        // The patch tag exists with another digest: exit 1, nothing moves; --dry-run shows the overwrite.
        let before = try await f.allTags()
        let clash = try f.push("1.0.1", build: "4")
        #expect(clash.status == 1)
        #expect(clash.stderr.contains("tag 1.0.1 already exists at \(d3); patch tags are immutable"), "\(clash.stderr)")
        #expect(try await f.digests(["1.0.1", "1.0", "1"]) == ["1.0.1": d3, "1.0": d3, "1": d3])
        let dry = try f.push("1.0.1", build: "4", ["--allow-overwrite", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.hasPrefix("1.0.1 → \(d4) (moved from \(d3))\n"))
        #expect(dry.stderr.contains("dry run: nothing pushed"))
        #expect(try await f.digests(["1.0.1"]) == ["1.0.1": d3])
        #expect(try await f.allTags() == before)
        let overwrite = try f.push("1.0.1", build: "4", ["--allow-overwrite"])
        #expect(overwrite.status == 0, "\(overwrite.stderr)")
        #expect(try await f.digests(["1.0.1", "latest"]) == ["1.0.1": d4, "latest": d2])
        await f.stop()
    }

    @Test func pushBySourceTagAndBranchRefs() async throws {
        let f = try Fixture()
        let d = try f.build("7")
        let r = try f.tags([
            "--ref", "refs/heads/main", "--sha", "4f1c9e2dab", "--image", f.image, "--push", f.image + ":build-7",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "main → \(d) (created)\nedge → \(d) (created)\nsha-4f1c9e2 → \(d) (created)\n")
        // The source must be in the image's repository, and named by tag or digest.
        let other = try f.tags(["1.0.0", "--image", f.image, "--push", f.host + "/team/other:build-7"])
        #expect(other.status == 2 && other.stderr.contains("is not in the repository"))
        let missing = try f.tags(["1.0.0", "--image", f.image, "--push", f.image + ":no-such-build"])
        #expect(missing.status == 2 && missing.stderr.contains("cannot read --push"))
        #expect(try f.tags(["1.0.0", "--push", f.image + ":build-7"]).status == 64)
        #expect(try await f.allTags() == ["build-7", "edge", "main", "sha-4f1c9e2"])
        await f.stop()
    }

    /// A newer release lands between computing the tags and pushing them: the tags are read again, so it
    /// keeps `latest` and its major tag.
    @Test func aReleaseThatLandsMeanwhileKeepsTheFloatingTags() async throws {
        let f = try Fixture()
        let d1 = try f.build("1"), d2 = try f.build("2"), d3 = try f.build("3")
        try await f.tag("1", ["2.0.0", "2.0", "2", "latest"])

        var input = ReleaseInput()
        input.version = "2.1.0"
        let release = try Release.resolve(input, now: 0)
        let landed = try await f.client.manifest(f.repository, reference: "build-3")
        let repository = f.repository
        let options = try f.registry.clientOptions()
        let hooks = TagPush.Hooks(afterFirstRead: {
            // Another pipeline finishes 3.0.0 right now.
            let other = RegistryClient(options: options)
            for t in ["3.0.0", "3.0", "3", "latest"] {
                try await other.putManifest(repository, reference: t, bytes: landed.bytes, mediaType: landed.mediaType)
            }
            await other.shutdown()
        })
        let result = try await TagPush.push(
            release: release, image: f.image, source: f.image + "@" + d2, client: f.client, hooks: hooks)
        #expect(!result.firstRead.contains("3.0.0") && result.secondRead.contains("3.0.0"))
        #expect(result.plan.tags == ["2.1.0", "2.1", "2"])
        #expect(result.plan.skipped.map(\.description) == ["latest: 3.0.0 is newer"])
        #expect(result.outcomes.map(\.description) == [
            "2.1.0 → \(d2) (created)", "2.1 → \(d2) (created)", "2 → \(d2) (moved from \(d1))",
        ])
        #expect(try await f.digests(["latest", "3", "2", "2.1.0", "2.0.0"]) == [
            "latest": d3, "3": d3, "2": d2, "2.1.0": d2, "2.0.0": d1,
        ])
        await f.stop()
    }
}
