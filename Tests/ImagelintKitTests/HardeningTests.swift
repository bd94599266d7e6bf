import Foundation
import ImagelintCore
import ImagelintKit
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Issue 13 (hardening): each hostile input is generated here, at a size that shows the bound. Bounds are
/// shown by sizes (occurrences, output bytes, diagnostics), not by time.
@Suite(.serialized) struct HardeningTests {
    typealias Scratch = RobustnessTests.Scratch

    static func lint(_ paths: [String], configure: (inout LintOptions) -> Void = { _ in }) -> LintReport {
        var options = LintOptions()
        options.paths = paths
        options.jobs = 2
        configure(&options)
        return Pipeline.lint(options)
    }

    // MARK: 1. Alias amplification

    /// `kind: List` of 600 aliased pods of 300 aliased containers: 180,000 containers from 3 KB.
    static func aliasedList(pods: Int = 600, containers: Int = 300) -> String {
        "apiVersion: v1\nkind: List\nc: &c {name: x, image: nginx}\npod: &pod {apiVersion: v1, kind: Pod, spec: {containers: ["
            + Array(repeating: "*c", count: containers).joined(separator: ", ") + "]}}\nitems: ["
            + Array(repeating: "*pod", count: pods).joined(separator: ", ") + "]\n"
    }

    @Test func aliasAmplificationIsBoundedPerFile() throws {
        let scratch = try Scratch()
        // Before: 180,000 references per document (3.2 s, 287 MB for one; 20 took 79 s and 5.5 GB).
        let file = try scratch.write("list.yaml", (0..<3).map { _ in Self.aliasedList() }.joined(separator: "---\n"))
        let report = Self.lint([file])
        #expect(report.summary.references == 0)
        #expect(report.diagnostics.count == 3)
        #expect(report.diagnostics.allSatisfy { $0.message.contains("alias bomb") }, "\(report.diagnostics)")
    }

    @Test func occurrencesPerFileAreCapped() throws {
        let scratch = try Scratch()
        // Every image written out (no alias): 25,000 containers in one pod spec.
        var text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        for i in 0..<25_000 { text += "  - {name: c\(i), image: nginx}\n" }
        let file = try scratch.write("many.yaml", text)
        let report = Self.lint([file])
        #expect(report.summary.references == 20_000)
        let note = try #require(report.diagnostics.first { $0.message.contains("image references") })
        #expect(note.message == "more than 20000 image references in this file; the other 5000 are not checked")
        #expect(note.line == 20_006)
    }
}
