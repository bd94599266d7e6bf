/// A shell-style glob over `/`-separated text: `*` matches within one segment, `**` across segments,
/// `?` one character, `[abc]`/`[a-z]`/`[!x]` a class. Used for path excludes and image globs.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let p: [UInt8]

    public init(_ pattern: String) {
        self.pattern = pattern
        self.p = Array(pattern.utf8)
    }

    public var description: String { pattern }

    public func matches(_ text: String) -> Bool {
        let t = Array(text.utf8)
        return Glob.match(p, 0, t, 0)
    }

    /// Matches a path: the whole path, or any trailing run of its segments (so `vendor/**` matches
    /// `a/vendor/x`, and `*.yaml` matches `dir/f.yaml`), or a leading directory of it.
    public func matchesPath(_ path: String) -> Bool {
        var path = path
        while path.hasPrefix("./") { path.removeFirst(2) }
        if matches(path) { return true }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        if !pattern.hasPrefix("/") {
            for i in 0..<segments.count where matches(segments[i...].joined(separator: "/")) { return true }
        }
        // A pattern naming a directory excludes everything below it.
        for i in 1..<max(segments.count, 1) where matches(segments[..<i].joined(separator: "/")) { return true }
        return false
    }

    private static func match(_ p: [UInt8], _ pi: Int, _ t: [UInt8], _ ti: Int) -> Bool {
        var pi = pi
        var ti = ti
        while pi < p.count {
            let c = p[pi]
            if c == UInt8(ascii: "*") {
                let double = pi + 1 < p.count && p[pi + 1] == UInt8(ascii: "*")
                var next = pi + (double ? 2 : 1)
                if double, next < p.count, p[next] == UInt8(ascii: "/") {
                    // `**/` also matches zero segments
                    if match(p, next + 1, t, ti) { return true }
                    next += 0
                }
                if next == p.count {
                    return double || !t[ti...].contains(UInt8(ascii: "/"))
                }
                var k = ti
                while k <= t.count {
                    if match(p, next, t, k) { return true }
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
            if c == UInt8(ascii: "\\"), pi + 1 < p.count {
                pi += 1
            }
            if p[pi] != t[ti] { return false }
            pi += 1
            ti += 1
        }
        return ti == t.count
    }
}
