/// What a variable holds when a word is expanded.
enum VariableValue: Sendable, Equatable {
    /// Set, possibly to the empty string.
    case value(String)
    /// Not set: BuildKit would substitute nothing. The reason says why (undeclared, no default…).
    case unset(String)
    /// Has a value at build time that the file does not tell (automatic platform ARGs), or a value that
    /// could not be worked out. Any use makes the word unresolved.
    case unknown(String)
    /// `ARG X=`: set to the empty string, as operators (`${X:-w}`, `${X-w}`, `${X+w}`) see it, but a bare
    /// `$X` in an image position leaves the word unresolved: an empty default is a slot for `--build-arg`.
    case emptyDefault(String)
}

/// The result of expanding a word.
enum Expansion: Equatable {
    case resolved(String)
    case unresolved(String)
}

/// BuildKit's word expansion (its `shell.Lex`) for image positions and ARG/ENV values: quotes,
/// the active escape character, `$VAR`, `${VAR}`, `${VAR:-w}`, `${VAR-w}`, `${VAR:+w}`, `${VAR+w}`,
/// `${VAR:?w}`, `${VAR?w}`. Bounded: nesting depth and result length are capped, so hostile input
/// can neither overflow the stack nor blow up memory.
struct WordExpander {
    static let maxDepth = 32
    static let maxLength = 1 << 16

    private let src: [UInt8]
    private let escape: UInt8
    private let lookup: (String) -> VariableValue
    private var i = 0
    private var depth = 0
    /// The first reason the word cannot be resolved.
    private var failure: String?

    private init(_ src: [UInt8], escape: UInt8, lookup: @escaping (String) -> VariableValue) {
        self.src = src
        self.escape = escape
        self.lookup = lookup
    }

    /// Expands `word` (raw text as written) with `lookup`.
    static func expand(
        _ word: ArraySlice<UInt8>, escape: UInt8, lookup: @escaping (String) -> VariableValue
    ) -> Expansion {
        // Fast path: nothing to expand or unquote.
        if !word.contains(where: { $0 == UInt8(ascii: "$") || $0 == UInt8(ascii: "'") || $0 == UInt8(ascii: "\"") || $0 == escape }) {
            return .resolved(String(decoding: word, as: UTF8.self))
        }
        var e = WordExpander(Array(word), escape: escape, lookup: lookup)
        let out = e.run(stop: nil)
        if let failure = e.failure { return .unresolved(failure) }
        return .resolved(String(decoding: out, as: UTF8.self))
    }

    private mutating func fail(_ reason: String) {
        if failure == nil { failure = reason }
    }

    private mutating func syntaxError(_ reason: String) {
        fail(reason)
        i = src.count
    }

    private mutating func append(_ out: inout [UInt8], _ bytes: some Collection<UInt8>) {
        if out.count + bytes.count > Self.maxLength {
            fail("the value is longer than \(Self.maxLength) bytes")
            i = src.count
            return
        }
        out.append(contentsOf: bytes)
    }

    /// Reads up to `stop` (consumed) or the end.
    private mutating func run(stop: UInt8?) -> [UInt8] {
        var out: [UInt8] = []
        let n = src.count
        while i < n {
            let c = src[i]
            if let stop, c == stop {
                i += 1
                return out
            }
            switch c {
            case UInt8(ascii: "'"):
                i += 1
                guard let close = src[i...].firstIndex(of: UInt8(ascii: "'")) else {
                    syntaxError("unterminated single quote")
                    return out
                }
                append(&out, src[i..<close])
                i = close + 1
            case UInt8(ascii: "\""):
                i += 1
                doubleQuoted(&out)
            case UInt8(ascii: "$"):
                dollar(&out)
            case escape:
                if i + 1 < n { append(&out, CollectionOfOne(src[i + 1])) }
                i += 2
            default:
                out.append(c)
                i += 1
                if out.count > Self.maxLength { append(&out, EmptyCollection()) }
            }
        }
        if stop != nil { syntaxError("missing `}` in variable substitution") }
        return out
    }

    private mutating func doubleQuoted(_ out: inout [UInt8]) {
        let n = src.count
        while i < n {
            let c = src[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return
            }
            if c == UInt8(ascii: "$") {
                dollar(&out)
                continue
            }
            if c == escape, i + 1 < n {
                let next = src[i + 1]
                if next == UInt8(ascii: "\"") || next == UInt8(ascii: "$") || next == escape {
                    out.append(next)
                    i += 2
                    continue
                }
            }
            out.append(c)
            i += 1
        }
        syntaxError("unterminated double quote")
    }

    private static func isNameChar(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F
    }

    private mutating func name() -> String {
        let start = i
        while i < src.count, Self.isNameChar(src[i]) { i += 1 }
        return String(decoding: src[start..<i], as: UTF8.self)
    }

    /// Expands the alternative word of `${VAR<op>word}`; returns it and its own failure, leaving the
    /// outer failure untouched (an unused alternative must not make the word unresolved).
    private mutating func alternative() -> (bytes: [UInt8], failure: String?) {
        let saved = failure
        failure = nil
        let bytes = run(stop: UInt8(ascii: "}"))
        let own = failure
        failure = saved
        return (bytes, own)
    }

    private mutating func dollar(_ out: inout [UInt8]) {
        i += 1  // `$`
        let n = src.count
        guard i < n else {
            out.append(UInt8(ascii: "$"))
            return
        }
        let c = src[i]
        if Self.isNameChar(c) {
            let v = name()
            switch lookup(v) {
            case .value(let s): append(&out, s.utf8)
            case .unset(let why), .unknown(let why), .emptyDefault(let why): fail(why)
            }
            return
        }
        guard c == UInt8(ascii: "{") else {
            out.append(UInt8(ascii: "$"))
            return
        }
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth {
            syntaxError("variable substitutions nested too deeply")
            return
        }
        i += 1
        let v = name()
        guard !v.isEmpty, i < n else {
            syntaxError("bad variable substitution")
            return
        }
        var op = src[i]
        i += 1
        if op == UInt8(ascii: "}") {
            switch lookup(v) {
            case .value(let s): append(&out, s.utf8)
            case .unset(let why), .unknown(let why), .emptyDefault(let why): fail(why)
            }
            return
        }
        var colon = false
        if op == UInt8(ascii: ":") {
            guard i < n else {
                syntaxError("bad variable substitution")
                return
            }
            colon = true
            op = src[i]
            i += 1
        }
        guard op == UInt8(ascii: "-") || op == UInt8(ascii: "+") || op == UInt8(ascii: "?") else {
            if !colon, op == UInt8(ascii: "#") || op == UInt8(ascii: "%") || op == UInt8(ascii: "/") {
                _ = alternative()
                fail("pattern substitution in `${\(v)…}` is not evaluated")
            } else {
                syntaxError("bad variable substitution in `${\(v)…}`")
            }
            return
        }
        var value = lookup(v)
        if case .emptyDefault = value { value = .value("") }
        let alt = alternative()
        let useAlternative: Bool
        switch value {
        case .unknown(let why), .emptyDefault(let why):  // (emptyDefault was mapped to "" above)
            fail(why)
            return
        case .value(let s):
            let isSet = colon ? !s.isEmpty : true
            switch op {
            case UInt8(ascii: "-"), UInt8(ascii: "?"):
                if isSet {
                    append(&out, s.utf8)
                    return
                }
                useAlternative = op == UInt8(ascii: "-")
            default:  // `+`
                useAlternative = isSet
            }
        case .unset(let why):
            switch op {
            case UInt8(ascii: "-"): useAlternative = true
            case UInt8(ascii: "?"):
                fail(why)
                return
            default: useAlternative = false
            }
        }
        if op == UInt8(ascii: "?") {
            fail("variable `\(v)` is empty")
            return
        }
        if useAlternative {
            if let f = alt.failure { fail(f) }
            append(&out, alt.bytes)
        }
    }
}
