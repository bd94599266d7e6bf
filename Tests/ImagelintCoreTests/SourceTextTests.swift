import Testing
@testable import ImagelintCore
import TestSupport

@Suite struct SourceTextTests {
    @Test func columnsCountScalarsAndSkipBOM() {
        let t = SourceText("\u{FEFF}FROM a\r\nénv ↓x\n")
        #expect(t.lineCount == 3)
        let offsetOfX = Array("\u{FEFF}FROM a\r\nénv ↓".utf8).count
        let p = t.position(ofByte: offsetOfX)
        #expect(p.line == 2)
        #expect(p.column == 6)
        #expect(t.text(ofLine: 1) == "FROM a")
        #expect(t.position(ofByte: 3) == (1, 1))
    }

    /// The line index reads eight bytes at a time: it must agree with a byte-by-byte scan whatever the bytes
    /// around the newlines (0x0A's neighbours 0x09/0x0B, 0x8A with the high bit, 0x00, 0xFF) and the length.
    @Test func lineIndexMatchesAByteScan() {
        var generator = TestSeed.generator("lineIndexMatchesAByteScan")
        let alphabet: [UInt8] = [0x0A, 0x0A, 0x09, 0x0B, 0x8A, 0x00, 0xFF, 0x0D, 0x41, 0x7F, 0x80]
        for length in Array(0...40) + [63, 64, 65, 1000, 4099] {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
                var expected = [0]
                for (i, b) in bytes.enumerated() where b == 0x0A { expected.append(i + 1) }
                #expect(SourceText(bytes).lineStarts == expected, "\(bytes) (seed \(generator.seed))")
            }
        }
    }

    @Test func substringSearchFindsEveryPlacement() {
        let needle = Array("imagelint".utf8)
        for length in [0, 8, 9, 10, 17, 40] {
            for at in 0...max(0, length - needle.count) where length >= needle.count {
                var hay = [UInt8](repeating: UInt8(ascii: "g"), count: length)
                hay.replaceSubrange(at..<(at + needle.count), with: needle)
                for anchor in [0, 4, 8] { #expect(SuppressionIndex.contains(hay, needle, anchor: anchor)) }
            }
            let miss = [UInt8](repeating: UInt8(ascii: "g"), count: length) + Array("imagelin".utf8)
            #expect(!SuppressionIndex.contains(miss, needle, anchor: 4))
        }
    }

    @Test func globs() {
        #expect(Glob("*.yaml").matchesPath("dir/f.yaml"))
        #expect(Glob("vendor/**").matchesPath("a/vendor/x/y"))
        #expect(Glob("vendor").matchesPath("vendor/x"))
        #expect(!Glob("*.yml").matchesPath("f.yaml"))
        #expect(Glob("ghcr.io/acme/*").matches("ghcr.io/acme/app"))
        #expect(!Glob("ghcr.io/acme/*").matches("ghcr.io/acme/a/b"))
        #expect(Glob("ghcr.io/acme/**").matches("ghcr.io/acme/a/b"))
        #expect(Glob("[a-c]?").matches("bz"))
    }

    @Test func jsonEscaping() {
        let v = JSONValue.object([("a\"", .string("x\n\u{1}é😀")), ("b", .array([.int(1), .null, .bool(true)]))])
        #expect(v.serialized(indent: 0) == "{\"a\\\"\":\"x\\n\\u0001é😀\",\"b\":[1,null,true]}")
    }
}
