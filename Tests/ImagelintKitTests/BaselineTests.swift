import Foundation
import ImagelintCore
import ImagelintKit
import Testing

/// The baseline matches by rule, file and reference, never by line; stale entries are counted; the file is
/// sorted, stable JSON.
@Suite struct BaselineTests {
    static let manifest = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          template:
            spec:
              containers:
                - name: web
                  image: nginx:latest
                - name: cache
                  image: redis:7.2
                - name: again
                  image: nginx:latest

        """

    static func findings(_ text: String, _ name: String = "deploy.yaml") -> [Finding] {
        Pipeline.lint(contents: Array(text.utf8), filename: name, options: LintOptions()).findings
    }

    @Test func survivesLinesInsertedAboveEveryFinding() throws {
        var baseline = Baseline()
        let before = Self.findings(Self.manifest)
        #expect(before.count >= 5)
        for f in before { baseline.record(f) }
        // A comment line inserted above every line of the file: every finding moves.
        let moved = Self.manifest.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "# edited\n" + $0 }.joined(separator: "\n")
        let after = Self.findings(moved)
        #expect(after.map(\.span.line) != before.map(\.span.line))
        let reloaded = try Self.roundTrip(baseline)
        var b = reloaded
        let new = after.filter { !b.absorb($0) }
        #expect(new.isEmpty)
        #expect(b.remaining == 0)
    }

    @Test func newFindingsAndStaleEntries() throws {
        var baseline = Baseline()
        for f in Self.findings(Self.manifest) { baseline.record(f) }
        // One nginx:latest fixed, one new image added.
        let edited = Self.manifest.replacingOccurrences(of: "        - name: again\n          image: nginx:latest\n", with: "")
            + "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: alpine:latest\n"
        #expect(!edited.contains("again"))
        var b = try Self.roundTrip(baseline)
        let new = Self.findings(edited).filter { !b.absorb($0) }
        #expect(Set(new.map(\.image)) == ["alpine:latest"])
        #expect(b.remaining > 0)
    }

    @Test func fileIsSortedAndStable() throws {
        var a = Baseline()
        var b = Baseline()
        let fs = Self.findings(Self.manifest) + Self.findings("FROM nginx:latest\n", "Dockerfile")
        for f in fs { a.record(f) }
        for f in fs.reversed() { b.record(f) }
        #expect(a.json == b.json)
        #expect(a.json.contains("\"count\": 2"))
        let files = a.json.split(separator: "\n").filter { $0.contains("\"file\"") }
        #expect(files == files.sorted())
        #expect(try Self.roundTrip(a).json == a.json)
    }

    static func roundTrip(_ b: Baseline) throws -> Baseline {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("baseline-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try b.write(to: path)
        return try Baseline.load(path: path)
    }
}
