import Foundation
import Testing
import TestSupport

/// Runs the built `imagelint tags` (build it first with `swift build`; this test builds nothing).
@Suite("imagelint tags, end to end")
struct TagsCommandTests {
    @Test func releaseTagsAsText() throws {
        let r = try runTags(["2.1.5"])
        #expect(r.status == 0)
        #expect(r.stdout == "2.1.5\n2.1\n2\nlatest\n")
        #expect(r.stderr.isEmpty)
    }

    @Test func dashLeadingSuffixAndPrefix() throws {
        #expect(try runTags(["v2.1.5", "--suffix", "-alpine"]).stdout == "2.1.5-alpine\n2.1-alpine\n2-alpine\nalpine\n")
        #expect(try runTags(["2.1.5", "--prefix", "v"]).stdout == "v2.1.5\nv2.1\nv2\nlatest\n")
    }

    @Test func existingFromStdinSkipsFloatingTagsWithReasons() throws {
        let r = try runTags(["1.0.5", "--existing", "-"], stdin: "1.0.0\n1.1.0\n2.0.0\n2.0.1\n")
        #expect(r.status == 0)
        #expect(r.stdout == "1.0.5\n1.0\n")
        #expect(r.stderr == "skipped 1: 1.1.0 is newer\nskipped latest: 2.0.1 is newer\n")
    }

    @Test func existingSkopeoJSONFromFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("imagelint-tags-\(UUID().uuidString).json")
        try #"{"Repository": "ghcr.io/acme/app", "Tags": ["1.0.0", "1.1.0", "2.0.0", "2.0.1"]}"#
            .write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try runTags(["1.1.1", "--existing", file.path])
        #expect(r.status == 0)
        #expect(r.stdout == "1.1.1\n1.1\n1\n")
        #expect(r.stderr == "skipped latest: 2.0.1 is newer\n")
    }

    @Test func existingPatchTagIsExitOne() throws {
        let r = try runTags(["2.0.1", "--existing", "-"], stdin: #"["1.0.0", "2.0.1"]"#)
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("tag 2.0.1 already exists; patch tags are immutable"))
        let allowed = try runTags(["2.0.1", "--existing", "-", "--allow-overwrite"], stdin: #"["1.0.0", "2.0.1"]"#)
        #expect(allowed.status == 0)
        #expect(allowed.stdout == "2.0.1\n2.0\n2\nlatest\n")
    }

    @Test(arguments: [
        (["1.2"], "patch version is missing"),
        (["01.2.3"], "major version `01` must not have a leading zero"),
        (["1.2.3-"], "pre-release after `-` is empty"),
        (["1.2.3-01"], "pre-release identifier `01`"),
        (["latest"], "invalid version `latest`"),
        (["2.1.5", "--prefix", "-v"], "tag `-v2.1.5` must start with a letter, digit or `_`"),
        (["2.1.5", "--image", "nginx:1.25"], "must not carry a tag"),
        (["2.1.5", "--image", "acme/App"], "repository name must be lowercase"),
        (["2.1.5", "--existing", "/nonexistent/imagelint-tags"], "cannot read --existing"),
    ])
    func badInputIsExitTwo(_ arguments: [String], _ message: String) throws {
        let r = try runTags(arguments)
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test func invalidExistingJSONIsExitTwo() throws {
        let r = try runTags(["2.1.5", "--existing", "-"], stdin: #"{"Tags": ["1.0.0""#)
        #expect(r.status == 2)
        #expect(r.stderr.contains("invalid JSON"))
    }

    @Test(arguments: [[], ["2.1.5", "--latest", "sometimes"], ["2.1.5", "--format", "xml"], ["2.1.5", "--bogus"]])
    func usageErrorsAreExit64(_ arguments: [String]) throws {
        #expect(try runTags(arguments).status == 64)
    }

    @Test func csvOfReferencesInImageOrder() throws {
        let r = try runTags(["2.1.5", "--image", "ghcr.io/acme/app", "--image", "acme/app", "--format", "csv", "--no-major"])
        #expect(r.status == 0)
        #expect(
            r.stdout
                == "ghcr.io/acme/app:2.1.5,ghcr.io/acme/app:2.1,ghcr.io/acme/app:latest,acme/app:2.1.5,acme/app:2.1,acme/app:latest\n"
        )
    }

    @Test func jsonOutput() throws {
        let r = try runTags(
            ["v1.1.1+build.7", "--existing", "-", "--image", "localhost:5000/app", "--format", "json"],
            stdin: "1.0.0\n1.1.0\n2.0.0\n2.0.1\n")
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty)
        #expect(r.stdout.hasPrefix("{\n  \"version\": \"1.1.1+build.7\",\n  \"prerelease\": false,\n"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["version"] as? String == "1.1.1+build.7")
        #expect(json["prerelease"] as? Bool == false)
        #expect(json["tags"] as? [String] == ["1.1.1", "1.1", "1"])
        #expect(json["references"] as? [String] == ["localhost:5000/app:1.1.1", "localhost:5000/app:1.1", "localhost:5000/app:1"])
        #expect(json["skipped"] as? [[String: String]] == [["tag": "latest", "reason": "2.0.1 is newer"]])
    }

    @Test func jsonForAPrerelease() throws {
        let r = try runTags(["2.1.5-rc.1", "--prerelease-tag", "next", "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["prerelease"] as? Bool == true)
        #expect(json["tags"] as? [String] == ["2.1.5-rc.1", "next"])
        #expect(json["references"] as? [String] == [])
    }

    @Test func helpHasExamplesAndExitCodes() throws {
        let r = try runTags(["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("EXAMPLES"))
        #expect(r.stdout.contains("--prerelease-tag"))
        #expect(r.stdout.contains("patch tags are immutable") || r.stdout.contains("patch tag already exists"))
    }
}

private struct TagsRun {
    let status: Int32
    let stdout: String
    let stderr: String
}

private func runTags(_ arguments: [String], stdin: String? = nil) throws -> TagsRun {
    let binary = URL(fileURLWithPath: TestPaths.imagelint)
    guard FileManager.default.isExecutableFile(atPath: binary.path) else {
        Issue.record("\(binary.path) is missing; run `swift build` first")
        return TagsRun(status: -1, stdout: "", stderr: "")
    }
    let r = try ProcessRunner.run(binary.path, ["tags"] + arguments, stdin: stdin)
    return TagsRun(status: r.status, stdout: r.stdout, stderr: r.stderr)
}
