import ImagelintCore
import Testing

/// The hot-path rewrites (JSON string escaping, registry pattern matching and caching) must answer
/// exactly as the straightforward versions they replaced; those versions are kept here as oracles.
@Suite struct TuningEquivalenceTests {
    /// The per-scalar escaper the fast path replaced.
    static func referenceEscape(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 || u.value == 0x7F || u.value == 0x2028 || u.value == 0x2029 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    static let strings = [
        "", "nginx:1.25", "image `a:b` is fine", "quote \" and backslash \\", "tab\there", "cr\r\nlf",
        "\u{0}\u{1}\u{1F}\u{7F}", "bell\u{08}feed\u{0C}", "line\u{2028}para\u{2029}end", "euro € and â and ∀",
        "emoji 🐳 e\u{301}", String(repeating: "x", count: 300) + "\"",
    ]

    @Test(arguments: strings)
    func writeStringMatchesTheReference(_ s: String) {
        var out = "prefix"
        JSONValue.writeString(s, to: &out)
        #expect(out == "prefix" + Self.referenceEscape(s))
    }

    @Test func serializeIntoAtLevelZeroIsSerialized() {
        let v: JSONValue = .object([
            ("a", .array([.int(1), .string("x\"y"), .null, .array([]), .object([])])),
            ("b", .object([("c", .bool(true)), ("d", .array([.object([("e", .string("€"))])]))])),
        ])
        for indent in [0, 2, 4] {
            var out = ""
            v.serialize(into: &out, indent: indent, level: 0)
            #expect(out == v.serialized(indent: indent))
        }
        // Deeper levels indent every line but the first by `indent * level` more spaces.
        var nested = ""
        v.serialize(into: &nested, indent: 2, level: 3)
        let expected = v.serialized(indent: 2).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().map { $0.offset == 0 ? String($0.element) : String(repeating: " ", count: 6) + $0.element }
            .joined(separator: "\n")
        #expect(nested == expected)
        // More than 32 spaces of indentation.
        var deep = ""
        JSONValue.array([.int(1)]).serialize(into: &deep, indent: 10, level: 4)
        #expect(deep == "[\n" + String(repeating: " ", count: 50) + "1\n" + String(repeating: " ", count: 40) + "]")
    }

    /// `RegistryPattern.matches(domain:path:)` as it was: Character splits and one `Glob` per label.
    static func referenceMatches(_ p: RegistryPattern, domain: String, path: String) -> Bool {
        var host = Substring(domain)
        var refPort: Substring? = nil
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") {
            refPort = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        if p.port != refPort { return false }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count == p.hostLabels.count else { return false }
        for (pl, l) in zip(p.hostLabels, labels) where !Glob(String(pl).lowercased()).matches(String(l).lowercased()) {
            return false
        }
        if p.pathPrefix.isEmpty { return true }
        let segments = path.split(separator: "/")
        guard segments.count >= p.pathPrefix.count else { return false }
        return zip(p.pathPrefix, segments).allSatisfy { $0 == $1 }
    }

    static let patterns = [
        "k8s.gcr.io", "K8S.GCR.IO", "registry.example.com:5000", "registry.example.com:5000/team",
        "https://ghcr.io/acme/", "*.dkr.ecr.eu-west-1.amazonaws.com", "ghcr.io/acme/app", "docker.io",
        "index.docker.io/v1/", "[::1]:5000/x", "localhost", "a..b", "", "reg?stry.io", "r[a-e]g.io", "réGistry.io",
        "ghcr.io/Acme", "ghcr.io//acme",
    ]
    static let domains = [
        "k8s.gcr.io", "K8s.Gcr.Io", "registry.example.com:5000", "registry.example.com:500",
        "registry.example.com", "ghcr.io", "GHCR.io", "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
        "x.y.dkr.ecr.eu-west-1.amazonaws.com", "docker.io", "[::1]:5000", "localhost", "a..b", "",
        "registry.io", "rdg.io", "réGistry.io", "RÉGISTRY.IO",
    ]
    static let paths = ["library/nginx", "acme/app", "acme/app/sub", "acme/apple", "team/x", "Acme/app", "acme//app", "x", ""]

    @Test(arguments: patterns)
    func registryPatternMatchesLikeTheReference(_ text: String) {
        let p = RegistryPattern(text)
        for d in Self.domains {
            for path in Self.paths {
                #expect(
                    p.matches(domain: d, path: path) == Self.referenceMatches(p, domain: d, path: path),
                    "pattern \(text) domain \(d) path \(path)")
            }
        }
    }

    @Test func cachedPatternsAreTheParsedOnes() {
        let a = RegistryPattern("https://Registry.Example.com:5000/team/app/")
        let b = RegistryPattern("https://Registry.Example.com:5000/team/app/")
        #expect(a == b)
        #expect(a.hostLabels == ["Registry", "Example", "com"])
        #expect(a.port == "5000")
        #expect(a.pathPrefix == ["team", "app"])
        // Many distinct patterns (past the cache's bound) still parse and match correctly.
        for i in 0..<600 {
            let p = RegistryPattern("r\(i).example.com/team")
            #expect(p.hostLabels.first == Substring("r\(i)"))
            #expect(p.matches(domain: "r\(i).example.com", path: "team/app"))
            #expect(!p.matches(domain: "r\(i + 1).example.com", path: "team/app"))
        }
    }
}
