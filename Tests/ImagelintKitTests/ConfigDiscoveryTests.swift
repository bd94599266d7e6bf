import Foundation
import ImagelintCore
import ImagelintKit
import Testing

/// Configuration that follows the files: nearest file up to the project root, nested files merged (maps merge,
/// lists replace, `inherit: false`), `overrides:` by files and images (later entries win).
@Suite struct ConfigDiscoveryTests {
    /// Writes `files` (path → content) under a fresh project root (with `.git`) and lints `paths` in it.
    static func lint(_ files: [String: String], paths: [String] = ["."], discover: Bool = true) throws -> [String] {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("imagelint-config-" + UUID().uuidString).path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/.git", withIntermediateDirectories: true)
        for (path, content) in files {
            let full = root + "/" + path
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try content.write(toFile: full, atomically: true, encoding: .utf8)
        }
        var options = LintOptions()
        options.discoverConfiguration = discover
        options.paths = paths.map { root + "/" + $0 }
        let report = Pipeline.lint(options)
        return report.findings.filter { !$0.isSuppressed }.map {
            var file = String($0.file.dropFirst(root.count + 1))
            if file.hasPrefix("./") { file.removeFirst(2) }
            return file + ":\($0.span.line):" + $0.rule
        }.sorted()
    }

    static let rootConfig = """
        rules:
          unpinned-base: off
          missing-digest: off
        registries:
          allowed: [docker.io/library, ghcr.io/acme]
        """

    @Test func nestedMergesMapsAndReplacesLists() throws {
        let found = try Self.lint([
            ".imagelint.yml": Self.rootConfig,
            "svc/.imagelint.yml": "rules:\n  latest-tag: off\nregistries:\n  allowed: [registry.acme.io]\n",
            "svc/Dockerfile": "FROM nginx:latest\n",
            "other/Dockerfile": "FROM nginx:latest\n",
        ])
        // svc: latest-tag off (map merged, unpinned-base still off), allowed replaced (nginx now untrusted).
        #expect(found == ["other/Dockerfile:1:latest-tag", "svc/Dockerfile:1:untrusted-registry"])
    }

    @Test func inheritFalseStartsAfresh() throws {
        let found = try Self.lint([
            ".imagelint.yml": Self.rootConfig,
            "svc/.imagelint.yml": "inherit: false\nrules:\n  latest-tag: off\n",
            "svc/Dockerfile": "FROM nginx:latest\n",
        ])
        #expect(found == ["svc/Dockerfile:1:unpinned-base"])
    }

    @Test func linkingOneFileFindsItsOwnConfiguration() throws {
        let files = [
            ".imagelint.yml": Self.rootConfig,
            "svc/.imagelint.yml": "rules:\n  latest-tag: info\n",
            "svc/Dockerfile": "FROM nginx:latest\n",
        ]
        // As pre-commit passes it: the file alone.
        #expect(try Self.lint(files, paths: ["svc/Dockerfile"]) == ["svc/Dockerfile:1:latest-tag"])
        #expect(try Self.lint(files, paths: ["svc/Dockerfile"]) == Self.lint(files, paths: ["."]))
    }

    @Test func overridesByFilesAndImagesLaterEntriesWin() throws {
        let config = Self.rootConfig + """

            overrides:
              - files: ['legacy/**']
                rules:
                  latest-tag: off
              - images: ['bitnami/*']
                rules:
                  floating-tag: off
                registries:
                  allowed: [docker.io]
              - files: ['legacy/keep/**']
                rules:
                  latest-tag: error
            """
        let found = try Self.lint([
            ".imagelint.yml": config,
            "legacy/Dockerfile": "FROM nginx:latest\n",
            "legacy/keep/Dockerfile": "FROM nginx:latest\n",
            "app/Dockerfile": "FROM bitnami/redis:7.2\nFROM nginx:1.25\n",
        ])
        #expect(found == [
            "app/Dockerfile:2:floating-tag",
            "legacy/keep/Dockerfile:1:latest-tag",
        ])
    }

    @Test func badKeyInAnOverrideIsReportedWithItsPosition() throws {
        let text = "overrides:\n  - files: ['a/**']\n    rulez:\n      latest-tag: off\n"
        #expect(throws: ConfigError.self) { try ConfigLoader.parse(Array(text.utf8), file: ".imagelint.yml") }
        do {
            _ = try ConfigLoader.parse(Array(text.utf8), file: ".imagelint.yml")
        } catch {
            #expect(error.line == 3 && error.message.contains("did you mean `overrides[].rules`"))
        }
        let noSelector = "overrides:\n  - rules:\n      latest-tag: off\n"
        #expect(throws: ConfigError.self) { try ConfigLoader.parse(Array(noSelector.utf8), file: ".imagelint.yml") }
    }

    @Test func withoutDiscoveryOnlyTheGivenConfigurationApplies() throws {
        let found = try Self.lint(
            ["svc/.imagelint.yml": "rules:\n  latest-tag: off\n", "svc/Dockerfile": "FROM nginx:latest\n"], discover: false)
        #expect(found == ["svc/Dockerfile:1:latest-tag", "svc/Dockerfile:1:unpinned-base"])
    }
}
