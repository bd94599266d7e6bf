import Foundation
import ImagelintCore
import Testing

@testable import ReleaseTags

/// Labels, annotations, and the outputs build tools read: JSON, `docker buildx bake` files, `$GITHUB_OUTPUT`.
@Suite("Labels and outputs")
struct OutputTests {
    static let sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"

    static func release(
        _ version: String? = "2.1.5", ref: String? = nil, sha: String? = sha, labels: [String] = [], source: String? = nil,
        env: [String: String] = ["SOURCE_DATE_EPOCH": "1700000000"], now: Int = 0
    ) throws -> Release {
        var i = ReleaseInput()
        i.version = version
        i.ref = ref
        i.sha = sha
        i.labels = labels
        i.source = source
        i.environment = env
        return try Release.resolve(i, now: now)
    }

    static func labels(_ r: Release) -> [String: String] {
        Dictionary(uniqueKeysWithValues: r.metadata.labels.map { ($0.key, $0.value) })
    }

    @Test func ociLabelsFromTheBuild() throws {
        let r = try Self.release(source: "https://github.com/acme/app")
        #expect(r.metadata.annotations == [
            "org.opencontainers.image.created=2023-11-14T22:13:20Z",
            "org.opencontainers.image.revision=" + Self.sha,
            "org.opencontainers.image.source=https://github.com/acme/app",
            "org.opencontainers.image.version=2.1.5",
        ])
    }

    @Test(arguments: [
        (["GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/app"], "https://github.com/acme/app"),
        (["CI_PROJECT_URL": "https://gitlab.example.com/group/app"], "https://gitlab.example.com/group/app"),
        ([:], nil),
    ] as [([String: String], String?)])
    func sourceFromTheEnvironment(_ env: [String: String], _ source: String?) throws {
        let r = try Self.release(env: env, now: 86400 * 365)
        #expect(Self.labels(r)["org.opencontainers.image.source"] == source)
        #expect(Self.labels(r)["org.opencontainers.image.created"] == "1971-01-01T00:00:00Z")
    }

    @Test func sourceOptionWinsOverTheEnvironment() throws {
        let r = try Self.release(source: "https://example.com/x", env: ["CI_PROJECT_URL": "https://gitlab.com/y"])
        #expect(Self.labels(r)["org.opencontainers.image.source"] == "https://example.com/x")
    }

    @Test(arguments: [
        (0, "1970-01-01T00:00:00Z"), (951_782_400, "2000-02-29T00:00:00Z"), (1_700_000_000, "2023-11-14T22:13:20Z"),
        (4_102_444_799, "2099-12-31T23:59:59Z"),
    ])
    func rfc3339(_ seconds: Int, _ text: String) {
        #expect(ImageMetadata.rfc3339(seconds) == text)
    }

    @Test(arguments: ["yesterday", "-5", "1.5"])
    func badSourceDateEpoch(_ value: String) {
        #expect(throws: ReleaseInputError.self) { try Self.release(env: ["SOURCE_DATE_EPOCH": value]) }
    }

    @Test func branchAndPullRequestVersions() throws {
        #expect(Self.labels(try Self.release(nil, ref: "refs/heads/feature/x"))["org.opencontainers.image.version"] == "feature-x")
        #expect(Self.labels(try Self.release(nil, ref: "refs/pull/9/merge"))["org.opencontainers.image.version"] == "pr-9")
        #expect(Self.labels(try Self.release("v3.0.0-rc.1+b.2"))["org.opencontainers.image.version"] == "3.0.0-rc.1")
        #expect(Self.labels(try Self.release(sha: nil))["org.opencontainers.image.revision"] == nil)
    }

    @Test func extraLabelsAreAddedAndMayReplace() throws {
        let r = try Self.release(labels: ["org.opencontainers.image.title=App", "maintainer=ops@acme", "org.opencontainers.image.version=custom", "empty="])
        let l = Self.labels(r)
        #expect(l["org.opencontainers.image.title"] == "App")
        #expect(l["maintainer"] == "ops@acme")
        #expect(l["org.opencontainers.image.version"] == "custom")
        #expect(l["empty"] == "")
        #expect(r.metadata.labels.map(\.key) == r.metadata.labels.map(\.key).sorted())
    }

    @Test(arguments: ["novalue", "=x", "a b=c", "k=line1\nline2"])
    func badLabels(_ label: String) {
        #expect(throws: ReleaseInputError.self) { try Self.release(labels: [label]) }
    }

    @Test func jsonKeepsItsFieldsAndAddsLabels() throws {
        let r = try Self.release()
        let plan = try r.plan(existing: ["3.0.0"])
        let text = ReleaseOutput.json(plan, references: ["x/y:2.1.5"], metadata: r.metadata).serialized()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["version", "prerelease", "tags", "references", "skipped", "labels", "annotations"])
        #expect(object["version"] as? String == "2.1.5")
        #expect(object["tags"] as? [String] == ["2.1.5", "2.1", "2", "sha-9f86d08"])
        #expect((object["labels"] as? [String: String])?["org.opencontainers.image.version"] == "2.1.5")
        #expect((object["annotations"] as? [String])?.count == 3)
    }

    /// The structure `docker buildx bake --print` shows for metadata-action's bake file: one target named
    /// `docker-metadata-action` with `tags` (a list), `labels` (a map of strings) and `annotations` (a list).
    @Test func bakeFileHasTheStructureBakeReads() throws {
        let r = try Self.release(labels: ["a=1"])
        let text = ReleaseOutput.bake(tags: ["ghcr.io/acme/app:2.1.5", "ghcr.io/acme/app:latest"], metadata: r.metadata)
        #expect(text.hasSuffix("}\n"))
        let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Array(root.keys) == ["target"])
        let targets = try #require(root["target"] as? [String: Any])
        #expect(Array(targets.keys) == ["docker-metadata-action"])
        let target = try #require(targets["docker-metadata-action"] as? [String: Any])
        #expect(Set(target.keys) == ["tags", "labels", "annotations"])
        #expect(target["tags"] as? [String] == ["ghcr.io/acme/app:2.1.5", "ghcr.io/acme/app:latest"])
        let labels = try #require(target["labels"] as? [String: String])
        #expect(labels["a"] == "1" && labels["org.opencontainers.image.version"] == "2.1.5")
        let annotations = try #require(target["annotations"] as? [String])
        #expect(annotations.contains("org.opencontainers.image.revision=" + Self.sha))
        #expect(annotations.allSatisfy { $0.contains("=") })
    }

    /// Reads `$GITHUB_OUTPUT` text the way the runner does: `NAME=VALUE` lines, or `NAME<<DELIM` … `DELIM`.
    static func readGitHubOutput(_ text: String) throws -> [String: String] {
        var out: [String: String] = [:]
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if let r = line.range(of: "<<") {
                let name = String(line[..<r.lowerBound]), delimiter = String(line[r.upperBound...])
                var value: [String] = []
                i += 1
                while i < lines.count, lines[i] != delimiter {
                    value.append(lines[i])
                    i += 1
                }
                guard i < lines.count else { throw CocoaError(.fileReadCorruptFile) }
                out[name] = value.joined(separator: "\n")
            } else {
                let parts = line.split(separator: "=", maxSplits: 1)
                out[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
            i += 1
        }
        return out
    }

    @Test func githubOutputUsesTheMultiLineSyntax() throws {
        let r = try Self.release(labels: ["description=Line with <<EOF and = signs"])
        let plan = try r.plan()
        let refs = ReleaseTags.references(images: ["ghcr.io/acme/app"], tags: plan.tags)
        let text = ReleaseOutput.github(ReleaseOutput.githubOutputs(plan, references: refs, metadata: r.metadata))
        let outputs = try Self.readGitHubOutput(text)
        #expect(Set(outputs.keys) == ["tags", "labels", "annotations", "version", "json"])
        #expect(outputs["tags"] == refs.joined(separator: "\n"))
        #expect(outputs["version"] == "2.1.5")
        #expect(outputs["labels"]?.components(separatedBy: "\n").count == 4)
        #expect(outputs["annotations"] == outputs["labels"])
        #expect(outputs["labels"]?.contains("description=Line with <<EOF and = signs") == true)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(outputs["json"]!.utf8)) as? [String: Any])
        #expect(json["references"] as? [String] == refs)

        // Every value uses `NAME<<DELIMITER`; the delimiters are random and distinct.
        let heads = text.components(separatedBy: "\n").filter { $0.contains("<<ghadelimiter_") }
        #expect(heads.count == 5)
        let delimiters = heads.map { $0.components(separatedBy: "<<")[1] }
        #expect(Set(delimiters).count == 5)
        #expect(delimiters.allSatisfy { $0.count == "ghadelimiter_".count + 32 })
    }

    @Test func delimiterNeverOccursInTheValue() {
        // The generator first offers delimiters that occur in the name or value; they are refused.
        let offers = ["EOF", "tags", "", "safe_1", "safe_2"]
        var n = 0
        let text = ReleaseOutput.github([("tags", "a\nEOF\nb"), ("x", "safe_1")]) {
            defer { n += 1 }
            return offers[n]
        }
        #expect(text == "tags<<safe_1\na\nEOF\nb\nsafe_1\nx<<safe_2\nsafe_1\nsafe_2\n")
    }

    @Test func emptyValuesStillParse() throws {
        let text = ReleaseOutput.github([("tags", ""), ("version", "1")], delimiter: { "D" })
        #expect(try Self.readGitHubOutput(text) == ["tags": "", "version": "1"])
    }
}
