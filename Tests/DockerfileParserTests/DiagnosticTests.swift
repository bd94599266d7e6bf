import DockerfileParser
import Foundation
import ImagelintCore
import Testing

struct DiagnosticCase: CustomTestStringConvertible, Sendable {
    var name: String
    var text: String
    /// Expected (line, a fragment of the message).
    var diagnostics: [(Int, String)]
    var images: [String]
    var testDescription: String { name }
}

let diagnosticCases: [DiagnosticCase] = [
    DiagnosticCase(
        name: "unterminated heredoc", text: "FROM a\nRUN <<EOF\necho hi\nFROM evil\n",
        diagnostics: [(2, "unterminated heredoc")], images: ["a"]),
    DiagnosticCase(
        name: "FROM without an argument", text: "FROM\nFROM --platform=linux/amd64\nFROM b\n",
        diagnostics: [(1, "FROM needs a base image"), (2, "FROM needs a base image")], images: ["b"]),
    DiagnosticCase(
        name: "FROM with two arguments", text: "FROM a b\n",
        diagnostics: [(1, "FROM takes one image")], images: ["a"]),
    DiagnosticCase(
        name: "line continuation at end of file", text: "FROM a\nRUN echo \\\n",
        diagnostics: [(3, "ends in a line continuation")], images: ["a"]),
    DiagnosticCase(
        name: "unknown flags are fine", text: "FROM --foo=bar --baz alpine\nCOPY --frob=1 --from=img / /\n",
        diagnostics: [], images: ["alpine", "img"]),
    DiagnosticCase(
        name: "unknown instruction", text: "FROM a\nFORM b\n{{ if .x }}\n",
        diagnostics: [(2, "unknown instruction `FORM` (and 1 more like it in this file)")], images: ["a"]),
    DiagnosticCase(
        name: "instruction before the first FROM", text: "RUN true\nARG X=1\nCMD x\nFROM a\n",
        diagnostics: [(1, "RUN comes before the first FROM; only ARG may (and 1 more")], images: ["a"]),
    DiagnosticCase(
        name: "invalid escape directive", text: "# escape=x\nFROM a\n",
        diagnostics: [(1, "invalid escape character")], images: ["a"]),
    DiagnosticCase(
        name: "duplicate directive", text: "# syntax=a/b:1\n# syntax=c/d:1\nFROM a\n",
        diagnostics: [(2, "only one `syntax`")], images: ["a/b:1", "a"]),
    DiagnosticCase(
        name: "ONBUILD FROM", text: "FROM a\nONBUILD FROM b\n",
        diagnostics: [(2, "cannot be an ONBUILD trigger")], images: ["a"]),
    DiagnosticCase(
        name: "missing stage index", text: "FROM a\nCOPY --from=3 / /\n",
        diagnostics: [(2, "no stage 3")], images: ["a"]),
    DiagnosticCase(
        name: "duplicate stage name", text: "FROM a AS x\nFROM b AS X\n",
        diagnostics: [(2, "duplicate stage name")], images: ["a", "b"]),
    DiagnosticCase(name: "empty file", text: "", diagnostics: [], images: []),
    DiagnosticCase(name: "only comments", text: "# hello\n\n   # world\n", diagnostics: [], images: []),
    DiagnosticCase(
        name: "malformed substitution is unresolved, not a crash", text: "FROM ${A\nFROM ${}\nFROM ${A:x}\nFROM 'a\n",
        diagnostics: [], images: ["${A", "${}", "${A:x}", "'a"]),
]

@Test("diagnostics", arguments: diagnosticCases)
func diagnostics(_ c: DiagnosticCase) {
    let a = analyze(c.text)
    #expect(a.kinds == [.dockerfile])
    #expect(a.diagnostics.map(\.line) == c.diagnostics.map(\.0))
    for (d, e) in zip(a.diagnostics, c.diagnostics) {
        #expect(d.message.contains(e.1), "\(d.message)")
        #expect(d.file == "Dockerfile")
    }
    #expect(a.occurrences.map(\.written) == c.images)
}

@Test func binaryFile() {
    let a = analyze(bytes: Array("FROM a\n".utf8) + [0, 1, 2, 0x0A] + Array("FROM b\n".utf8))
    #expect(a.occurrences.isEmpty)
    #expect(a.diagnostics.count == 1)
    #expect(a.diagnostics.first?.line == 2)
    #expect(a.diagnostics.first?.message.contains("NUL") == true)
}

@Test func utf16FileIsBinary() {
    let a = analyze(bytes: [0xFF, 0xFE] + Array("FROM a\n".utf8).flatMap { [$0, 0] })
    #expect(a.occurrences.isEmpty)
    #expect(a.diagnostics.count == 1)
}

@Test func nonUTF8FileIsStillRead() {
    // Latin-1 comment on line 2.
    let a = analyze(bytes: Array("FROM a\n# caf".utf8) + [0xE9] + Array("\nFROM b:1\n".utf8))
    #expect(a.occurrences.map(\.written) == ["a", "b:1"])
    #expect(a.diagnostics.map(\.line) == [2])
    #expect(a.diagnostics.first?.message.contains("UTF-8") == true)
}

@Test func hostileVariablesStayBounded() {
    // Deep nesting, and a value that doubles at each ARG.
    let nested = "FROM " + String(repeating: "${A:-", count: 5000) + "x" + String(repeating: "}", count: 5000) + "\n"
    let a = analyze(nested)
    #expect(a.occurrences.count == 1)
    #expect(a.occurrences.first?.resolved == nil)
    var doubling = "ARG A=xxxxxxxx\n"
    for _ in 0..<40 { doubling += "ARG A=$A$A\n" }
    doubling += "FROM $A\n"
    let b = analyze(doubling)
    #expect(b.occurrences.count == 1)
    #expect(b.occurrences.first?.resolved == nil)
}

/// Shapes that would be quadratic in a naive reader, at sizes where quadratic would not finish. No time bound
/// (a debug build on a shared machine): the time is printed; the front ends' speed is the benchmark's job.
@Test func largeInputsAreLinear() {
    let clock = ContinuousClock()
    var shapes: [(String, [UInt8])] = []
    // 50 MB of an ordinary Dockerfile.
    let block = Array(
        ("FROM alpine:3.19\nCOPY --from=0 /a /b\n"
            + String(repeating: "RUN apk add --no-cache curl \\\n    # comment\n    && rm -rf /var/cache/apk/* \\\n    && echo ${HOME}\n", count: 8)).utf8)
    var big: [UInt8] = []
    big.reserveCapacity(50 << 20)
    while big.count < 50 << 20 { big += block }
    shapes.append(("50 MB Dockerfile", big))
    // One 5 MB logical line of continuations, a 1 MB line of mounts, a 3.5 MB unterminated heredoc, a 1 MB word.
    shapes.append(("continuations", Array(("FROM a\nRUN true" + String(repeating: " \\\n x", count: 1 << 20) + "\n").utf8)))
    shapes.append(("mounts", Array(("FROM a\nRUN" + String(repeating: " --mount=from=b:1", count: 1 << 16) + " true\n").utf8)))
    shapes.append(("unterminated heredoc", Array(("FROM a\nRUN <<EOF\n" + String(repeating: "FROM x\n", count: 1 << 19)).utf8)))
    shapes.append(("many ARGs", Array(("ARG" + (0..<(1 << 17)).map { " A\($0)=${A\($0 / 2)}x" }.joined() + "\nFROM a:$A1000\n").utf8)))
    shapes.append(("many ENVs", Array(("FROM a\n" + String(repeating: "ENV A=$A B=1 C=${B}\n", count: 1 << 16) + "COPY --from=$C / /\n").utf8)))
    shapes.append(("one long word", Array(("FROM " + String(repeating: "a", count: 1 << 20) + "\n").utf8)))
    for (name, bytes) in shapes {
        var a = FileAnalysis(file: "")
        let d = clock.measure { a = analyze(bytes: bytes) }
        print("\(name): \(bytes.count) bytes, \(a.occurrences.count) occurrences, \(a.diagnostics.count) diagnostics, \(d)")
        #expect(a.occurrences.count + a.diagnostics.count > 0, "\(name): nothing found")
    }
}

/// Issue 13, item 3: thousands of ARGs of 64 KiB each (before: 354 KB of Dockerfile held 1.9 GB). The
/// file's expanded values are budgeted; past the budget a value is unknown, with one diagnostic.
@Test func expandedArgAndEnvBytesHaveAPerFileBudget() throws {
    var text = "ARG A=" + String(repeating: "x", count: 16 << 10) + "\n"
    for i in 0..<2_000 { text += "ARG B\(i)=$A$A$A$A\n" }
    text += "FROM alpine:3.20\nENV E=$A\nFROM $B1999\nFROM $B3\n"
    let a = analyze(text)
    let notes = a.diagnostics.filter { $0.message.contains("KiB in this file") }
    #expect(notes.count == 1)
    // 16 KiB, then 64 KiB per ARG: the 16th B (line 17) is the first over 1 MiB.
    #expect(notes.first?.line == 17)
    #expect(a.occurrences.count == 3)
    let late = try #require(a.occurrences.first { $0.span.line == 2_004 })
    #expect(late.resolved == nil)
    // Values within the budget still resolve.
    let early = try #require(a.occurrences.first { $0.span.line == 2_005 })
    #expect(early.resolved?.utf8.count == 64 << 10)
}
