import Testing
@testable import ImagelintCore
import TestSupport

/// Issue 13, items 8 and 9: globs and tag patterns match in time bounded by pattern × subject, with no
/// recursion; what a linear matcher cannot do is refused at load with its position.
@Suite struct MatcherHardeningTests {
    // MARK: Globs

    /// The recursive matcher this replaced, kept as the reference for its semantics.
    static func reference(_ p: [UInt8], _ pi: Int, _ t: [UInt8], _ ti: Int) -> Bool {
        var pi = pi
        var ti = ti
        while pi < p.count {
            let c = p[pi]
            if c == UInt8(ascii: "*") {
                let double = pi + 1 < p.count && p[pi + 1] == UInt8(ascii: "*")
                let next = pi + (double ? 2 : 1)
                if double, next < p.count, p[next] == UInt8(ascii: "/"), reference(p, next + 1, t, ti) { return true }
                if next == p.count { return double || !t[ti...].contains(UInt8(ascii: "/")) }
                var k = ti
                while k <= t.count {
                    if reference(p, next, t, k) { return true }
                    if k == t.count || (!double && t[k] == UInt8(ascii: "/")) { break }
                    k += 1
                }
                return false
            }
            guard ti < t.count else { return false }
            if c == UInt8(ascii: "?") {
                if t[ti] == UInt8(ascii: "/") { return false }
                pi += 1
                ti += 1
                continue
            }
            if c == UInt8(ascii: "["), let close = p[(pi + 1)...].firstIndex(of: UInt8(ascii: "]")) {
                var j = pi + 1
                var negate = false
                if p[j] == UInt8(ascii: "!") || p[j] == UInt8(ascii: "^") {
                    negate = true
                    j += 1
                }
                var hit = false
                while j < close {
                    if j + 2 < close, p[j + 1] == UInt8(ascii: "-") {
                        if t[ti] >= p[j] && t[ti] <= p[j + 2] { hit = true }
                        j += 3
                    } else {
                        if t[ti] == p[j] { hit = true }
                        j += 1
                    }
                }
                if hit == negate { return false }
                pi = close + 1
                ti += 1
                continue
            }
            if c == UInt8(ascii: "\\"), pi + 1 < p.count { pi += 1 }
            if p[pi] != t[ti] { return false }
            pi += 1
            ti += 1
        }
        return ti == t.count
    }

    @Test func globAgreesWithTheRecursiveMatcher() {
        var rng = TestSeed.generator("globAgreesWithTheRecursiveMatcher")
        let patternAlphabet: [String] = ["a", "b", "/", "*", "**", "**/", "?", "[ab]", "[!a]", "[a-b]", "\\*", "["]
        let textAlphabet: [UInt8] = Array("ab/*[".utf8)
        for _ in 0..<20_000 {
            let pattern = (0..<Int.random(in: 0...6, using: &rng)).map { _ in patternAlphabet.randomElement(using: &rng)! }.joined()
            let text = (0..<Int.random(in: 0...7, using: &rng)).map { _ in textAlphabet.randomElement(using: &rng)! }
            let expected = Self.reference(Array(pattern.utf8), 0, text, 0)
            let got = Glob(pattern).matches(String(decoding: text, as: UTF8.self))
            #expect(got == expected, "pattern \(pattern) text \(String(decoding: text, as: UTF8.self)) (seed \(rng.seed))")
            if got != expected { return }
        }
    }

    /// Before: 84 s for this pair, and a stack overflow for 400 KB of `*`.
    @Test func hostileGlobsAreLinear() {
        let name = String(repeating: "a", count: 60)
        #expect(!Glob("a*a*a*a*a*a*a*a*a*b").matches(name))
        #expect(!Glob(String(repeating: "a*", count: 200) + "b").matches(String(repeating: "a", count: 400)))
        #expect(Glob(String(repeating: "*", count: 400_000)).matches(name))
        #expect(!Glob(String(repeating: "*", count: 400_000) + "b").matches(name))
        #expect(Glob(String(repeating: "**/", count: 1000) + "x").matchesPath("a/b/c/x"))
    }

    // MARK: Tag patterns

    /// Before: `(a+)+b` against 25 characters took over 2 minutes (Swift Regex backtracks).
    @Test(arguments: ["(a+)+b", "(a|a)+b", "(a|aa)*b", "(a*)*b", "a*a*a*a*a*a*a*a*a*a*b", "(.*a){20}b", "((a+)+)+b"])
    func catastrophicPatternsAreLinear(pattern: String) throws {
        let p = try Pattern(pattern)
        #expect(!p.wholeMatch(String(repeating: "a", count: 128)))
        #expect(p.wholeMatch(String(repeating: "a", count: 40) + "b"))
        #expect(!p.search(String(repeating: "a", count: 128)))
    }

    @Test(arguments: [
        ("v?\\d+\\.\\d+\\.\\d+", "v1.25.3", true), ("v?\\d+\\.\\d+\\.\\d+", "1.25", false),
        ("stable-\\d{8}", "stable-20240211", true), ("stable-\\d{8}", "stable-2024021", false),
        ("edge.*", "edge", true), ("edge.*", "xedge", false), ("^[a-z]+-[0-9a-f]{7,40}$", "sha-abc1234", true),
        ("(?:alpha|beta)\\d*", "beta12", true), ("(?<n>rc)[.-]?\\d+", "rc.1", true), ("[^-]+", "a-b", false),
        ("[\\w.-]+", "a_b.c-d", true), ("a{2,}", "a", false), ("a{2,}", "aaaa", true), ("a{1,2}", "aaa", false),
        ("a|", "", true), ("x\\{1}", "x{1}", true), ("a{,2}", "aa", true), ("a{,2}", "aaa", false), ("\\d+\\.x", "1.x", true),
    ])
    func supportedSyntax(pattern: String, subject: String, matches: Bool) throws {
        #expect(try Pattern(pattern).wholeMatch(subject) == matches)
        #expect(try Regex(pattern).wholeMatch(in: subject) != nil ? matches : !matches)
    }

    @Test(arguments: [
        ("(a)\\1", 4, "back-references"), ("(?=a)a", 1, "look-around"), ("(?<=a)b", 1, "look-around"),
        ("(a", 1, "missing `)`"), ("a)", 2, "unbalanced"), ("[a", 1, "missing `]`"), ("*a", 1, "nothing to repeat"),
        ("a{3,2}", 2, "maximum is below"), ("(x{1000}){1000}", 1, "too large"),
    ])
    func unsupportedPatternsAreRefusedWithTheirPosition(pattern: String, position: Int, words: String) {
        do {
            _ = try Pattern(pattern)
            Issue.record("\(pattern) was accepted")
        } catch {
            let text = "\(error)"
            #expect(text.hasPrefix("at character \(position):"), "\(text)")
            #expect(text.contains(words), "\(text)")
        }
    }
}
