import BuiltinRules
import Foundation
import ImagelintCore
import ImagelintKit
import Testing

/// Every rule example again, as the house style asks (STYLE.md: multi-byte text before the reference, CRLF line
/// endings, a BOM): with CRLF line endings, with a UTF-8 BOM, with multi-byte text on an earlier line, and (in a
/// Dockerfile) with multi-byte text before the reference on the same line. Each variant must report exactly the
/// findings and diagnostics of the plain example, at the same places shifted by what was added, where columns
/// count Unicode scalars and a BOM is not counted (README "Columns count Unicode scalars"; SourceText).
@Suite struct RuleExampleVariantTests {
    /// Multi-byte text: two-byte (ñ, ú), three-byte (日本, —) and four-byte (🐳) UTF-8 sequences.
    static let multiByte = "ñandú 日本 — 🐳"

    enum Variant: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case crlf, bom, multiByteEarlierLine, multiByteSameLine
        var testDescription: String { rawValue }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let rule: RuleDescription
        let index: Int
        var example: RuleExample { rule.examples[index] }
        var testDescription: String { "\(rule.id) example \(index + 1)" }
    }

    static let cases: [Case] = RuleExampleTests.cases.map { Case(rule: $0.rule, index: $0.index) }

    /// A place in the plain text and where it lands in the variant.
    struct Place: Hashable, Comparable, CustomStringConvertible {
        var rule: String
        var line: Int, column: Int, endLine: Int, endColumn: Int
        static func < (a: Place, b: Place) -> Bool {
            (a.line, a.column, a.endLine, a.endColumn, a.rule) < (b.line, b.column, b.endLine, b.endColumn, b.rule)
        }
        var description: String { "\(rule)@\(line):\(column)-\(endLine):\(endColumn)" }
    }

    /// The variant's text and how a (line, column) of the plain text moves; nil when the variant does not apply
    /// to this example (no line to put multi-byte text on).
    struct Transformed {
        var text: String
        var move: (Int, Int) -> (Int, Int)
    }

    static func isYAML(_ filename: String) -> Bool { filename.hasSuffix(".yaml") || filename.hasSuffix(".yml") }

    static func transform(_ text: String, _ variant: Variant, filename: String) -> Transformed? {
        switch variant {
        case .crlf:
            return Transformed(text: text.replacingOccurrences(of: "\n", with: "\r\n")) { ($0, $1) }
        case .bom:
            return Transformed(text: "\u{FEFF}" + text) { ($0, $1) }
        case .multiByteEarlierLine:
            // A comment line of multi-byte text at the top, after a Dockerfile's parser directives (which must
            // come first), so every later line starts at a byte offset that is not its scalar offset.
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var at = 0
            if !isYAML(filename) {
                while at < lines.count, isParserDirective(lines[at]) { at += 1 }
            }
            lines.insert("# " + multiByte, at: at)
            let inserted = at + 1
            return Transformed(text: lines.joined(separator: "\n")) { line, column in
                (line >= inserted ? line + 1 : line, column)
            }
        case .multiByteSameLine:
            // Dockerfiles only: a YAML block scalar has no place before its value that leaves it unchanged (the
            // flow-collection cases are in `multiByteBeforeTheReferenceInYAML`). A `FROM` gets a `--platform`
            // holding multi-byte text (kept as written, never checked offline), a `COPY --from` a `--chown`.
            guard !isYAML(filename) else { return nil }
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var shifts: [Int: (column: Int, by: Int)] = [:]
            for i in lines.indices {
                if i > 0, lines[i - 1].hasSuffix("\\") { continue }  // a continuation, not an instruction
                let line = lines[i]
                let indent = line.prefix { $0 == " " || $0 == "\t" }.count
                let words = line.dropFirst(indent).split(separator: " ", omittingEmptySubsequences: true)
                guard let keyword = words.first?.uppercased() else { continue }
                let insert: String
                if keyword == "FROM", !line.contains("--platform") {
                    insert = "--platform=\(multiByte.replacingOccurrences(of: " ", with: "_")) "
                } else if keyword == "COPY", line.contains("--from="), !line.contains("--chown") {
                    insert = "--chown=\(multiByte.replacingOccurrences(of: " ", with: "_")) "
                } else {
                    continue
                }
                // After the keyword and the blanks that follow it.
                let afterKeyword = line.index(line.startIndex, offsetBy: indent + keyword.count)
                guard let start = line[afterKeyword...].firstIndex(where: { $0 != " " && $0 != "\t" }), start > afterKeyword else {
                    continue  // a FROM with nothing after it stays as it is
                }
                lines[i] = String(line[..<start]) + insert + String(line[start...])
                let column = line[..<start].unicodeScalars.count + 1
                shifts[i + 1] = (column, insert.unicodeScalars.count)
            }
            guard !shifts.isEmpty else { return nil }
            return Transformed(text: lines.joined(separator: "\n")) { line, column in
                guard let s = shifts[line], column >= s.column else { return (line, column) }
                return (line, column + s.by)
            }
        }
    }

    /// `# syntax=…`, `# escape=…`, `# check=…` on the first lines of a Dockerfile.
    static func isParserDirective(_ line: String) -> Bool {
        guard line.hasPrefix("#") else { return false }
        let body = line.dropFirst().drop { $0 == " " }
        guard let eq = body.firstIndex(of: "=") else { return false }
        let key = body[..<eq].trimmingCharacters(in: .whitespaces)
        return !key.isEmpty && key.allSatisfy { $0.isLetter }
    }

    static func places(_ report: LintReport) -> [Place] {
        report.findings.map {
            Place(rule: $0.rule, line: $0.span.line, column: $0.span.column, endLine: $0.span.endLine, endColumn: $0.span.endColumn)
        }.sorted()
    }

    @Test(arguments: cases, Variant.allCases)
    func variantReportsTheSameFindingsShifted(_ c: Case, _ variant: Variant) throws {
        let (text, _) = RuleExampleTests.markers(in: c.example.content)
        guard let t = Self.transform(text, variant, filename: c.example.filename) else { return }
        let plain = try RuleExampleTests.lint(text, c.example)
        let varied = try RuleExampleTests.lint(t.text, c.example)

        let expected = Self.places(plain).map { p -> Place in
            let (l, col) = t.move(p.line, p.column)
            let (el, ec) = t.move(p.endLine, p.endColumn)
            return Place(rule: p.rule, line: l, column: col, endLine: el, endColumn: ec)
        }.sorted()
        let found = Self.places(varied)
        #expect(found == expected, "\(variant) of \(c.rule.id) example \(c.index + 1):\n\(t.text)")

        let plainDiagnostics = plain.diagnostics.map { d -> String in
            let (l, col) = t.move(d.line, d.column)
            return "\(l):\(col) \(d.message)"
        }
        #expect(varied.diagnostics.map { "\($0.line):\($0.column) \($0.message)" } == plainDiagnostics, "\(variant)")
        // The examples that report, still report (a variant must not silently lose the example's point).
        if c.example.triggers {
            #expect(found.contains { $0.rule == c.rule.id }, "\(variant): \(c.rule.id) no longer reported")
        }
    }

    /// The same-line variant must not be vacuous: most Dockerfile examples have a `FROM` to put text on.
    @Test func sameLineVariantCoversTheDockerfileExamples() {
        let dockerfiles = Self.cases.filter { !Self.isYAML($0.example.filename) }
        let covered = dockerfiles.filter {
            Self.transform(RuleExampleTests.markers(in: $0.example.content).text, .multiByteSameLine, filename: $0.example.filename) != nil
        }
        #expect(dockerfiles.count > 20 && covered.count * 10 >= dockerfiles.count * 8, "\(covered.count) of \(dockerfiles.count)")
    }

    /// YAML: multi-byte text before the reference on the same line, in flow collections (the only place YAML
    /// leaves for it), through each YAML front end. The column counts Unicode scalars. A kustomize entry's tag
    /// finding points at its `newTag` (here its resources are not at hand, so the entry is checked as written),
    /// so `spanText` is what the span must cover.
    @Test(arguments: [
        ("deploy.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: \"ñandú-日本-🐳\", image: ↓nginx:latest}]\n", "nginx:latest"),
        ("deploy.yaml", "# ñandú 日本 🐳\napiVersion: v1\nkind: Pod\nmetadata: {name: \"ñandú\"}\nspec:\n  containers:\n    - {name: \"🐳\", image: \"↓nginx:latest\"}\n", "nginx:latest"),
        ("compose.yaml", "services:\n  web: {labels: {note: \"ñandú 日本 🐳\"}, image: ↓nginx:latest}\n", "nginx:latest"),
        ("kustomization.yaml", "resources: [deploy.yaml]\nimages: [{name: ñandú-🐳, newTag: v1}, {name: app, newName: nginx, newTag: ↓latest}]\n", "latest"),
        ("kustomization.yaml", "resources: [deploy.yaml]\nnamePrefix: ñandú-🐳-\nimages: [{newName: nginx, newTag: \"↓latest\", name: \"ñandú\"}]\n", "latest"),
    ])
    func multiByteBeforeTheReferenceInYAML(_ filename: String, _ content: String, _ spanText: String) throws {
        let (text, expected) = RuleExampleTests.markers(in: content)
        for variant in ["plain", "crlf", "bom"] {
            let varied = variant == "crlf" ? text.replacingOccurrences(of: "\n", with: "\r\n") : variant == "bom" ? "\u{FEFF}" + text : text
            let report = Pipeline.lint(contents: Array(varied.utf8), filename: filename, options: LintOptions())
            let latest = report.findings.filter { $0.rule == "latest-tag" }
            let found = latest.map { RuleExampleTests.Position(line: $0.span.line, column: $0.span.column) }
            #expect(found == expected, "\(variant) \(filename): \(report.findings.map { "\($0.rule)@\($0.span.line):\($0.span.column)" }) \(report.diagnostics.map(\.message))")
            // The span covers the reference's text, scalar for scalar.
            if let f = latest.first {
                // By scalars: in a Swift String, "\r\n" is one Character.
                let lines = varied.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
                var scalars = Array(lines[f.span.line - 1])
                if scalars.last == "\r" { scalars.removeLast() }
                if f.span.line == 1, scalars.first == "\u{FEFF}" { scalars.removeFirst() }
                let range = min(f.span.column - 1, scalars.count)..<min(f.span.endColumn - 1, scalars.count)
                let cut = String(String.UnicodeScalarView(scalars[range]))
                #expect(cut == spanText, "\(variant) \(filename): span text `\(cut)`")
            }
        }
    }
}
