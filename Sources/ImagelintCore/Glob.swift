/// A shell-style glob over `/`-separated text: `*` matches within one segment, `**` across segments,
/// `?` one character, `[abc]`/`[a-z]`/`[!x]` a class. Used for path excludes and image globs.
///
/// Matching runs the pattern as a set of positions over the text, one byte at a time: time is at most
/// pattern length × text length whatever the pattern (`a*a*a*a*b` backtracks exponentially in a recursive
/// matcher), and nothing recurses (a pattern of 400,000 `*` would overflow the stack).
public struct Glob: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let tokens: [Token]

    /// One element of a compiled pattern.
    enum Token: Sendable {
        case byte(UInt8)
        /// `?`: one byte other than `/`.
        case one
        /// `[...]`: one byte in (or, negated, not in) the ranges.
        case set(negated: Bool, ranges: [ClosedRange<UInt8>])
        /// `*`: any run of bytes other than `/`.
        case star
        /// `**`: any run of bytes; `skipsSlash` for `**/`, which also matches nothing at all (the `/` that
        /// follows is then skipped too).
        case doubleStar(skipsSlash: Bool)
    }

    public init(_ pattern: String) {
        self.pattern = pattern
        self.tokens = Self.compile(Array(pattern.utf8))
    }

    public var description: String { pattern }

    public static func == (a: Glob, b: Glob) -> Bool { a.pattern == b.pattern }
    public func hash(into h: inout Hasher) { h.combine(pattern) }

    static func compile(_ p: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(p.count)
        var pi = 0
        while pi < p.count {
            let c = p[pi]
            if c == UInt8(ascii: "*") {
                if pi + 1 < p.count, p[pi + 1] == UInt8(ascii: "*") {
                    let slash = pi + 2 < p.count && p[pi + 2] == UInt8(ascii: "/")
                    tokens.append(.doubleStar(skipsSlash: slash))
                    pi += 2
                } else {
                    tokens.append(.star)
                    pi += 1
                }
                continue
            }
            if c == UInt8(ascii: "?") {
                tokens.append(.one)
                pi += 1
                continue
            }
            if c == UInt8(ascii: "["), let close = p[(pi + 1)...].firstIndex(of: UInt8(ascii: "]")) {
                var j = pi + 1
                var negated = false
                if j < close, p[j] == UInt8(ascii: "!") || p[j] == UInt8(ascii: "^") {
                    negated = true
                    j += 1
                }
                var ranges: [ClosedRange<UInt8>] = []
                while j < close {
                    if j + 2 < close, p[j + 1] == UInt8(ascii: "-") {
                        if p[j] <= p[j + 2] { ranges.append(p[j]...p[j + 2]) }
                        j += 3
                    } else {
                        ranges.append(p[j]...p[j])
                        j += 1
                    }
                }
                tokens.append(.set(negated: negated, ranges: ranges))
                pi = close + 1
                continue
            }
            if c == UInt8(ascii: "\\"), pi + 1 < p.count { pi += 1 }
            tokens.append(.byte(p[pi]))
            pi += 1
        }
        return tokens
    }

    public func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { matches(bytes: $0) }
    }

    /// The position-set simulation: `current` holds the pattern positions reached after the bytes read so
    /// far (with what matches nothing added), each once. One scratch allocation per call (on the stack when
    /// small): the walker matches every path against the excludes.
    func matches(bytes t: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = tokens.count
        let size = n + 1
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: 6 * size + 2) { scratch in
            let base = scratch.baseAddress!
            let mark = base
            let entered = base + size
            var current = base + 2 * size
            var next = base + 3 * size
            let work = base + 4 * size  // (position, entering) pairs
            for i in 0..<size {
                mark[i] = -1
                entered[i] = -1
            }
            var currentCount = 0
            var nextCount = 0
            var generation: Int32 = 0

            /// Adds position `start` and those reachable from it through tokens that can match nothing.
            /// `entering`: reached from the token before (not by a star matching one more byte), so a `**/` may
            /// also match nothing at all and skip its `/`.
            func add(_ start: Int, entering: Bool, to list: UnsafeMutablePointer<Int32>, count: inout Int) {
                var top = 0
                work[0] = Int32(start)
                work[1] = entering ? 1 : 0
                top = 1
                while top > 0 {
                    top -= 1
                    var i = Int(work[2 * top])
                    var entering = work[2 * top + 1] != 0
                    while i <= n {
                        if entering, i < n, case .doubleStar(true) = tokens[i], entered[i] != generation {
                            entered[i] = generation
                            if i + 2 <= n {
                                work[2 * top] = Int32(i + 2)
                                work[2 * top + 1] = 1
                                top += 1
                            }
                        }
                        if mark[i] == generation { break }
                        mark[i] = generation
                        list[count] = Int32(i)
                        count += 1
                        guard i < n else { break }
                        switch tokens[i] {
                        case .star, .doubleStar:
                            i += 1
                            entering = true
                        default:
                            i = n + 1
                        }
                    }
                }
            }

            add(0, entering: true, to: current, count: &currentCount)
            for c in t {
                generation += 1
                nextCount = 0
                for k in 0..<currentCount {
                    let i = Int(current[k])
                    guard i < n else { continue }
                    switch tokens[i] {
                    case .byte(let b): if b == c { add(i + 1, entering: true, to: next, count: &nextCount) }
                    case .one: if c != UInt8(ascii: "/") { add(i + 1, entering: true, to: next, count: &nextCount) }
                    case .set(let negated, let ranges):
                        if ranges.contains(where: { $0.contains(c) }) != negated {
                            add(i + 1, entering: true, to: next, count: &nextCount)
                        }
                    case .star: if c != UInt8(ascii: "/") { add(i, entering: false, to: next, count: &nextCount) }
                    case .doubleStar: add(i, entering: false, to: next, count: &nextCount)
                    }
                }
                if nextCount == 0 { return false }
                swap(&current, &next)
                currentCount = nextCount
            }
            for k in 0..<currentCount where Int(current[k]) == n { return true }
            return false
        }
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
}
