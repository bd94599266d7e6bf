import Testing
@testable import ImagelintCore

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
