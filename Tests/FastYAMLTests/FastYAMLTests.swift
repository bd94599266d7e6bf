import FastYAML
import Foundation
import Testing
import TestSupport

/// Parses `text` (shared by this target's test files).
func parse(_ text: String, options: YAMLParseOptions = .init()) -> YAMLStream {
    YAMLStream.parse(text, options: options)
}

/// The first document's root, expecting no error.
func root(_ text: String) -> YAMLNode {
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
