import FastYAML
import Foundation
import Testing
import TestSupport

// `parse` and `root` are FastYAMLTests.swift's.

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
