import FastYAML
import Foundation
import Testing
import TestSupport

private func parse(_ text: String, options: YAMLParseOptions = .init()) -> YAMLStream {
    YAMLStream.parse(text, options: options)
}

private func root(_ text: String) -> YAMLNode {
    let stream = parse(text)
    #expect(stream.errors.isEmpty, "\(stream.errors)")
    return stream.documents[0].root
}

@Suite struct ScalarTests {
    @Test func plainScalarMarksAndText() throws {
        let r = root("a: hello\nb: [1, 2]\n")
        let a = try #require(r["a"])
        #expect(a.kind == .scalar)
        #expect(a.scalarText == "hello")
        #expect(a.style == .plain)
        #expect(a.startLine == 0 && a.startColumn == 3 && a.startOffset == 3)
        #expect(a.endLine == 0 && a.endColumn == 8 && a.endOffset == 8)
    }

    @Test(arguments: [
        ("k: 'it''s'", "it's", YAMLScalarStyle.singleQuoted),
        ("k: \"a\\tb\\u00e9\"", "a\tb\u{e9}", .doubleQuoted),
        ("k: |\n  line1\n  line2\n", "line1\nline2\n", .literal),
        ("k: >-\n  folded\n  text\n", "folded text", .folded),
        ("k: plain\n  continued", "plain continued", .plain),
    ])
    func decodedTextAndStyle(source: String, text: String, style: YAMLScalarStyle) throws {
        let k = try #require(root(source)["k"])
        #expect(k.scalarText == text)
        #expect(k.style == style)
    }

    @Test(arguments: ["k: ~", "k: null", "k: Null", "k: NULL", "k:", "k: !!null x"])
    func nulls(source: String) throws {
        #expect(try #require(root(source)["k"]).isNull)
    }

    @Test(arguments: ["k: 'null'", "k: \"\"", "k: nil", "k: nulls", "k: !!str null"])
    func notNulls(source: String) throws {
        #expect(try !#require(root(source)["k"]).isNull)
    }

    @Test func tagsAreResolved() throws {
        let r = root("%TAG !e! tag:example.com,2024:\n---\na: !!str 1\nb: !e!thing x\nc: 2\n")
        #expect(r["a"]?.tag == "tag:yaml.org,2002:str")
        #expect(r["b"]?.tag == "tag:example.com,2024:thing")
        #expect(r["c"]?.tag == nil)
    }

    @Test func scalarEqualsAndBytes() throws {
        let r = root("key: caf\u{e9}\n")
        let v = try #require(r["key"])
        #expect(v.scalarEquals("caf\u{e9}"))
        #expect(!v.scalarEquals("cafe"))
        #expect(v.scalarByteCount == 5)
        #expect(v.withScalarBytes { Array($0) } == Array("caf\u{e9}".utf8))
    }
}

@Suite struct PositionTests {
    @Test func offsetsAreBytesWithMultiByteTextBomAndCRLF() throws {
        let text = "\u{FEFF}# é 日本\r\nname: \"日本\"\r\nimage: nginx\r\n"
        let bytes = Array(text.utf8)
        let r = root(text)
        let image = try #require(r["image"])
        // libyaml columns count characters; offsets are bytes of the original buffer (BOM included).
        #expect(image.startLine == 2)
        #expect(image.startColumn == 7)
        let start = image.startOffset
        #expect(Array(bytes[start..<image.endOffset]) == Array("nginx".utf8))
        let name = try #require(r["name"])
        #expect(name.startLine == 1 && name.startColumn == 6)
        #expect(Array(bytes[name.startOffset..<name.endOffset]) == Array("\"日本\"".utf8))
    }

    @Test func flowMappingMarks() throws {
        let text = "- {name: a, image: b}\n"
        let r = root(text)
        let image = try #require(r[0]?["image"])
        #expect(image.startColumn == 19 && image.endColumn == 20)
        #expect(r[0]?.isFlow == true)
    }

    @Test func blockScalarStartsAtIndicator() throws {
        let r = root("k: >-\n  text\n")
        let k = try #require(r["k"])
        #expect(k.startLine == 0 && k.startColumn == 3)
    }
}

@Suite struct CollectionTests {
    @Test func sequencesAndEntries() throws {
        let r = root("list: [a, b, c]\nmap: {x: 1, y: 2}\n")
        let list = try #require(r["list"])
        #expect(list.kind == .sequence)
        #expect(list.count == 3)
        #expect(list.elements.map { $0.scalarText } == ["a", "b", "c"])
        #expect(list[1]?.scalarText == "b")
        #expect(list[3] == nil)
        let map = try #require(r["map"])
        #expect(map.entries.map { "\($0.key.scalarText!)=\($0.value.scalarText!)" } == ["x=1", "y=2"])
        #expect(r.count == 2)
        #expect(r["missing"] == nil)
        #expect(list["a"] == nil)
    }

    @Test func lastDuplicateWinsAndIsListed() throws {
        let stream = parse("a: 1\nb: 2\na: 3\nn: {x: 1, x: 2}\n")
        let r = stream.documents[0].root
        #expect(r["a"]?.scalarText == "3")
        #expect(r.duplicateKeys.map { $0.startLine } == [2])
        let dups = stream.documents[0].duplicateKeys()
        #expect(dups.map { $0.key.scalarText } == ["a", "x"])
        #expect(dups.map { $0.previous.startLine } == [0, 3])
    }

    @Test func manyKeysDuplicates() throws {
        var text = ""
        for i in 0..<40 { text += "k\(i): \(i)\n" }
        text += "k7: again\n"
        let r = root(text)
        #expect(r.duplicateKeys.map { $0.scalarText } == ["k7"])
        #expect(r["k7"]?.scalarText == "again")
    }
}

@Suite struct AliasTests {
    @Test func aliasResolvesByReferenceAtItsOwnPosition() throws {
        let r = root("base: &img nginx:1.25\nother: *img\nlist: &l [1, 2]\ncopy: *l\n")
        let other = try #require(r["other"])
        #expect(other.isAlias)
        #expect(other.scalarText == "nginx:1.25")
        #expect(other.anchor == "img")
        #expect(other.startLine == 1 && other.startColumn == 7)
        #expect(other.resolved.startLine == 0)
        let copy = try #require(r["copy"])
        #expect(copy.kind == .sequence && copy.count == 2)
    }

    @Test func mergeKeys() throws {
        let text = """
            defaults: &d {image: base, pull: Always}
            extra: &e {image: other, port: 80, pull: Never}
            one:
              <<: *d
              name: one
            two:
              <<: [*e, *d]
              pull: IfNotPresent
            three:
              image: own
              <<: *d
            """
        let r = root(text)
        #expect(r["one"]?["image"]?.scalarText == "base")
        #expect(r["one"]?["name"]?.scalarText == "one")
        #expect(r["two"]?["image"]?.scalarText == "other")  // earlier source wins
        #expect(r["two"]?["port"]?.scalarText == "80")
        #expect(r["two"]?["pull"]?.scalarText == "IfNotPresent")  // own key wins
        #expect(r["three"]?["image"]?.scalarText == "own")
        let merged = try #require(r["two"]).mergedEntries.map { "\($0.key.scalarText!)=\($0.value.scalarText!)" }
        #expect(merged == ["pull=IfNotPresent", "image=other", "port=80"])
        #expect(r["one"]?.duplicateKeys.isEmpty == true)
    }

    @Test func quotedMergeKeyIsAnOrdinaryKey() throws {
        let r = root("d: &d {a: 1}\nm:\n  '<<': *d\n")
        #expect(r["m"]?["a"] == nil)
        #expect(r["m"]?["<<"]?.isMapping == true)
    }

    @Test func undefinedAliasDropsOnlyItsDocument() throws {
        let stream = parse("a: *nope\n---\nb: 1\n")
        #expect(stream.errors.map(\.kind) == [.undefinedAlias])
        #expect(stream.errors.first?.line == 1 && stream.errors.first?.column == 4)
        #expect(stream.documents.count == 1)
        #expect(stream.documents[0].root["b"]?.scalarText == "1")
    }

    /// `b` expands to 1 + 2 × 4 nodes and the document to 16, of which 10 are written: the limit counts
    /// the 6 that aliases add, at the first collection that closes beyond it.
    @Test(arguments: [(5, true), (6, false)])
    func aliasExpansionLimitIsExact(limit: Int, rejected: Bool) throws {
        let stream = parse("a: &a [1, 2, 3]\nb: [*a, *a]\n", options: YAMLParseOptions(maxAliasExpansion: limit))
        #expect(stream.errors.map(\.kind) == (rejected ? [.aliasExpansion] : []))
        #expect(stream.documents.count == (rejected ? 0 : 1))
    }

    @Test func billionLaughsIsRejected() throws {
        var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1...9 {
            text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        text += "---\nok: yes\n"
        let stream = parse(text)
        #expect(stream.errors.map(\.kind) == [.aliasExpansion])
        #expect(stream.documents.count == 1)
        #expect(stream.documents[0].root["ok"]?.scalarText == "yes")
    }
}

@Suite struct StreamTests {
    @Test func multipleDocuments() throws {
        let stream = parse("a: 1\n---\n---\nb: 2\n...\n--- null\n")
        #expect(stream.errors.isEmpty)
        #expect(stream.documents.count == 4)
        #expect(stream.documents[0].hasExplicitStart == false)
        #expect(stream.documents[1].root.isNull)
        #expect(stream.documents[2].root["b"]?.scalarText == "2")
        #expect(stream.documents[2].hasExplicitEnd)
        #expect(stream.documents[3].root.isNull)
        #expect(stream.documents.map(\.index) == [0, 1, 2, 3])
    }

    @Test func emptyInputHasNoDocuments() {
        #expect(parse("").documents.isEmpty)
        #expect(parse("# only a comment\n").documents.isEmpty)
        #expect(parse("").errors.isEmpty)
    }

    @Test func syntaxErrorKeepsEarlierDocuments() throws {
        let stream = parse("a: 1\n---\nb: [1, 2\nc: 3\n")
        #expect(stream.documents.count == 1)
        let error = try #require(stream.errors.first)
        #expect(error.kind == .syntax)
        #expect(!error.message.isEmpty)
        #expect(error.line >= 3)
    }

    @Test func tabIndentationIsAnErrorWithPosition() throws {
        let stream = parse("a:\n\tb: 1\n")
        let error = try #require(stream.errors.first)
        #expect(error.kind == .syntax)
        #expect(error.line == 2 && error.column == 1)
        #expect(error.message.contains("cannot start any token"))
    }

    @Test func mappingValuesError() throws {
        let error = try #require(parse("image: a: b\n").errors.first)
        #expect(error.message == "mapping values are not allowed in this context")
        #expect(error.line == 1 && error.column == 9)
    }

    @Test func deepNestingIsRejected() throws {
        let depth = 10_000
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n---\nok: 1\n"
        let stream = parse(text)
        #expect(stream.errors.map(\.kind) == [.depth])
        #expect(stream.errors.first?.column == 513)
        #expect(stream.documents.count == 1)
        #expect(stream.documents[0].root["ok"] != nil)
    }

    @Test func depthLimitIsConfigurable() {
        #expect(parse("a: {b: {c: 1}}", options: .init(maxDepth: 2)).errors.map(\.kind) == [.depth])
        #expect(parse("a: {b: {c: 1}}", options: .init(maxDepth: 3)).errors.isEmpty)
    }
}

@Suite struct EncodingTests {
    @Test func utf16IsRejected() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for b in "a: 1\n".utf8 { bytes += [b, 0] }
        let stream = YAMLStream.parse(bytes)
        #expect(stream.documents.isEmpty)
        #expect(stream.errors.map(\.kind) == [.encoding])
    }

    @Test func invalidUTF8IsAnEncodingError() throws {
        let bytes: [UInt8] = Array("a: 1\nb: ".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        let stream = YAMLStream.parse(bytes)
        let error = try #require(stream.errors.first)
        #expect(error.kind == .encoding)
        #expect(error.line == 2)
        #expect(error.offset == 9)  // libyaml points at the bad trailing octet
        #expect(error.message.contains("trailing UTF-8 octet"))
    }

    @Test func nulBytesAreAnError() throws {
        let bytes: [UInt8] = Array("a: x".utf8) + [0, 0, 1, 2] + Array("\n".utf8)
        let stream = YAMLStream.parse(bytes)
        #expect(stream.errors.first?.kind == .encoding)
    }

    @Test func randomBinaryNeverTraps() {
        var generator = TestSeed.generator("randomBinaryNeverTraps")
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 0..<512, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = YAMLStream.parse(bytes)
        }
        // Mutations of valid YAML hit the scanner's error paths rather than the reader's.
        let seed = Array("a: &x [1, {b: \"c\"}, 'd']\ne: *x\nf: |\n  g\n".utf8)
        for _ in 0..<500 {
            var bytes = seed
            for _ in 0..<3 {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = Array("[]{}:,&*!|>'\"#-? \n\t".utf8).randomElement(using: &generator)!
            }
            let stream = YAMLStream.parse(bytes)
            for document in stream.documents { _ = document.duplicateKeys() }
        }
    }

    @Test func unsafeBufferEntryPoint() {
        let bytes = Array("x: 1\n".utf8)
        let stream = bytes.withUnsafeBytes { YAMLStream.parse($0) }
        #expect(stream.documents.first?.root["x"]?.scalarText == "1")
    }
}

@Test func libyamlVersion() {
    #expect(FastYAML.libyamlVersion.hasPrefix("0."))
}

/// Issue 13: hostile streams stay bounded per file, not per document.
@Suite struct HardeningTests {
    /// A document whose aliases add about `perDocument` nodes: an anchored 10-item list and `perDocument / 10`
    /// aliases to it.
    static func aliasDocument(_ perDocument: Int) -> String {
        "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: [" + Array(repeating: "*a", count: perDocument / 10).joined(separator: ", ")
            + "]\n"
    }

    @Test func aliasBudgetIsPerFileAcrossDocuments() throws {
        // Each document alone is within the budget; together they are not.
        let text = (0..<5).map { _ in Self.aliasDocument(40_000) }.joined(separator: "---\n") + "---\nok: 1\n"
        let stream = parse(text, options: YAMLParseOptions(maxAliasExpansion: 100_000))
        #expect(stream.errors.map(\.kind) == [.aliasExpansion, .aliasExpansion, .aliasExpansion])
        #expect(stream.errors.first?.message.contains("in this file") == true)
        // Two documents kept (80,000 added nodes), the three over the budget dropped, the last one kept.
        #expect(stream.documents.count == 3)
        #expect(stream.documents.last?.root["ok"]?.scalarText == "1")
    }

    @Test func defaultAliasBudgetBoundsAListOfPodsOfContainers() throws {
        // 600 pods of 300 containers each, all aliases: 180,000 containers from 3 KB.
        let text = "c: &c {name: x, image: nginx}\npod: &pod {containers: [" + Array(repeating: "*c", count: 300)
            .joined(separator: ", ") + "]}\nitems: [" + Array(repeating: "*pod", count: 600).joined(separator: ", ") + "]\n"
        let stream = parse(text)
        #expect(stream.errors.map(\.kind) == [.aliasExpansion])
        #expect(stream.documents.isEmpty)
    }

    /// libyaml's time per token grows with the flow depth: the parse of a deep document stops at the limit
    /// and resumes at the next `---` (before: 17 s in release for 100,000 levels, 92 s for 200,000).
    @Test(.timeLimit(.minutes(1)), arguments: ["[", "{a: "])
    func deepFlowNestingStopsAtTheLimit(opener: String) throws {
        let text = String(repeating: opener, count: 100_000) + "\n---\nok: 1\n"
        let stream = parse(text)
        #expect(stream.errors.map(\.kind) == [.depth])
        #expect(stream.documents.count == 1)
        let ok = try #require(stream.documents.first?.root["ok"])
        // Marks after the resumed parse are the file's.
        #expect(ok.startLine == 2 && ok.startColumn == 4)
        #expect(ok.startOffset == text.utf8.count - 2)
    }

    @Test func resumedParseKeepsByteOffsetsOfNonASCIIText() throws {
        let text = "é: " + String(repeating: "[", count: 600) + "\n---\né: ü\n"
        let stream = parse(text)
        #expect(stream.errors.map(\.kind) == [.depth])
        let value = try #require(stream.documents.first?.root["é"])
        #expect(value.scalarText == "ü")
        #expect(value.startOffset == text.utf8.count - 3)
        #expect(value.startLine == 2 && value.startColumn == 3)
    }

    @Test(arguments: [
        ("image: !!binary bmdpbng6bGF0ZXN0", "nginx:latest"),
        ("image: !!binary |\n  bmdpbng6\n  bGF0ZXN0\n", "nginx:latest"),
        ("image: !!binary bmdpbng6bGF0ZXN0MQ==", "nginx:latest1"),
        ("image: !!binary not*base64", "not*base64"),
        ("image: !x nginx:latest", "nginx:latest"),
    ])
    func taggedScalarsKeepTheirText(source: String, text: String) throws {
        let image = try #require(root(source)["image"])
        #expect(image.scalarText == text)
    }
}

@Suite struct DocumentLimitTests {
    /// Issue 13, item 19: 4 million empty documents (16 MB) took 0.95 GB; the stream now ends at the limit.
    @Test func documentsPerStreamAreLimited() throws {
        let stream = parse(String(repeating: "---\n", count: 1_000) + "a: 1\n", options: YAMLParseOptions(maxDocuments: 600))
        #expect(stream.documents.count == 600)
        let error = try #require(stream.errors.first)
        #expect(error.kind == .tooLarge)
        #expect(error.line == 601 && error.column == 1)
        #expect(parse(String(repeating: "---\n", count: 150_000)).documents.count == 100_000)
    }
}

@Suite struct NodeLimitTests {
    /// Issue 13, item 19: 8 million one-character scalars (16 MB) took 514 MB; the stream ends at the budget.
    @Test func nodesPerStreamAreLimited() throws {
        let text = "a: 1\n---\nb: [" + Array(repeating: "1", count: 1_000).joined(separator: ",") + "]\n---\nc: 1\n"
        let stream = parse(text, options: YAMLParseOptions(maxNodes: 500))
        #expect(stream.documents.count == 1)
        #expect(stream.documents.first?.root["a"]?.scalarText == "1")
        let error = try #require(stream.errors.first)
        #expect(error.kind == .tooLarge && error.message.contains("more than 500 YAML nodes"))
        #expect(error.line == 3)
        #expect(parse(text, options: YAMLParseOptions(maxNodes: 2_000)).errors.isEmpty)
    }
}
