/// A regular-expression matcher that never backtracks: the pattern is compiled to a small program and run
/// as a set of threads over the subject (Thompson's construction, Pike's VM), so matching takes time
/// proportional to program size × subject length whatever the pattern: `(a+)+b` against 25 `a`s is 25 steps
/// of a few threads, not 2²⁵ backtracks.
///
/// The syntax is the common one of tag patterns: literals, `.`, `^`, `$`, classes `[a-z0-9._-]` and
/// `[^…]`, `\d \D \w \W \s \S`, escaped punctuation, `\t \n \r`, groups `(…)`, `(?:…)`, `(?<name>…)`,
/// alternation `|`, and quantifiers `* + ? {n} {n,} {n,m}` (a lazy `?` or possessive `+` suffix is
/// accepted; a yes/no match does not depend on it). What needs backtracking (back-references, look-around)
/// is refused at load, with its position.
struct LinearRegex: Sendable {
    /// Why a pattern cannot be used, with the 1-based position (Unicode scalars) of the problem.
    struct SyntaxError: Error, Sendable, CustomStringConvertible {
        var position: Int
        var message: String
        var description: String { "at character \(position): \(message)" }
    }

    enum Predicate: Sendable {
        case scalar(Unicode.Scalar)
        case any
        case digit(Bool)
        case word(Bool)
        case space(Bool)
        case set(negated: Bool, items: [Predicate], ranges: [ClosedRange<UInt32>])

        func matches(_ u: Unicode.Scalar) -> Bool {
            switch self {
            case .scalar(let s): return s == u
            case .any: return u != "\n"
            case .digit(let yes): return (u.properties.numericType == .decimal) == yes
            case .word(let yes): return (u == "_" || u.properties.isAlphabetic || u.properties.numericType == .decimal) == yes
            case .space(let yes): return u.properties.isWhitespace == yes
            case .set(let negated, let items, let ranges):
                let hit = ranges.contains { $0.contains(u.value) } || items.contains { $0.matches(u) }
                return hit != negated
            }
        }
    }

    enum Instruction: Sendable {
        case match(Predicate)
        case split(Int, Int)
        case jump(Int)
        case lineStart
        case lineEnd
        case accept
    }

    /// Programs larger than this are refused (`x{1000}{1000}` would be a million instructions).
    static let maxProgramSize = 20_000

    let program: [Instruction]

    init(_ source: String) throws(SyntaxError) {
        var parser = Parser(scalars: Array(source.unicodeScalars))
        let tree = try parser.parseAlternation()
        if parser.i < parser.scalars.count {
            throw SyntaxError(position: parser.i + 1, message: "unbalanced `)`")
        }
        var compiler = Compiler()
        try compiler.emit(tree)
        compiler.program.append(.accept)
        program = compiler.program
    }

    /// True when the whole subject matches.
    func wholeMatch(_ subject: String) -> Bool { run(Array(subject.unicodeScalars), anchored: true) }

    /// True when some part of the subject matches.
    func search(_ subject: String) -> Bool { run(Array(subject.unicodeScalars), anchored: false) }

    private func run(_ text: [Unicode.Scalar], anchored: Bool) -> Bool {
        let n = program.count
        var current: [Int] = []
        var next: [Int] = []
        var onList = [Int](repeating: -1, count: n)
        var stack: [Int] = []
        current.reserveCapacity(n)
        next.reserveCapacity(n)

        /// Follows jumps, splits and assertions from `pc` at text position `at`, adding the instructions that
        /// read a scalar (or accept) to `list`; returns true when `accept` is reached.
        func add(_ pc: Int, at: Int, generation: Int, to list: inout [Int]) -> Bool {
            var accepted = false
            stack.append(pc)
            while let pc = stack.popLast() {
                if onList[pc] == generation { continue }
                onList[pc] = generation
                switch program[pc] {
                case .jump(let target): stack.append(target)
                case .split(let a, let b):
                    stack.append(b)
                    stack.append(a)
                case .lineStart: if at == 0 { stack.append(pc + 1) }
                case .lineEnd: if at == text.count { stack.append(pc + 1) }
                case .accept:
                    accepted = true
                    list.append(pc)
                case .match: list.append(pc)
                }
            }
            return accepted
        }

        var accepted = add(0, at: 0, generation: 0, to: &current)
        if accepted && (!anchored || text.isEmpty) { return true }
        for (k, u) in text.enumerated() {
            let generation = k + 1
            next.removeAll(keepingCapacity: true)
            accepted = false
            for pc in current {
                if case .match(let p) = program[pc], p.matches(u) {
                    if add(pc + 1, at: k + 1, generation: generation, to: &next) { accepted = true }
                }
            }
            if !anchored {
                if add(0, at: k + 1, generation: generation, to: &next) { accepted = true }
                if accepted { return true }
            }
            if next.isEmpty { return false }
            swap(&current, &next)
        }
        return accepted
    }

    // MARK: Parsing

    indirect enum Node: Sendable {
        case empty
        case predicate(Predicate)
        case lineStart, lineEnd
        case concat([Node])
        case alternation([Node])
        case repeated(Node, min: Int, max: Int?)
    }

    struct Parser {
        let scalars: [Unicode.Scalar]
        var i = 0

        func error(_ message: String, at position: Int? = nil) -> SyntaxError {
            SyntaxError(position: (position ?? i) + 1, message: message)
        }

        var peek: Unicode.Scalar? { i < scalars.count ? scalars[i] : nil }

        mutating func parseAlternation() throws(SyntaxError) -> Node {
            var branches = [try parseConcat()]
            while peek == "|" {
                i += 1
                branches.append(try parseConcat())
            }
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        mutating func parseConcat() throws(SyntaxError) -> Node {
            var items: [Node] = []
            while let c = peek, c != "|", c != ")" {
                let start = i
                var atom = try parseAtom()
                while let q = peek, q == "*" || q == "+" || q == "?" || q == "{" {
                    guard let (min, max) = try parseQuantifier() else { break }
                    if case .lineStart = atom { throw error("a quantifier cannot follow `^`", at: start) }
                    if case .lineEnd = atom { throw error("a quantifier cannot follow `$`", at: start) }
                    atom = .repeated(atom, min: min, max: max)
                    // Lazy and possessive forms match the same subjects.
                    if let s = peek, s == "?" || s == "+" { i += 1 }
                }
                items.append(atom)
            }
            return items.count == 1 ? items[0] : .concat(items)
        }

        /// `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`; nil (nothing consumed) for a `{` that is a literal.
        mutating func parseQuantifier() throws(SyntaxError) -> (Int, Int?)? {
            let c = scalars[i]
            switch c {
            case "*": i += 1; return (0, nil)
            case "+": i += 1; return (1, nil)
            case "?": i += 1; return (0, 1)
            default:
                var j = i + 1
                func number() -> Int? {
                    var v = 0
                    var digits = 0
                    while j < scalars.count, scalars[j].value >= 48, scalars[j].value <= 57 {
                        v = Swift.min(v * 10 + Int(scalars[j].value - 48), 1_000_000)
                        digits += 1
                        j += 1
                    }
                    return digits > 0 ? v : nil
                }
                var high: Int?
                let low: Int
                if j < scalars.count, scalars[j] == "," {
                    // `{,n}`: up to n, as Swift's regular expressions read it.
                    j += 1
                    guard let n = number() else { return nil }
                    (low, high) = (0, n)
                } else {
                    guard let n = number() else { return nil }
                    (low, high) = (n, n)
                    if j < scalars.count, scalars[j] == "," {
                        j += 1
                        high = number()
                    }
                }
                guard j < scalars.count, scalars[j] == "}" else { return nil }
                if let high, high < low { throw error("`{\(low),\(high)}`: the maximum is below the minimum") }
                i = j + 1
                return (low, high)
            }
        }

        mutating func parseAtom() throws(SyntaxError) -> Node {
            let c = scalars[i]
            switch c {
            case "(":
                let open = i
                i += 1
                if peek == "?" {
                    if i + 1 < scalars.count, scalars[i + 1] == ":" {
                        i += 2
                    } else if i + 2 < scalars.count, scalars[i + 1] == "<" || scalars[i + 1] == "P" && scalars[i + 2] == "<",
                        !(scalars[i + 1] == "<" && (scalars[i + 2] == "=" || scalars[i + 2] == "!"))
                    {
                        // A named group: `(?<name>…)` or `(?P<name>…)`.
                        guard let close = scalars[i...].firstIndex(of: ">") else { throw error("unterminated group name") }
                        i = close + 1
                    } else {
                        throw error(
                            "`(?` groups other than `(?:…)` and `(?<name>…)` (look-around, flags) are not supported: "
                                + "imagelint matches patterns without backtracking", at: open)
                    }
                }
                let inner = try parseAlternation()
                guard peek == ")" else { throw error("missing `)` for the group opened here", at: open) }
                i += 1
                return inner
            case ")": throw error("unbalanced `)`")
            case "*", "+", "?": throw error("`\(c)` has nothing to repeat")
            case "[": return .predicate(try parseClass())
            case ".":
                i += 1
                return .predicate(.any)
            case "^":
                i += 1
                return .lineStart
            case "$":
                i += 1
                return .lineEnd
            case "\\":
                return .predicate(try parseEscape(inClass: false))
            default:
                i += 1
                return .predicate(.scalar(c))
            }
        }

        mutating func parseEscape(inClass: Bool) throws(SyntaxError) -> Predicate {
            let start = i
            i += 1
            guard let e = peek else { throw error("a pattern cannot end with `\\`", at: start) }
            i += 1
            switch e {
            case "d": return .digit(true)
            case "D": return .digit(false)
            case "w": return .word(true)
            case "W": return .word(false)
            case "s": return .space(true)
            case "S": return .space(false)
            case "t": return .scalar("\t")
            case "n": return .scalar("\n")
            case "r": return .scalar("\r")
            default:
                if e.properties.isAlphabetic || e.properties.numericType != nil {
                    throw error(
                        "`\\\(e)` is not supported (back-references and other escapes need backtracking or are ambiguous)",
                        at: start)
                }
                return .scalar(e)
            }
        }

        mutating func parseClass() throws(SyntaxError) -> Predicate {
            let open = i
            i += 1
            var negated = false
            if peek == "^" {
                negated = true
                i += 1
            }
            var items: [Predicate] = []
            var ranges: [ClosedRange<UInt32>] = []
            var first = true
            while true {
                guard let c = peek else { throw error("missing `]` for the class opened here", at: open) }
                if c == "]" && !first {
                    i += 1
                    break
                }
                first = false
                var low: Unicode.Scalar
                if c == "\\" {
                    let p = try parseEscape(inClass: true)
                    guard case .scalar(let s) = p else {
                        items.append(p)
                        continue
                    }
                    low = s
                } else if c == "[" {
                    throw error("nested classes and `[:name:]` are not supported")
                } else {
                    low = c
                    i += 1
                }
                if peek == "-", i + 1 < scalars.count, scalars[i + 1] != "]" {
                    i += 1
                    var high: Unicode.Scalar
                    if peek == "\\" {
                        guard case .scalar(let s) = try parseEscape(inClass: true) else {
                            throw error("a range cannot end with a class escape")
                        }
                        high = s
                    } else {
                        high = scalars[i]
                        i += 1
                    }
                    guard low.value <= high.value else { throw error("`\(low)-\(high)`: the range is reversed") }
                    ranges.append(low.value...high.value)
                } else {
                    ranges.append(low.value...low.value)
                }
            }
            return .set(negated: negated, items: items, ranges: ranges)
        }
    }

    // MARK: Compiling

    struct Compiler {
        var program: [Instruction] = []

        mutating func append(_ instruction: Instruction) throws(SyntaxError) {
            if program.count >= LinearRegex.maxProgramSize {
                throw SyntaxError(
                    position: 1, message: "the pattern is too large once its repetitions are counted (over \(LinearRegex.maxProgramSize) steps)")
            }
            program.append(instruction)
        }

        mutating func emit(_ node: Node) throws(SyntaxError) {
            switch node {
            case .empty: break
            case .predicate(let p): try append(.match(p))
            case .lineStart: try append(.lineStart)
            case .lineEnd: try append(.lineEnd)
            case .concat(let items): for item in items { try emit(item) }
            case .alternation(let branches):
                var jumps: [Int] = []
                for (k, branch) in branches.enumerated() {
                    if k < branches.count - 1 {
                        let split = program.count
                        try append(.split(split + 1, -1))
                        try emit(branch)
                        jumps.append(program.count)
                        try append(.jump(-1))
                        program[split] = .split(split + 1, program.count)
                    } else {
                        try emit(branch)
                    }
                }
                for j in jumps { program[j] = .jump(program.count) }
            case .repeated(let inner, let min, let max):
                for _ in 0..<min { try emit(inner) }
                if let max {
                    // Up to `max - min` optional copies: each may be skipped to the end.
                    var splits: [Int] = []
                    for _ in min..<max {
                        splits.append(program.count)
                        try append(.split(program.count + 1, -1))
                        try emit(inner)
                    }
                    for s in splits { program[s] = .split(s + 1, program.count) }
                } else {
                    // `inner*`: a loop; an inner part that can match nothing still ends (the VM never adds an
                    // instruction twice for the same position).
                    let split = program.count
                    try append(.split(split + 1, -1))
                    try emit(inner)
                    try append(.jump(split))
                    program[split] = .split(split + 1, program.count)
                }
            }
        }
    }
}
