import Foundation
import Testing
import TestSupport

/// The binary SwiftPM built for this test run (beside the test bundle). The test builds nothing: `swift test`
/// builds every product first.
private let binary = URL(fileURLWithPath: TestPaths.imagelint)

private struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

private func imagelint(_ arguments: [String]) throws -> Run {
    try #require(
        FileManager.default.isExecutableFile(atPath: binary.path), "no binary at \(binary.path): run `swift build` first")
    let r = try ProcessRunner.run(binary.path, arguments)
    return Run(status: r.status, stdout: r.stdout, stderr: r.stderr)
}

private let mixed = ["nginx", "localhost:5000/app", "MyOrg/App:1", "alpine@sha256:abc", "${IMG}"]

@Suite struct RefCommandTests {
    @Test func textVerdicts() throws {
        let run = try imagelint(["ref"] + mixed)
        #expect(run.status == 1)
        let blocks = run.stdout.components(separatedBy: "\n\n").map { $0.hasSuffix("\n") ? $0 : $0 + "\n" }
        try #require(blocks.count == 5, "one block per input, separated by one blank line:\n\(run.stdout)")

        #expect(blocks[0].hasPrefix("nginx\n"))
        #expect(blocks[0].contains("  status               valid\n"))
        #expect(blocks[0].contains("  normalized           docker.io/library/nginx\n"))
        #expect(blocks[0].contains("  familiar             nginx\n"))
        #expect(blocks[0].contains("  implied tag          latest\n"))
        #expect(blocks[0].contains("  default pull policy  Always\n"))

        #expect(blocks[1].contains("  registry             localhost:5000\n"))
        #expect(blocks[1].contains("  repository           app\n"))
        #expect(blocks[1].contains("  tag                  (none)\n"))

        // An uppercase first component is a registry (`MyOrg`), leaving the uppercase path `App`.
        #expect(blocks[2].contains("  status               invalid\n"))
        #expect(blocks[2].contains("repository name must be lowercase: `MyOrg/App`"))

        #expect(blocks[3].contains("sha256 digest must have 64 hex characters, found 3"))

        #expect(blocks[4].contains("  status               unresolved\n"))
        #expect(blocks[4].contains("variable `${IMG}`"))
    }

    @Test func jsonVerdicts() throws {
        let run = try imagelint(["ref", "--format", "json"] + mixed)
        #expect(run.status == 1)
        let parsed = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
        let items = try #require(parsed as? [[String: Any]])
        try #require(items.count == 5)

        // Key order: the required keys first, in this order.
        let required = [
            "input", "valid", "error", "domain", "path", "tag", "digest", "normalized", "familiar", "unresolved",
            "defaultPullPolicy",
        ]
        let firstObject = try #require(run.stdout.components(separatedBy: "}").first)
        let keyOrder = firstObject.split(separator: "\n").compactMap { line -> String? in
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix("\""), let end = t.dropFirst().firstIndex(of: "\"") else { return nil }
            return String(t[t.index(after: t.startIndex)..<end])
        }
        #expect(Array(keyOrder.prefix(required.count)) == required)
        for item in items { #expect(Set(required).isSubset(of: Set(item.keys)), "\(item)") }

        let nginx = items[0]
        #expect(nginx["input"] as? String == "nginx")
        #expect(nginx["valid"] as? Bool == true)
        #expect(nginx["error"] is NSNull)
        #expect(nginx["domain"] as? String == "docker.io")
        #expect(nginx["path"] as? String == "library/nginx")
        #expect(nginx["tag"] is NSNull)
        #expect(nginx["normalized"] as? String == "docker.io/library/nginx")
        #expect(nginx["familiar"] as? String == "nginx")
        #expect(nginx["unresolved"] as? Bool == false)
        #expect(nginx["defaultPullPolicy"] as? String == "Always")

        let local = items[1]
        #expect(local["valid"] as? Bool == true)
        #expect(local["domain"] as? String == "localhost:5000")
        #expect(local["path"] as? String == "app")
        #expect(local["tag"] is NSNull)

        let upper = items[2]
        #expect(upper["valid"] as? Bool == false)
        #expect((upper["error"] as? String)?.contains("repository name must be lowercase") == true)
        #expect(upper["domain"] is NSNull)
        #expect(upper["unresolved"] as? Bool == false)
        #expect(upper["defaultPullPolicy"] is NSNull)

        let digest = items[3]
        #expect(digest["valid"] as? Bool == false)
        #expect(digest["error"] as? String == "sha256 digest must have 64 hex characters, found 3")

        let templated = items[4]
        #expect(templated["valid"] as? Bool == false)
        #expect(templated["unresolved"] as? Bool == true)
        #expect((templated["error"] as? String)?.contains("${IMG}") == true)
    }

    @Test func allValidExitsZero() throws {
        let run = try imagelint(["ref", "nginx:1.25", "ghcr.io/o/a@sha256:" + String(repeating: "a", count: 64)])
        #expect(run.status == 0)
        #expect(run.stdout.contains("  default pull policy  IfNotPresent\n"))
        let json = try imagelint(["ref", "--format", "json", "nginx:1.25"])
        #expect(json.status == 0)
        #expect(json.stdout.hasPrefix("[\n  {\n    \"input\": \"nginx:1.25\",\n"))
    }

    @Test func usageErrorsExit64() throws {
        let none = try imagelint(["ref"])
        #expect(none.status == 64)
        #expect(none.stdout.isEmpty)
        #expect(!none.stderr.isEmpty)
        #expect(try imagelint(["ref", "--format", "yaml", "nginx"]).status == 64)
    }

    @Test func helpHasExamples() throws {
        let run = try imagelint(["ref", "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("EXAMPLES"))
        #expect(run.stdout.contains("values: text, json"))
    }
}
