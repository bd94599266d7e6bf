import Testing

@testable import ReleaseTags
import TestSupport

@Suite("Reading existing tags")
struct ExistingTagsTests {
    @Test(arguments: [
        ("1.0.0\n1.1.0\nlatest\n", ["1.0.0", "1.1.0", "latest"]),
        ("1.0.0\r\n 1.1.0 \r\n\r\n# comment\n\tlatest", ["1.0.0", "1.1.0", "latest"]),
        ("", []),
        ("  \n\n", []),
        ("\u{FEFF}1.0.0\n", ["1.0.0"]),
        ("[\"1.0.0\", \"latest\"]", ["1.0.0", "latest"]),
        ("  [ ]  ", []),
        ("{\"Repository\": \"docker.io/library/nginx\", \"Tags\": [\"1.25\", \"1.25.3\"]}", ["1.25", "1.25.3"]),
        ("{\"name\": \"acme/app\", \"tags\": [\"v1.0.0\"]}", ["v1.0.0"]),
        ("{\"Tags\": null}", []),
        ("{\"Tags\": [\"a\\u0062c\", \"x\\/y\", \"\\ud83d\\ude00\"]}", ["abc", "x/y", "😀"]),
        ("{\"Repository\": \"x\", \"Extra\": {\"n\": [1, -2.5e3, true, false, null]}, \"Tags\": [\"1.0.0\"]}", ["1.0.0"]),
    ] as [(String, [String])])
    func reads(_ text: String, _ expected: [String]) throws {
        #expect(try ExistingTags.parse(text) == expected)
    }

    @Test(arguments: [
        ("[\"1.0.0\",", "invalid JSON at byte"),
        ("[\"1.0.0\" \"2\"]", "expected `,` or `]`"),
        ("{\"Tags\": [1]}", "item 1 is not a string"),
        ("[\"a\", null]", "item 2 is not a string"),
        ("{\"Tags\": \"1.0.0\"}", "`Tags` must be an array of strings"),
        ("{\"Repository\": \"x\"}", "no `Tags` or `tags` array"),
        ("[\"a\"] x", "unexpected text after the JSON value"),
        ("{Tags: []}", "expected a string key"),
        ("[\"a\\q\"]", "invalid escape"),
        ("[\"a\nb\"]", "control character"),
        ("[01]", "expected `,` or `]`"),
        ("[tru]", "expected `true`"),
        ("{\"Tags\": [\"a\"]", "unexpected end of input"),
    ])
    func rejects(_ text: String, _ message: String) {
        do {
            let tags = try ExistingTags.parse(text)
            Issue.record("read \(tags)")
        } catch {
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: ExistingTagsError.self) { try ExistingTags.parse(deep) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: ExistingTagsError.self) { try ExistingTags.parse(fine) }  // an array of arrays, not strings
    }

    @Test func randomJSONishInputNeverCrashes() {
        var rng = TestSeed.generator("randomJSONishInputNeverCrashes", fixed: 42)
        let alphabet = Array("[]{}\",:\\u0aeE.-+ tn\n".unicodeScalars)
        for _ in 0..<5000 {
            var s = Int(rng.next() % 2) == 0 ? "[" : "{"
            for _ in 0..<Int(rng.next() % 16) { s.unicodeScalars.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            _ = try? ExistingTags.parse(s)
        }
    }
}

@Suite("Image names for references")
struct ImageNameTests {
    @Test(arguments: ["nginx", "acme/app", "ghcr.io/acme/app", "localhost:5000/app", "[::1]:5000/x"])
    func acceptsNames(_ name: String) throws {
        try ReleaseTags.validateImageName(name)
    }

    @Test(arguments: [
        ("nginx:1.25", "must not carry a tag"),
        ("foo:5000", "must not carry a tag"),
        ("ghcr.io/acme/app@sha256:" + String(repeating: "a", count: 64), "must not carry a digest"),
        ("Acme/App", "is not a valid name: repository name must be lowercase"),
        ("", "is not a valid name"),
        ("docker://nginx", "is not a valid name"),
    ])
    func rejectsNames(_ name: String, _ message: String) {
        do {
            try ReleaseTags.validateImageName(name)
            Issue.record("accepted \(name)")
        } catch {
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.name == name)
        }
    }

    @Test func referencesAreInImageOrder() {
        let refs = ReleaseTags.references(images: ["ghcr.io/a/b", "b"], tags: ["1.0.0", "1.0", "latest"])
        #expect(refs == ["ghcr.io/a/b:1.0.0", "ghcr.io/a/b:1.0", "ghcr.io/a/b:latest", "b:1.0.0", "b:1.0", "b:latest"])
        #expect(ReleaseTags.references(images: [], tags: ["1.0.0"]).isEmpty)
    }
}
