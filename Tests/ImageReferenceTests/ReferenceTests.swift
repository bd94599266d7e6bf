import Testing

@testable import ImageReference
import TestSupport

struct ReferenceTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var input: String
        var domain: String
        var path: String
        var tag: String?
        var digest: String?
        var familiar: String
        var testDescription: String { "`\(ReferenceError.visible(input))`" }
    }

    static let sha = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let sha384 = "sha384:" + String(repeating: "ab", count: 48)
    static let sha512 = "sha512:" + String(repeating: "0f", count: 64)

    static let valid: [Row] = [
        Row(input: "nginx", domain: "docker.io", path: "library/nginx", familiar: "nginx"),
        Row(input: "nginx:1.25", domain: "docker.io", path: "library/nginx", tag: "1.25", familiar: "nginx:1.25"),
        Row(input: "foo/bar", domain: "docker.io", path: "foo/bar", familiar: "foo/bar"),
        Row(input: "index.docker.io/x", domain: "docker.io", path: "library/x", familiar: "x"),
        Row(input: "docker.io/library/x/y", domain: "docker.io", path: "library/x/y", familiar: "library/x/y"),
        Row(input: "localhost:5000/app", domain: "localhost:5000", path: "app", familiar: "localhost:5000/app"),
        Row(input: "localhost/app", domain: "localhost", path: "app", familiar: "localhost/app"),
        Row(input: "foo:5000", domain: "docker.io", path: "library/foo", tag: "5000", familiar: "foo:5000"),
        Row(input: "MyOrg/app", domain: "MyOrg", path: "app", familiar: "MyOrg/app"),
        Row(input: "[::1]:5000/x", domain: "[::1]:5000", path: "x", familiar: "[::1]:5000/x"),
        Row(input: "[2001:DB8::1]/x:v1", domain: "[2001:DB8::1]", path: "x", tag: "v1", familiar: "[2001:DB8::1]/x:v1"),
        Row(
            input: "ghcr.io/o/a:1@\(sha)", domain: "ghcr.io", path: "o/a", tag: "1", digest: sha,
            familiar: "ghcr.io/o/a:1@\(sha)"),
        Row(input: "a@\(sha384)", domain: "docker.io", path: "library/a", digest: sha384, familiar: "a@\(sha384)"),
        Row(input: "a@\(sha512)", domain: "docker.io", path: "library/a", digest: sha512, familiar: "a@\(sha512)"),
        Row(input: "a__b-c---d_e/f.g:_T.-x", domain: "docker.io", path: "a__b-c---d_e/f.g", tag: "_T.-x", familiar: "a__b-c---d_e/f.g:_T.-x"),
        Row(
            input: "docker.io/library/\(String(repeating: "f", count: 64))", domain: "docker.io",
            path: "library/\(String(repeating: "f", count: 64))", familiar: "library/\(String(repeating: "f", count: 64))"),
    ]

    @Test(arguments: valid)
    func parses(_ row: Row) throws {
        let ref = try ImageReference.parse(row.input)
        #expect(ref.domain == row.domain)
        #expect(ref.path == row.path)
        #expect(ref.tag == row.tag)
        #expect(ref.digest == row.digest)
        #expect(ref.familiar == row.familiar)
        #expect(try ImageReference.parse(ref.familiar) == ref)
    }

    @Test(arguments: [
        ("nginx", PullPolicy.always, "latest" as String?),
        ("nginx:latest", .always, "latest"),
        ("nginx:Latest", .ifNotPresent, "Latest"),
        ("nginx:1.25", .ifNotPresent, "1.25"),
        ("nginx@\(sha)", .ifNotPresent, nil),
        ("nginx:latest@\(sha)", .always, "latest"),
        ("nginx:1@\(sha)", .ifNotPresent, "1"),
    ])
    func pullPolicy(_ input: String, _ policy: PullPolicy, _ impliedTag: String?) throws {
        let ref = try ImageReference.parse(input)
        #expect(ref.defaultPullPolicy == policy)
        #expect(ref.impliedTag == impliedTag)
    }

    @Test(arguments: [
        "${IMAGE}", "$IMAGE", "nginx:${TAG}", "${REGISTRY}/nginx:1.0", "{{ .Values.image }}", "nginx:$(TAG)",
        "{% if x %}a{% endif %}", "ko://github.com/x/y", "registry/<your-image>",
    ])
    func templatedTextIsUnresolved(_ input: String) {
        guard case .unresolved(let why) = ImageReference.classify(input) else {
            Issue.record("`\(input)` is \(ImageReference.classify(input))")
            return
        }
        #expect(!why.isEmpty)
        #expect(throws: ReferenceError.unresolved(why)) { try ImageReference.parse(input) }
    }

    @Test func classifySeparatesTheThreeVerdicts() {
        #expect(ImageReference.classify("nginx").reference?.normalized == "docker.io/library/nginx")
        #expect(ImageReference.classify("Nginx") == .invalid(.uppercase(repository: "Nginx")))
        #expect(ImageReference.classify("$IMG") == .unresolved("variable `$IMG`"))
    }

    /// Deliberate difference: upstream `ParseNormalizedNamed("my_registry.io/app")` succeeds with an empty
    /// domain and the path `my_registry.io/app`, because its regex falls back to reading the whole name as a
    /// path when the first component is no valid host. No registry can be pulled from then, so we report
    /// the malformed host instead (`_` is not allowed in host names: DOMAIN.md §1).
    @Test func underscoreHostIsInvalidNotAPath() throws {
        #expect(ImageReference.classify("my_registry.io/app") == .invalid(.invalidDomain("my_registry.io")))
        let raw = try ReferenceParser.parseRaw("my_registry.io/app")
        #expect(raw.domain == "" && raw.path == "my_registry.io/app")
    }

    @Test func lengthLimitCountsTheLibraryPrefix() throws {
        #expect(try ImageReference.parse(String(repeating: "a", count: 247)).path.utf8.count == 255)
        #expect(throws: ReferenceError.nameTooLong(length: 256)) { try ImageReference.parse(String(repeating: "a", count: 248)) }
        // The domain does not count.
        let long = "example.com/" + String(repeating: "b", count: 255)
        #expect(try ImageReference.parse(long).path.utf8.count == 255)
        #expect(throws: ReferenceError.nameTooLong(length: 256)) { try ImageReference.parse(long + "b") }
        #expect(throws: ReferenceError.nameTooLong(length: 256)) { try ReferenceParser.parseRaw(long + "b") }
    }

    /// Bad input never crashes or hangs, and whatever parses is a fixed point of normalization.
    @Test func randomInputNeverCrashes() {
        var rng = TestSeed.generator("randomInputNeverCrashes (ImageReference)", fixed: 0x1D0C)
        let alphabet = Array("aZ09._-/:@[]$%{}< \u{00E9}\u{1F600}\tsha256:ffff".unicodeScalars)
        var valid = 0
        for _ in 0..<20_000 {
            var s = String.UnicodeScalarView()
            for _ in 0..<Int(rng.next() % 24) { s.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            let text = String(s)
            _ = try? ReferenceParser.parseRaw(text)
            if case .valid(let ref) = ImageReference.classify(text) {
                valid += 1
                #expect(ImageReference.classify(ref.normalized) == .valid(ref), "`\(text)` (seed \(rng.seed))")
                #expect(ImageReference.classify(ref.familiar) == .valid(ref), "`\(text)` (seed \(rng.seed))")
            }
        }
        #expect(valid > 0)
    }
}

/// Long hostile inputs finish (every scan is linear in the input; a quadratic one would not end) and are refused.
/// No time bound: the tests run the debug build; speed is the benchmark's job (Tests/Benchmarks/run.sh).
struct PathologicalInputTests {
    @Test(arguments: ["<", "$", "{", "%", "a/", "a.", "a-", ":", "@", "[", "/", "a_", "aA", "é"])
    func longRepetitionsAreLinear(_ unit: String) {
        let text = String(repeating: unit, count: 200_000)
        // Far over the 255-character name limit, whatever the unit: never valid.
        if case .valid = ImageReference.classify(text) { Issue.record("`\(unit)`×200000 classified as valid") }
        #expect((try? ReferenceParser.parseRaw(text)) == nil, "`\(unit)`×200000 parsed")
    }
}
