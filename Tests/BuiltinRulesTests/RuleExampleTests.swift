import Foundation
import BuiltinRules
import ImagelintCore
import ImagelintKit
import Testing

/// Every rule's examples are its tests: triggering examples report the rule exactly at the `↓` markers,
/// non-triggering ones never report it, and each triggering example is silenced by an ignore comment.
@Suite struct RuleExampleTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let rule: RuleDescription
        let index: Int
        var example: RuleExample { rule.examples[index] }
        var testDescription: String { "\(rule.id) example \(index + 1) (\(example.triggers ? "reported" : "not reported"))" }
    }

    static let cases: [Case] = BuiltinRules.descriptions.flatMap { r in r.examples.indices.map { Case(rule: r, index: $0) } }

    /// (line, column) of each marker, in Unicode scalars, and the text without markers.
    static func markers(in content: String) -> (text: String, positions: [Position]) {
        var positions: [Position] = []
        var text = ""
        var line = 1
        var column = 1
        for scalar in content.unicodeScalars {
            if Character(scalar) == RuleExample.marker {
                positions.append(Position(line: line, column: column))
                continue
            }
            text.unicodeScalars.append(scalar)
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (text, positions)
    }

    struct Position: Hashable, Comparable, CustomStringConvertible {
        var line: Int
        var column: Int
        static func < (a: Position, b: Position) -> Bool { (a.line, a.column) < (b.line, b.column) }
        var description: String { "\(line):\(column)" }
    }

    static func lint(_ text: String, _ example: RuleExample, noIgnore: Bool = false) throws -> LintReport {
        var options = LintOptions()
        if let config = example.config {
            options.configuration = try ConfigLoader.parse(Array(config.utf8), file: ".imagelint.yml")
        }
        options.noIgnore = noIgnore
        options.jobs = 1
        if let registry = example.registry {
            options.configuration.online = true
            options.registryFacts = registry
        }
        return Pipeline.lint(contents: Array(text.utf8), filename: example.filename, options: options)
    }

    @Test(arguments: cases)
    func example(_ c: Case) throws {
        let (text, expected) = Self.markers(in: c.example.content)
        #expect(c.example.triggers == !expected.isEmpty, "a triggering example needs a ↓ marker, others none")
        let report = try Self.lint(text, c.example)
        let found = report.findings.filter { $0.rule == c.rule.id && !$0.isSuppressed }.map { Position(line: $0.span.line, column: $0.span.column) }
        #expect(
            Set(found) == Set(expected),
            "expected \(c.rule.id) at \(expected.sorted()), found \(found.sorted()); all findings: \(report.findings.map { "\($0.rule)@\($0.span.line):\($0.span.column) \($0.message)" })"
        )
        #expect(found.count == expected.count, "each marker is reported once")
    }

    @Test(arguments: cases.filter { $0.example.triggers })
    func triggeringExampleIsSuppressedByItsIgnoreComment(_ c: Case) throws {
        let (text, expected) = Self.markers(in: c.example.content)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let isYAML = c.example.filename.hasSuffix(".yaml") || c.example.filename.hasSuffix(".yml")
        let lineLevel = c.rule.id != "invalid-suppression" && c.rule.id != "parse-error"
        if lineLevel {
            // One comment directly above each anchor: the image line in YAML, the instruction's first line in a
            // Dockerfile (walk up over continuation lines).
            for p in expected.sorted().reversed() {
                var anchor = p.line
                if !isYAML {
                    while anchor > 1, lines[anchor - 2].hasSuffix("\\") { anchor -= 1 }
                    if lines[anchor - 1].hasPrefix("# syntax") {
                        lines.insert("# imagelint ignore-file=\(c.rule.id)", at: lines.count - 1)
                        continue
                    }
                }
                let indent = String(lines[anchor - 1].prefix { $0 == " " })
                lines.insert("\(indent)# imagelint ignore=\(c.rule.id) -- example", at: anchor - 1)
            }
        } else {
            lines.append("# imagelint ignore-file=\(c.rule.id)")
        }
        let suppressed = lines.joined(separator: "\n")
        let report = try Self.lint(suppressed, c.example)
        let left = report.findings.filter { $0.rule == c.rule.id && !$0.isSuppressed }
        #expect(left.isEmpty, "still reported after the ignore comment:\n\(suppressed)\n\(left.map(\.message))")
        // --no-ignore brings them back.
        // (Not for unused-suppression: with --no-ignore no suppression is used, so none is reported unused.)
        guard c.rule.id != "unused-suppression" else { return }
        let audited = try Self.lint(suppressed, c.example, noIgnore: true)
        #expect(!audited.findings.filter { $0.rule == c.rule.id }.isEmpty, "--no-ignore must show suppressed findings")
    }

    @Test func everyRuleHasEnoughExamples() {
        for r in BuiltinRules.descriptions {
            #expect(r.examples.filter(\.triggers).count >= 3, "\(r.id) needs 3 triggering examples")
            #expect(r.examples.filter { !$0.triggers }.count >= 3, "\(r.id) needs 3 non-triggering examples")
        }
    }

    @Test func ruleIdsAreUniqueKebabCase() {
        let ids = BuiltinRules.descriptions.map(\.id)
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.allSatisfy { $0 == "-" || ($0.isLetter && $0.isLowercase) }, "\(id) is not kebab-case")
        }
    }

    /// Adding a rule means adding one file under Rules/ and listing it: every rule file is registered.
    @Test func everyRuleFileIsRegistered() throws {
        let rulesDir = String(#filePath).replacingOccurrences(of: "Tests/BuiltinRulesTests/RuleExampleTests.swift", with: "Rules")
        let files = try FileManager.default.contentsOfDirectory(atPath: rulesDir)
        let ruleFiles = files.filter { $0.hasSuffix(".swift") && $0 != "BuiltinRules.swift" && $0 != "ExampleFiles.swift" }
        #expect(ruleFiles.count == BuiltinRules.all.count, "rule files \(ruleFiles.sorted()) vs registered \(BuiltinRules.all.count)")
    }
}
