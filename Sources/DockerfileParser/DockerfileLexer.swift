import ByteText

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import ImagelintCore

// One piece, though over 400 lines: the lexer is one state machine over one buffer (escape character,
// continuations, comment lines inside instructions, heredocs, JSON exec form, flags), and each part reads
// and moves the same cursor and logical-line buffer; split, they would share that state through a wider
// interface than the one the reader uses now (`next()` and the token types at the top).

/// An instruction keyword.
enum Keyword: UInt8, CaseIterable, Sendable {
    case add, arg, cmd, copy, entrypoint, env, expose, from, healthcheck, label, maintainer, onbuild, run, shell,
        stopsignal, user, volume, workdir

    /// The keyword, lower-cased.
    var name: String {
        switch self {
        case .add: "add"
        case .arg: "arg"
        case .cmd: "cmd"
        case .copy: "copy"
        case .entrypoint: "entrypoint"
        case .env: "env"
        case .expose: "expose"
        case .from: "from"
        case .healthcheck: "healthcheck"
        case .label: "label"
        case .maintainer: "maintainer"
        case .onbuild: "onbuild"
        case .run: "run"
        case .shell: "shell"
        case .stopsignal: "stopsignal"
        case .user: "user"
        case .volume: "volume"
        case .workdir: "workdir"
        }
    }

    /// The keyword, upper-cased.
    var upper: String {
        switch self {
        case .add: "ADD"
        case .arg: "ARG"
        case .cmd: "CMD"
        case .copy: "COPY"
        case .entrypoint: "ENTRYPOINT"
        case .env: "ENV"
        case .expose: "EXPOSE"
        case .from: "FROM"
        case .healthcheck: "HEALTHCHECK"
        case .label: "LABEL"
        case .maintainer: "MAINTAINER"
        case .onbuild: "ONBUILD"
        case .run: "RUN"
        case .shell: "SHELL"
        case .stopsignal: "STOPSIGNAL"
        case .user: "USER"
        case .volume: "VOLUME"
        case .workdir: "WORKDIR"
        }
    }

    /// Lower-case spellings by length, for matching a word without building a string.
    static let byLength: [[(bytes: [UInt8], keyword: Keyword)]] = {
        var table = [[(bytes: [UInt8], keyword: Keyword)]](repeating: [], count: 12)
        for k in allCases { table[k.name.utf8.count].append((Array(k.name.utf8), k)) }
        return table
    }()
}

/// The first word of an instruction, or of an ONBUILD trigger, lower-cased.
struct InstructionWord {
    /// The keyword the word spells, ignoring case; nil for any other word.
    var keyword: Keyword?
    /// The word, lower-cased (ASCII letters only).
    var lower: String

    var isEmpty: Bool { lower.isEmpty }
    /// The word, upper-cased.
    var upper: String { keyword?.upper ?? lower.uppercased() }
}

/// One `--name[=value]` builder flag of an instruction, with where its raw value sits in the logical line.
struct BuilderFlag {
    var name: String
    /// Raw value range in the logical line (quotes included), empty for a flag without `=`.
    var valueStart: Int
    var valueEnd: Int
    var hasValue: Bool
}

/// A parser directive line (`# syntax=…`, `# escape=…`, `# check=…`) at the top of the file.
struct LexedDirective {
    /// `syntax`, `escape` or `check`.
    var name: String
    var value: String
    var line: Int
    /// Byte range of the value in the file.
    var valueStart: Int
    var valueEnd: Int
    /// True when an earlier line gave the same directive: this one is ignored.
    var isRepeated: Bool
}

/// One instruction: its logical line (continuations joined, comment lines dropped) is the lexer's `buf`
/// until the next token is read.
struct LexedInstruction {
    /// First and last physical lines, heredoc bodies included.
    var line: Int
    var endLine: Int
    /// The first word.
    var word: InstructionWord
    /// For `ONBUILD`: the word after it (empty when there is none).
    var trigger: InstructionWord?
    /// The instruction that takes effect: the keyword, or the trigger's for `ONBUILD`. Nil for unknown
    /// words and for triggers ONBUILD does not allow (`ONBUILD`, `FROM`, `MAINTAINER`).
    var keyword: Keyword?
    var flags: [BuilderFlag]
    /// Offset in `buf` where the arguments start (after the flags).
    var argsStart: Int
    /// True for the exec (JSON array) form of `RUN`, `COPY`, `ADD`, `CMD`, `ENTRYPOINT`, `SHELL`.
    var isJSON: Bool
    /// Heredoc delimiters, in order.
    var heredocs: [String]
    /// The delimiter of a heredoc whose body runs to the end of the file.
    var unterminatedHeredoc: String?
    /// True when the file ended inside the instruction's line continuation.
    var endsInContinuation: Bool
}

/// What the lexer reads, in file order.
enum DockerfileToken {
    case directive(LexedDirective)
    case instruction(LexedInstruction)
    /// The file ended in a line continuation that added nothing to an instruction.
    case danglingContinuation
}

/// Splits a Dockerfile into parser directives and instructions the way BuildKit's parser does, over the
/// bytes: escape character, line continuations, comment and empty lines inside continuations, keywords,
/// builder flags, the exec form and heredoc bodies. It reports facts; the reader turns them into
/// diagnostics, stages and images.
struct DockerfileLexer {
    let text: SourceText
    let bytes: [UInt8]
    /// The active escape character (`\` or `` ` ``), set by an `escape` directive.
    private(set) var escape: UInt8 = ASCII.backslash
    /// Next physical line (1-based) to read.
    private(set) var nextLine = 1
    private var directivesOpen = true
    private var seenDirectives: [String] = []

    /// The current instruction's logical line: continuation lines joined, comment lines dropped.
    private(set) var buf: [UInt8] = []
    /// Where each joined piece starts in `buf` and in the file.
    private var segLogical: [Int] = []
    private var segPhysical: [Int] = []

    init(text: SourceText) {
        self.text = text
        self.bytes = text.bytes
        buf.reserveCapacity(256)
        segLogical.reserveCapacity(8)
        segPhysical.reserveCapacity(8)
    }

    // MARK: - Lines

    /// The next directive or instruction; nil at the end of the file.
    mutating func next() -> DockerfileToken? {
        let lineCount = text.lineCount
        while nextLine <= lineCount {
            let ln = nextLine
            let r = text.byteRange(ofLine: ln)
            nextLine += 1
            if directivesOpen {
                if let d = directive(r, line: ln) { return .directive(d) }
                directivesOpen = false
            }
            var s = r.lowerBound
            let e = r.upperBound
            while s < e, ASCII.isSpace(bytes[s]) { s += 1 }
            if s == e || bytes[s] == ASCII.hash { continue }

            buf.removeAll(keepingCapacity: true)
            segLogical.removeAll(keepingCapacity: true)
            segPhysical.removeAll(keepingCapacity: true)
            var (contentEnd, continues) = trimContinuation(s, e)
            appendSegment(s, contentEnd)
            var dangling = false
            while continues {
                guard nextLine <= lineCount else {
                    dangling = true
                    break
                }
                let cr = text.byteRange(ofLine: nextLine)
                nextLine += 1
                var k = cr.lowerBound
                while k < cr.upperBound, ASCII.isSpace(bytes[k]) { k += 1 }
                if k == cr.upperBound || bytes[k] == ASCII.hash { continue }  // empty or comment line
                (contentEnd, continues) = trimContinuation(cr.lowerBound, cr.upperBound)
                appendSegment(cr.lowerBound, contentEnd)
            }
            if buf.allSatisfy(ASCII.isSpace) {
                if dangling { return .danglingContinuation }
                continue
            }
            return .instruction(instruction(startLine: ln, endsInContinuation: dangling))
        }
        return nil
    }

    private mutating func appendSegment(_ start: Int, _ end: Int) {
        guard end > start else { return }
        segLogical.append(buf.count)
        segPhysical.append(start)
        buf.append(contentsOf: bytes[start..<end])
    }

    /// BuildKit's continuation test: the escape character, then only blanks, at the end of the line, and
    /// not itself escaped (`C:\\` ends a Windows path, not the line) unless it is alone on the line.
    private func trimContinuation(_ start: Int, _ end: Int) -> (end: Int, continues: Bool) {
        var j = end
        while j > start, ASCII.isBlank(bytes[j - 1]) { j -= 1 }
        guard j > start, bytes[j - 1] == escape else { return (end, false) }
        if j - 1 > start, bytes[j - 2] == escape { return (end, false) }
        return (j - 1, true)
    }

    /// Parses `# name = value` at the top of the file; nil when the line ends the directives. A first
    /// `escape` directive with a valid value takes effect here.
    private mutating func directive(_ r: Range<Int>, line: Int) -> LexedDirective? {
        var i = r.lowerBound
        let e = r.upperBound
        while i < e, ASCII.isSpace(bytes[i]) { i += 1 }
        guard i < e, bytes[i] == ASCII.hash else { return nil }
        i += 1
        while i < e, ASCII.isBlank(bytes[i]) { i += 1 }
        let nameStart = i
        guard i < e, ASCII.isLetter(bytes[i]) else { return nil }
        while i < e, ASCII.isLetter(bytes[i]) || ASCII.isDigit(bytes[i]) { i += 1 }
        let name = String(decoding: bytes[nameStart..<i].map(ASCII.lower), as: UTF8.self)
        while i < e, ASCII.isBlank(bytes[i]) { i += 1 }
        guard i < e, bytes[i] == ASCII.equals else { return nil }
        i += 1
        while i < e, ASCII.isBlank(bytes[i]) { i += 1 }
        var valueEnd = e
        while valueEnd > i, ASCII.isBlank(bytes[valueEnd - 1]) { valueEnd -= 1 }
        guard valueEnd > i, name == "syntax" || name == "escape" || name == "check" else { return nil }
        let value = String(decoding: bytes[i..<valueEnd], as: UTF8.self)
        let repeated = seenDirectives.contains(name)
        if !repeated {
            seenDirectives.append(name)
            if name == "escape" {
                if value == "\\" { escape = ASCII.backslash } else if value == "`" { escape = ASCII.backtick }
            }
        }
        return LexedDirective(
            name: name, value: value, line: line, valueStart: i, valueEnd: valueEnd, isRepeated: repeated)
    }

    // MARK: - Instructions

    private mutating func instruction(startLine: Int, endsInContinuation: Bool) -> LexedInstruction {
        var p = 0
        skipSpace(&p)
        let (word, wordEnd) = self.word(at: p)
        p = wordEnd
        skipSpace(&p)
        var keyword = word.keyword
        var trigger: InstructionWord? = nil
        if keyword == .onbuild {
            let (sub, subEnd) = self.word(at: p)
            p = subEnd
            skipSpace(&p)
            trigger = sub
            keyword = sub.keyword
            if keyword == .onbuild || keyword == .from || keyword == .maintainer { keyword = nil }
        }
        let (flags, argsStart) = builderFlags(from: p)
        var isJSON = false
        switch keyword {
        case .run, .copy, .add, .cmd, .entrypoint, .shell:
            isJSON = argsStart < buf.count && buf[argsStart] == ASCII.leftBracket
                && isJSONStringArray(buf, argsStart, buf.count)
        default:
            break
        }
        var heredocs: (names: [String], unterminated: String?) = ([], nil)
        if trigger == nil, !isJSON, keyword == .run || keyword == .copy || keyword == .add {
            heredocs = readHeredocs(from: argsStart)
        }
        return LexedInstruction(
            line: startLine, endLine: max(startLine, nextLine - 1), word: word, trigger: trigger, keyword: keyword,
            flags: flags, argsStart: argsStart, isJSON: isJSON, heredocs: heredocs.names,
            unterminatedHeredoc: heredocs.unterminated, endsInContinuation: endsInContinuation)
    }

    func skipSpace(_ p: inout Int) {
        while p < buf.count, ASCII.isSpace(buf[p]) { p += 1 }
    }

    /// Moves `p` past one shell-like word: up to unquoted whitespace, quotes kept, a backslash escaping the
    /// next byte outside quotes and inside double quotes, and inside single quotes too when
    /// `escapesInSingleQuotes` (BuildKit's flag splitting does so; its heredoc detection does not).
    func skipWord(_ p: inout Int, escapesInSingleQuotes: Bool) {
        let n = buf.count
        var quote: UInt8 = 0
        while p < n {
            let c = buf[p]
            if quote != 0 {
                if c == quote {
                    quote = 0
                } else if c == ASCII.backslash, quote == ASCII.quote || escapesInSingleQuotes {
                    p += 1
                }
            } else if ASCII.isSpace(c) {
                break
            } else if c == ASCII.quote || c == ASCII.apostrophe {
                quote = c
            } else if c == ASCII.backslash {
                p += 1
            }
            p += 1
        }
        p = min(p, n)
    }

    /// The word at `start` (up to whitespace), lower-cased, and where it ends. Keywords build no string.
    func word(at start: Int) -> (InstructionWord, Int) {
        var p = start
        while p < buf.count, !ASCII.isSpace(buf[p]) { p += 1 }
        let length = p - start
        if length < Keyword.byLength.count {
            for entry in Keyword.byLength[length] {
                var k = 0
                while k < length, ASCII.lower(buf[start + k]) == entry.bytes[k] { k += 1 }
                if k == length { return (InstructionWord(keyword: entry.keyword, lower: entry.keyword.name), p) }
            }
        }
        return (InstructionWord(keyword: nil, lower: String(decoding: buf[start..<p].map(ASCII.lower), as: UTF8.self)), p)
    }

    /// BuildKit's `extractBuilderFlags`: leading `--name[=value]` words. Returns the flags and where the
    /// arguments start.
    func builderFlags(from start: Int) -> ([BuilderFlag], Int) {
        var flags: [BuilderFlag] = []
        var p = start
        let n = buf.count
        while true {
            skipSpace(&p)
            guard p + 1 < n, buf[p] == ASCII.dash, buf[p + 1] == ASCII.dash else { return (flags, p) }
            let wordStart = p
            skipWord(&p, escapesInSingleQuotes: true)
            if p - wordStart == 2 {  // `--` ends the flags
                skipSpace(&p)
                return (flags, p)
            }
            var nameEnd = wordStart + 2
            while nameEnd < p, buf[nameEnd] != ASCII.equals { nameEnd += 1 }
            let hasValue = nameEnd < p
            flags.append(
                BuilderFlag(
                    name: string(wordStart + 2, nameEnd), valueStart: hasValue ? nameEnd + 1 : p, valueEnd: p,
                    hasValue: hasValue))
        }
    }

    /// Whitespace-separated words of `buf` from `start` (quotes respected, as BuildKit's `parseWords`),
    /// as ranges.
    func words(from start: Int, quoteAware: Bool) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var p = start
        let n = buf.count
        while true {
            skipSpace(&p)
            guard p < n else { return result }
            let ws = p
            var quote: UInt8 = 0
            while p < n {
                let c = buf[p]
                if quote != 0 {
                    if c == quote { quote = 0 } else if c == escape && quote == ASCII.quote { p += 1 }
                } else if ASCII.isSpace(c) {
                    break
                } else if quoteAware && (c == ASCII.quote || c == ASCII.apostrophe) {
                    quote = c
                } else if quoteAware && c == escape {
                    p += 1
                }
                p += 1
            }
            p = min(p, n)
            result.append(ws..<p)
        }
    }

    /// `buf[start..<end]` as a string.
    func string(_ start: Int, _ end: Int) -> String { String(decoding: buf[start..<end], as: UTF8.self) }

    /// The file offset of `buf` offset `logical`.
    func physical(_ logical: Int) -> Int {
        var lo = 0
        var hi = segLogical.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if segLogical[mid] <= logical { lo = mid } else { hi = mid - 1 }
        }
        return segPhysical[lo] + (logical - segLogical[lo])
    }

    // MARK: - Heredocs

    /// Finds `<<EOF`, `<<-EOF`, `<<"EOF"` words (BuildKit's rule: a whole word `\d*<<-?name`) and skips
    /// their bodies, which are never read as instructions. Returns the delimiters and, when a body runs
    /// to the end of the file, its delimiter (the heredocs after it are not looked for).
    private mutating func readHeredocs(from start: Int) -> (names: [String], unterminated: String?) {
        let hasMarker = buf.withUnsafeBytes { b in
            guard let base = b.baseAddress else { return false }
            var k = start
            while k + 1 < b.count, let hit = memchr(base + k, Int32(ASCII.lessThan), b.count - 1 - k) {
                k = base.distance(to: UnsafeRawPointer(hit))
                if b[k + 1] == ASCII.lessThan { return true }
                k += 1
            }
            return false
        }
        guard hasMarker else { return ([], nil) }
        var names: [String] = []
        var docs: [(name: [UInt8], chomp: Bool)] = []
        // Word split with quotes and backslash escapes kept raw, as BuildKit does for heredoc detection.
        var p = start
        let n = buf.count
        while true {
            skipSpace(&p)
            guard p < n else { break }
            let ws = p
            skipWord(&p, escapesInSingleQuotes: false)
            var j = ws
            while j < p, ASCII.isDigit(buf[j]) { j += 1 }
            guard j + 1 < p, buf[j] == ASCII.lessThan, buf[j + 1] == ASCII.lessThan else { continue }
            j += 2
            var chomp = false
            if j < p, buf[j] == ASCII.dash {
                chomp = true
                j += 1
            }
            if buf[j..<p].contains(ASCII.lessThan) { continue }
            var name: [UInt8] = []
            var q = j
            while q < p {
                let c = buf[q]
                if c == ASCII.quote || c == ASCII.apostrophe {
                    q += 1
                    continue
                }
                if c == ASCII.backslash, q + 1 < p { q += 1 }
                name.append(buf[q])
                q += 1
            }
            if name.isEmpty { continue }
            docs.append((name, chomp))
            names.append(String(decoding: name, as: UTF8.self))
        }
        let lineCount = text.lineCount
        for doc in docs {
            var terminated = false
            while nextLine <= lineCount {
                let r = text.byteRange(ofLine: nextLine)
                nextLine += 1
                var s = r.lowerBound
                if doc.chomp { while s < r.upperBound, bytes[s] == ASCII.tab { s += 1 } }
                if r.upperBound - s == doc.name.count, bytes[s..<r.upperBound].elementsEqual(doc.name) {
                    terminated = true
                    break
                }
            }
            if !terminated { return (names, String(decoding: doc.name, as: UTF8.self)) }
        }
        return (names, nil)
    }
}
