import Testing

@testable import ReleaseTags
import TestSupport

@Suite("Reading existing tags")
struct ExistingTagsTests {
    @Test(arguments: [
        ("1.0.0\n1.1.0\nlatest\n", ["1.0.0", "1.1.0", "latest"]),
        ("1.0.0\r\n 1.1.0 \r\n\r\n# comment\n\tlatest", ["1.0.0", "1.1.0", "latest"]),
        ("", []),
        ("\u{FEFF}1.0.0\n", ["1.0.0"]),
        ("[\"1.0.0\", \"latest\"]", ["1.0.0", "latest"]),
        ("  [ ]  ", []),
        ("{\"Repository\": \"docker.io/library/nginx\", \"Tags\": [\"1.25\", \"1.25.3\"]}", ["1.25", "1.25.3"]),
        ("{\"name\": \"acme/app\", \"tags\": [\"v1.0.0\"]}", ["v1.0.0"]),
        ("{\"name\": \"acme/app\", \"tags\": null}", []),
        ("{\"Repository\": \"x\", \"Tags\": []}", []),
        ("{\"Tags\": [\"a\\u0062c\"]}", ["abc"]),
    ] as [(String, [String])])
    func reads(_ text: String, _ expected: [String]) throws {
        #expect(try ExistingTags.parse(text) == expected)
    }

    /// Each garbage form a failed listing leaves behind is an error naming its line, never "no tags".
    @Test(arguments: [
        // An HTML error page from a registry or proxy.
        ("<html>401 Unauthorized</html>", 1, "(an HTML page"),
        ("<!DOCTYPE html>\n<html><body>401 Authorization Required</body></html>\n", 1, "is not a tag"),
        // skopeo's fatal error lines, in both of logrus' formats.
        ("FATA[0000] Error listing repository tags: fetching tags list: unauthorized: authentication required\n", 1,
            "(an error message"),
        ("time=\"2024-05-01T10:00:00Z\" level=fatal msg=\"Error listing repository tags: unauthorized\"\n", 1,
            "(an error message"),
        // Arbitrary text, after some good lines: the first bad line is named.
        ("1.0.0\n1.1.0\nno such repository\n2.0.0\n", 3, "`no such repository` is not a tag"),
        ("1.0.0\nghcr.io/acme/app:1.0.0\n", 2, "found `/`"),
        // JSON of another shape.
        ("{\"errors\": [{\"code\": \"UNAUTHORIZED\", \"message\": \"authentication required\"}]}", 1,
            "a registry error, not a tag list: UNAUTHORIZED: authentication required"),
        ("{\"foo\": [\"1.0.0\"]}", 1, "a JSON object with the keys `foo`, not skopeo's"),
        ("{\"Repository\": \"x\", \"Tags\": [\"1.0.0\"], \"Extra\": 1}", 1, "the keys `Extra`, `Repository`, `Tags`"),
        ("{\"Repository\": \"x\"}", 1, "a JSON object with the keys `Repository`"),
        ("{\"Tags\": \"1.0.0\"}", 1, "not a tag list"),
        ("\n\n{\"Tags\": [1]}", 3, "not a tag list"),
        ("[\"a\", null]", 1, "not a JSON array of strings"),
        ("[\"1.0.0\",", 1, "not a JSON array of strings"),
        ("[\n\"1.0.0\",\n\"bad tag\"\n]", 3, "`bad tag` is not a tag"),
        // Whitespace only: a command that failed with its output redirected.
        (" ", 1, "only whitespace"),
        ("\n", 1, "only whitespace"),
        ("  \n\t\r\n", 1, "only whitespace"),
    ] as [(String, Int, String)])
    func rejectsGarbage(_ text: String, _ line: Int, _ message: String) {
        do {
            let tags = try ExistingTags.parse(text)
            Issue.record("read \(tags)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.description.hasPrefix("line \(line): "))
        }
    }

    @Test func commentsAloneAreNotAnEmptyList() {
        #expect(throws: ExistingTagsError.self) { try ExistingTags.parse("# nothing here\n\n") }
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
