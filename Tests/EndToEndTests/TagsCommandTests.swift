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
        #expect(r.stderr.contains("--existing (stdin): line 1: not a tag list"), "\(r.stderr)")
    }

    /// A failed listing redirected into the file never reads as "no tags": exit 2, the line named, nothing printed.
    @Test(arguments: [
        ("<html>401 Unauthorized</html>\n", "line 1: `<html>401 Unauthorized</html>` is not a tag"),
        ("FATA[0000] Error listing repository tags: unauthorized: authentication required\n", "line 1: `FATA[0000]"),
        ("1.0.0\nsomething went wrong\n", "line 2: `something went wrong` is not a tag"),
        (#"{"errors": [{"code": "DENIED", "message": "requested access to the resource is denied"}]}"#, "line 1: a registry error"),
        ("\n  \n", "line 1: only whitespace"),
    ])
    func garbageExistingIsExitTwo(_ text: String, _ message: String) throws {
        let r = try runTags(["1.0.1", "--existing", "-"], stdin: text)
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test func emptyExistingIsNoTagsYet() throws {
        let r = try runTags(["1.0.1", "--existing", "/dev/null"])
        #expect(r.status == 0)
        #expect(r.stdout == "1.0.1\n1.0\n1\nlatest\n")
    }

    @Test(arguments: [
        ["2.1.5", "--latest", "sometimes"], ["2.1.5", "--format", "xml"], ["2.1.5", "--bogus"],
        ["2.1.5", "--ref", "refs/tags/2.1.5"], ["2.1.5", "--existing", "-", "--existing-from", "x/y"],
        ["2.1.5", "--calver-year"], ["2.1.5", "--dry-run"], ["2.1.5", "--push", "x/y:1"],
        ["2.1.5", "--image", "x/y", "--push", "x/y:1", "--existing-from", "x/y"], ["2.1.5", "--tags-page-size", "0"],
        ["2.1.5", "--scheme", "pep440"],
    ])
    func usageErrorsAreExit64(_ arguments: [String]) throws {
        #expect(try runTags(arguments).status == 64)
    }

    @Test func noVersionAndNoCIEnvironmentIsExitTwo() throws {
        let r = try runTags([])
        #expect(r.status == 2)
        #expect(r.stderr.contains("looked for GITHUB_REF, GITHUB_SHA, CI_COMMIT_TAG"), "\(r.stderr)")
    }

    @Test(arguments: [
        (["GITHUB_REF": "refs/tags/v3.2.1", "GITHUB_SHA": "0a1b2c3d4e5f"], "3.2.1\n3.2\n3\nlatest\nsha-0a1b2c3\n"),
        (["GITHUB_REF": "refs/pull/12/merge", "GITHUB_SHA": "0a1b2c3d4e5f"], "pr-12\nsha-0a1b2c3\n"),
        (["CI_COMMIT_BRANCH": "main", "CI_COMMIT_SHA": "0a1b2c3d4e5f"], "main\nedge\nsha-0a1b2c3\n"),
        (["CI_MERGE_REQUEST_IID": "8"], "pr-8\n"),
    ])
    func refFromTheCIEnvironment(_ env: [String: String], _ expected: String) throws {
        let r = try runTags([], env: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == expected)
    }

    @Test func githubFormatAppendsOutputsAndPrintsTheTags() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("imagelint-gh-\(UUID().uuidString)")
        try "earlier=1\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let env = ["GITHUB_OUTPUT": file.path, "GITHUB_REF": "refs/tags/v1.2.3", "GITHUB_SHA": "0a1b2c3d4e5f",
                   "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/app", "SOURCE_DATE_EPOCH": "0"]
        let r = try runTags(["--image", "ghcr.io/acme/app", "--format", "github", "--no-major"], env: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "ghcr.io/acme/app:1.2.3\nghcr.io/acme/app:1.2\nghcr.io/acme/app:latest\nghcr.io/acme/app:sha-0a1b2c3\n")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.hasPrefix("earlier=1\ntags<<ghadelimiter_"))
        let lines = text.components(separatedBy: "\n")
        // Each value: NAME<<D, the lines, D; D is random and appears nowhere else.
        var names: [String] = []
        var i = 1
        while i < lines.count - 1 {
            let head = lines[i].components(separatedBy: "<<")
            #expect(head.count == 2)
            names.append(head[0])
            let end = try #require(lines[(i + 1)...].firstIndex(of: head[1]))
            #expect(text.components(separatedBy: head[1]).count == 3)
            if head[0] == "labels" {
                #expect(Array(lines[(i + 1)..<end]) == [
                    "org.opencontainers.image.created=1970-01-01T00:00:00Z",
                    "org.opencontainers.image.revision=0a1b2c3d4e5f",
                    "org.opencontainers.image.source=https://github.com/acme/app",
                    "org.opencontainers.image.version=1.2.3",
                ])
            }
            if head[0] == "version" { #expect(lines[i + 1] == "1.2.3" && end == i + 2) }
            i = end + 1
        }
        #expect(names == ["tags", "labels", "annotations", "version", "json"])
        #expect(lines.last == "")

        let unset = try runTags(["1.0.0", "--format", "github"], env: ["GITHUB_OUTPUT": ""])
        #expect(unset.status == 2 && unset.stderr.contains("GITHUB_OUTPUT"))
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

/// The CI variables `tags` reads, emptied so the test's own CI does not leak in.
private let ciVariables = [
    "GITHUB_REF", "GITHUB_SHA", "GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "CI_COMMIT_TAG", "CI_COMMIT_BRANCH",
    "CI_MERGE_REQUEST_IID", "CI_COMMIT_SHA", "CI_DEFAULT_BRANCH", "CI_PROJECT_URL",
]

private func runTags(_ arguments: [String], stdin: String? = nil, env: [String: String] = [:]) throws -> TagsRun {
    let binary = URL(fileURLWithPath: TestPaths.imagelint)
    guard FileManager.default.isExecutableFile(atPath: binary.path) else {
        Issue.record("\(binary.path) is missing; run `swift build` first")
        return TagsRun(status: -1, stdout: "", stderr: "")
    }
    var environment = Dictionary(uniqueKeysWithValues: ciVariables.map { ($0, "") })
    for (k, v) in env { environment[k] = v }
    let r = try ProcessRunner.run(binary.path, ["tags"] + arguments, stdin: stdin, env: environment)
    return TagsRun(status: r.status, stdout: r.stdout, stderr: r.stderr)
}
