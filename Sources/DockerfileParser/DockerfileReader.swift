import ImagelintCore

/// One `--name[=value]` builder flag of an instruction, with where its raw value sits in the logical line.
struct BuilderFlag {
    var name: String
    /// Raw value range in the logical line (quotes included), empty for a flag without `=`.
    var valueStart: Int
    var valueEnd: Int
    var hasValue: Bool
}

/// An image position found while reading, classified (stage or image) when the whole file is known.
struct PendingReference {
    var span: Span
    var line: Int
    var anchorLine: Int
    var written: String
    var expansion: Expansion
    var source: ImageSource
    var context: OccurrenceContext
    /// `COPY --from` and `RUN --mount=from=` values may name any stage of the file (BuildKit resolves
    /// them once all stages are known); FROM bases are classified on the spot.
    var needsStageCheck: Bool
}

/// Reads a Dockerfile the way BuildKit's parser does, over bytes, in one pass over the lines.
struct DockerfileReader {
    static let instructionKeywords: Set<String> = [
        "add", "arg", "cmd", "copy", "entrypoint", "env", "expose", "from", "healthcheck", "label",
        "maintainer", "onbuild", "run", "shell", "stopsignal", "user", "volume", "workdir",
    ]
    /// BuildKit's automatic platform ARGs: defined in the global scope, with values only the builder knows.
    static let platformArgs: Set<String> = [
        "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
        "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT", "TARGETSTAGE",
    ]

    let path: String
    let text: SourceText
    let bytes: [UInt8]
    let options: DockerfileOptions
    var doc: DockerfileDocument
    var escape: UInt8 = ASCII.backslash
    var seenDirectives: Set<String> = []
    /// Next physical line (1-based) to read.
    var nextLine = 1

    // The logical line being handled: continuation lines joined, comment lines dropped.
    var buf: [UInt8] = []
    var segLogical: [Int] = []
    var segPhysical: [Int] = []

    // Variable scopes.
    var globals: [String: VariableValue] = [:]
    var stageIndexByName: [String: Int] = [:]
    var stageArgs: [String: VariableValue] = [:]
    var envByStage: [[String: VariableValue]] = []

    var pending: [PendingReference] = []
    /// Index of the first "unknown instruction" / "before the first FROM" diagnostic and how many more
    /// there were: templated files would otherwise get one per line.
    var unknownInstruction: (index: Int, more: Int)? = nil
    var beforeFirstFrom: (index: Int, more: Int)? = nil

    // Column cache: references come in file order, so counting resumes where the last one stopped.
    var cacheLine = 0
    var cacheByte = 0
    var cacheColumn = 0

    init(path: String, text: SourceText, options: DockerfileOptions) {
        self.path = path
        self.text = text
        self.bytes = text.bytes
        self.options = options
        self.doc = DockerfileDocument(file: path)
    }

    var currentStage: Int? { doc.stages.isEmpty ? nil : doc.stages.count - 1 }

    // MARK: - Diagnostics and positions

    mutating func diagnose(line: Int, _ message: String, severity: Severity = .error) {
        doc.diagnostics.append(Diagnostic(file: path, line: line, message: message, severity: severity))
    }

    mutating func position(ofByte offset: Int) -> (line: Int, column: Int) {
        let line = text.line(ofByte: offset)
        var from: Int
        var column: Int
        if line == cacheLine, offset >= cacheByte {
            from = cacheByte
            column = cacheColumn
        } else {
            from = text.lineStarts[line - 1]
            if line == 1 { from = max(from, text.bomLength) }
            column = 1
        }
        while from < offset {
            if bytes[from] & 0xC0 != 0x80 { column += 1 }
            from += 1
        }
        cacheLine = line
        cacheByte = offset
        cacheColumn = column
        return (line, column)
    }

    mutating func span(fromByte start: Int, toByte end: Int) -> Span {
        let s = position(ofByte: start)
        let e = position(ofByte: end)
        return Span(line: s.line, column: s.column, endLine: e.line, endColumn: e.column)
    }

    /// The file offset of logical-line offset `logical`.
    func physical(_ logical: Int) -> Int {
        var lo = 0
        var hi = segLogical.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if segLogical[mid] <= logical { lo = mid } else { hi = mid - 1 }
        }
        return segPhysical[lo] + (logical - segLogical[lo])
    }

    mutating func span(logical start: Int, _ end: Int) -> Span {
        span(fromByte: physical(start), toByte: physical(end - 1) + 1)
    }

    func string(_ start: Int, _ end: Int) -> String { String(decoding: buf[start..<end], as: UTF8.self) }

    // MARK: - Lines

    mutating func run() {
        if let nul = bytes.firstIndex(of: 0) {
            diagnose(
                line: text.line(ofByte: nul),
                "not a text file: it contains NUL bytes (binary, or UTF-16 text); not read as a Dockerfile")
            return
        }
        if let bad = firstInvalidUTF8(bytes) {
            diagnose(line: text.line(ofByte: bad), "the file is not valid UTF-8 text (first invalid byte on this line)")
        }
        let lineCount = text.lineCount
        var directivesOpen = true
        while nextLine <= lineCount {
            let ln = nextLine
            let r = text.byteRange(ofLine: ln)
            nextLine += 1
            if directivesOpen {
                if directive(r, line: ln) { continue }
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
            while continues {
                guard nextLine <= lineCount else {
                    diagnose(line: lineCount, "the file ends in a line continuation", severity: .warning)
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
            if buf.allSatisfy(ASCII.isSpace) { continue }
            instruction(startLine: ln)
        }
    }

    mutating func appendSegment(_ start: Int, _ end: Int) {
        guard end > start else { return }
        segLogical.append(buf.count)
        segPhysical.append(start)
        buf.append(contentsOf: bytes[start..<end])
    }

    /// BuildKit's continuation test: the escape character, then only blanks, at the end of the line, and
    /// not itself escaped (`C:\\` ends a Windows path, not the line) unless it is alone on the line.
    func trimContinuation(_ start: Int, _ end: Int) -> (end: Int, continues: Bool) {
        var j = end
        while j > start, ASCII.isBlank(bytes[j - 1]) { j -= 1 }
        guard j > start, bytes[j - 1] == escape else { return (end, false) }
        if j - 1 > start, bytes[j - 2] == escape { return (end, false) }
        return (j - 1, true)
    }

    /// Parses `# name = value` at the top of the file. Returns false when the line ends the directives.
    mutating func directive(_ r: Range<Int>, line: Int) -> Bool {
        var i = r.lowerBound
        let e = r.upperBound
        while i < e, ASCII.isSpace(bytes[i]) { i += 1 }
        guard i < e, bytes[i] == ASCII.hash else { return false }
        i += 1
        while i < e, ASCII.isBlank(bytes[i]) { i += 1 }
        let nameStart = i
        guard i < e, ASCII.isLetter(bytes[i]) else { return false }
        while i < e, ASCII.isLetter(bytes[i]) || ASCII.isDigit(bytes[i]) { i += 1 }
        let name = String(decoding: bytes[nameStart..<i].map(ASCII.lower), as: UTF8.self)
        while i < e, ASCII.isBlank(bytes[i]) { i += 1 }
        guard i < e, bytes[i] == ASCII.equals else { return false }
        i += 1
        while i < e, ASCII.isBlank(bytes[i]) { i += 1 }
        var valueEnd = e
        while valueEnd > i, ASCII.isBlank(bytes[valueEnd - 1]) { valueEnd -= 1 }
        guard valueEnd > i, name == "syntax" || name == "escape" || name == "check" else { return false }
        let value = String(decoding: bytes[i..<valueEnd], as: UTF8.self)
        if seenDirectives.contains(name) {
            diagnose(line: line, "only one `\(name)` parser directive can be used; this one is ignored")
            return true
        }
        seenDirectives.insert(name)
        doc.directives.append(DockerfileDirective(name: name, value: value, line: line))
        switch name {
        case "escape":
            if value == "\\" {
                escape = ASCII.backslash
            } else if value == "`" {
                escape = ASCII.backtick
                doc.escapeCharacter = "`"
            } else {
                diagnose(line: line, "invalid escape character `\(value)`: use `\\` or `` ` ``")
            }
        case "syntax":
            let sp = span(fromByte: i, toByte: valueEnd)
            var context = OccurrenceContext()
            context.instruction = "syntax"
            context.onbuild = false
            pending.append(
                PendingReference(
                    span: sp, line: line, anchorLine: line, written: value, expansion: .resolved(value),
                    source: .dockerfileSyntax, context: context, needsStageCheck: false))
        default:
            break
        }
        return true
    }

    // MARK: - Instructions

    func skipSpace(_ p: inout Int) {
        while p < buf.count, ASCII.isSpace(buf[p]) { p += 1 }
    }

    static let keywordTable: [(lower: [UInt8], name: String)] = instructionKeywords.sorted().map { (Array($0.utf8), $0) }

    /// The word at `p` (up to whitespace), lower-cased, and where it ends. Known keywords come from a
    /// table, so the common case builds no string.
    func keyword(at start: Int) -> (String, Int) {
        var p = start
        while p < buf.count, !ASCII.isSpace(buf[p]) { p += 1 }
        let length = p - start
        for entry in Self.keywordTable where entry.lower.count == length {
            var k = 0
            while k < length, ASCII.lower(buf[start + k]) == entry.lower[k] { k += 1 }
            if k == length { return (entry.name, p) }
        }
        return (String(decoding: buf[start..<p].map(ASCII.lower), as: UTF8.self), p)
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
            var quote: UInt8 = 0
            while p < n {
                let c = buf[p]
                if quote != 0 {
                    if c == quote { quote = 0 } else if c == ASCII.backslash { p += 1 }
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

    /// Whitespace-separated words (quotes respected, as BuildKit's `parseWords`), as ranges.
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

    mutating func instruction(startLine: Int) {
        var p = 0
        skipSpace(&p)
        let (word, wordEnd) = keyword(at: p)
        p = wordEnd
        skipSpace(&p)
        var kw = word
        var onbuild = false
        var trigger: String? = nil
        if word == "onbuild" {
            onbuild = true
            let (sub, subEnd) = keyword(at: p)
            p = subEnd
            skipSpace(&p)
            kw = sub
            trigger = sub.uppercased()
            if sub.isEmpty {
                diagnose(line: startLine, "ONBUILD needs an instruction to trigger")
            } else if sub == "onbuild" || sub == "from" || sub == "maintainer" {
                diagnose(line: startLine, "\(sub.uppercased()) cannot be an ONBUILD trigger")
                kw = ""
            }
        }
        if !word.isEmpty, !Self.instructionKeywords.contains(word) {
            if unknownInstruction != nil {
                unknownInstruction!.more += 1
            } else {
                let shown = word.count > 40 ? String(word.prefix(40)) + "…" : word
                unknownInstruction = (doc.diagnostics.count, 0)
                diagnose(line: startLine, "unknown instruction `\(shown.uppercased())`")
            }
        } else if onbuild, !kw.isEmpty, !Self.instructionKeywords.contains(kw) {
            let shown = kw.count > 40 ? String(kw.prefix(40)) + "…" : kw
            diagnose(line: startLine, "unknown instruction `\(shown.uppercased())` after ONBUILD")
        } else if currentStage == nil, word != "arg", word != "from" {
            if beforeFirstFrom != nil {
                beforeFirstFrom!.more += 1
            } else {
                beforeFirstFrom = (doc.diagnostics.count, 0)
                diagnose(line: startLine, "\(word.uppercased()) comes before the first FROM; only ARG may")
            }
        }

        let (flags, argsStart) = builderFlags(from: p)
        var isJSON = false
        var heredocNames: [String] = []
        if kw == "run" || kw == "copy" || kw == "add" || kw == "cmd" || kw == "entrypoint" || kw == "shell" {
            isJSON = argsStart < buf.count && buf[argsStart] == ASCII.leftBracket
                && isJSONStringArray(buf, argsStart, buf.count)
        }
        if !onbuild, !isJSON, kw == "run" || kw == "copy" || kw == "add" {
            heredocNames = readHeredocs(from: argsStart, startLine: startLine)
        }

        switch kw {
        case "from" where !onbuild: from(flags: flags, argsStart: argsStart, line: startLine)
        case "arg": if !onbuild { arg(argsStart: argsStart) }
        case "env": if !onbuild { env(argsStart: argsStart) }
        case "copy", "add": copyFrom(flags: flags, instruction: kw.uppercased(), line: startLine, onbuild: onbuild)
        case "run": mountFrom(flags: flags, line: startLine, onbuild: onbuild)
        default: break
        }

        doc.instructions.append(
            DockerfileInstruction(
                keyword: word.uppercased(), trigger: trigger, line: startLine, endLine: max(startLine, nextLine - 1),
                stageIndex: currentStage, flags: flags.map(\.name), isJSONForm: isJSON, heredocs: heredocNames))
    }

    // MARK: - Heredocs

    /// Finds `<<EOF`, `<<-EOF`, `<<"EOF"` words (BuildKit's rule: a whole word `\d*<<-?name`) and skips
    /// their bodies, which are never read as instructions.
    mutating func readHeredocs(from start: Int, startLine: Int) -> [String] {
        var hasMarker = false
        var k = start
        while k + 1 < buf.count {
            if buf[k] == ASCII.lessThan, buf[k + 1] == ASCII.lessThan {
                hasMarker = true
                break
            }
            k += 1
        }
        guard hasMarker else { return [] }
        var names: [String] = []
        var docs: [(name: [UInt8], chomp: Bool)] = []
        // Word split with quotes and backslash escapes kept raw, as BuildKit does for heredoc detection.
        var p = start
        let n = buf.count
        while true {
            skipSpace(&p)
            guard p < n else { break }
            let ws = p
            var quote: UInt8 = 0
            while p < n {
                let c = buf[p]
                if quote != 0 {
                    if c == quote { quote = 0 } else if c == ASCII.backslash && quote == ASCII.quote { p += 1 }
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
            if !terminated {
                let name = String(decoding: doc.name, as: UTF8.self)
                diagnose(line: startLine, "unterminated heredoc: no line `\(name)` ends the heredoc started here")
                break
            }
        }
        return names
    }

    // MARK: - Variables

    func globalLookup() -> (String) -> VariableValue {
        let globals = self.globals
        return { name in
            if let v = globals[name] { return v }
            if DockerfileReader.platformArgs.contains(name) {
                return .unknown("`\(name)` is set by the builder for each platform")
            }
            return .unset("variable `\(name)` is not declared (no global ARG `\(name)`)")
        }
    }

    func stageLookup() -> (String) -> VariableValue {
        let env = envByStage.last ?? [:]
        let args = stageArgs
        let globals = self.globals
        return { name in
            if let v = env[name] ?? args[name] { return v }
            if globals[name] != nil || DockerfileReader.platformArgs.contains(name) {
                return .unset("variable `\(name)` is not declared in this stage (add `ARG \(name)` inside it)")
            }
            return .unset("variable `\(name)` is not declared")
        }
    }

    static func onbuildLookup(_ name: String) -> VariableValue {
        .unknown("variable `\(name)` of an ONBUILD trigger is expanded in the build that uses this image")
    }

    func expand(_ start: Int, _ end: Int, _ lookup: @escaping (String) -> VariableValue) -> Expansion {
        WordExpander.expand(buf[start..<end], escape: escape, lookup: lookup)
    }

    static func value(of expansion: Expansion) -> VariableValue {
        switch expansion {
        case .resolved(let s): .value(s)
        case .unresolved(let why): .unknown(why)
        }
    }

    mutating func arg(argsStart: Int) {
        let inStage = currentStage != nil
        for w in words(from: argsStart, quoteAware: true) {
            var eq = w.lowerBound
            while eq < w.upperBound, buf[eq] != ASCII.equals { eq += 1 }
            let name = string(w.lowerBound, eq)
            guard !name.isEmpty else { continue }
            var value: VariableValue
            if let override = options.buildArgs[name] {
                value = .value(override)
            } else if eq < w.upperBound {
                value = Self.value(of: expand(eq + 1, w.upperBound, inStage ? stageLookup() : globalLookup()))
                // `ARG X=`: an empty default is a slot for `--build-arg`, not a value to build with, so an
                // image that uses it is unresolved rather than invalid (`servercore:` with an empty tag).
                if case .value(let v) = value, v.isEmpty {
                    value = .emptyDefault("ARG `\(name)` has an empty default; pass --build-arg \(name)=…")
                }
            } else if inStage, let global = globals[name] {
                value = global
            } else if Self.platformArgs.contains(name) {
                value = .unknown("`\(name)` is set by the builder for each platform")
            } else {
                value = .unset("ARG `\(name)` has no default and no build argument sets it")
            }
            if inStage { stageArgs[name] = value } else { globals[name] = value }
        }
    }

    mutating func env(argsStart: Int) {
        guard currentStage != nil else { return }
        let ws = words(from: argsStart, quoteAware: true)
        guard let first = ws.first else { return }
        if !buf[first].contains(ASCII.equals) {
            // Legacy `ENV name value…`: the value is the rest of the line.
            var vs = first.upperBound
            skipSpace(&vs)
            var ve = buf.count
            while ve > vs, ASCII.isSpace(buf[ve - 1]) { ve -= 1 }
            let value = Self.value(of: expand(vs, ve, stageLookup()))
            envByStage[envByStage.count - 1][string(first.lowerBound, first.upperBound)] = value
            return
        }
        for w in ws {
            guard let eq = buf[w].firstIndex(of: ASCII.equals), eq > w.lowerBound else { continue }
            let value = Self.value(of: expand(eq + 1, w.upperBound, stageLookup()))
            envByStage[envByStage.count - 1][string(w.lowerBound, eq)] = value
        }
    }

    // MARK: - Image positions

    func baseContext(instruction: String, onbuild: Bool) -> OccurrenceContext {
        var context = OccurrenceContext()
        context.instruction = instruction
        context.onbuild = onbuild
        if let index = currentStage {
            context.stageIndex = index
            context.stage = doc.stages[index].name
        }
        return context
    }

    mutating func from(flags: [BuilderFlag], argsStart: Int, line: Int) {
        let args = words(from: argsStart, quoteAware: false)
        guard let image = args.first else {
            diagnose(line: line, "FROM needs a base image: `FROM [--platform=…] image [AS name]`")
            return
        }
        var alias: String? = nil
        if args.count == 3, buf[args[1]].count == 2, buf[args[1]].map(ASCII.lower).elementsEqual("as".utf8) {
            alias = string(args[2].lowerBound, args[2].upperBound)
        } else if args.count != 1 {
            diagnose(line: line, "FROM takes one image and an optional `AS name`: `FROM image [AS name]`")
        }
        var platform: String? = nil
        if let f = flags.first(where: { $0.name == "platform" }) { platform = string(f.valueStart, f.valueEnd) }

        let written = string(image.lowerBound, image.upperBound)
        let expansion = expand(image.lowerBound, image.upperBound, globalLookup())
        var baseStage: Int? = nil
        var isScratch = false
        if case .resolved(let resolved) = expansion {
            let lower = resolved.lowercased()
            if lower == "scratch" {
                isScratch = true
            } else {
                baseStage = stageIndexByName[lower]
            }
        }
        let index = doc.stages.count
        if let alias {
            let key = alias.lowercased()
            if stageIndexByName[key] != nil {
                diagnose(line: line, "duplicate stage name `\(alias)`")
            } else {
                stageIndexByName[key] = index
            }
        }
        let resolvedBase: String? = if case .resolved(let s) = expansion { s } else { nil }
        doc.stages.append(
            DockerfileStage(
                index: index, name: alias, line: line, base: written, resolvedBase: resolvedBase,
                baseStage: baseStage, isScratch: isScratch, platform: platform))
        stageArgs = [:]
        envByStage.append(baseStage.map { envByStage[$0] } ?? [:])

        guard !isScratch, baseStage == nil else { return }
        var context = baseContext(instruction: "FROM", onbuild: false)
        context.alias = alias
        context.platform = platform
        pending.append(
            PendingReference(
                span: span(logical: image.lowerBound, image.upperBound), line: line, anchorLine: line,
                written: written, expansion: expansion, source: .dockerfileFrom, context: context,
                needsStageCheck: false))
    }

    mutating func copyFrom(flags: [BuilderFlag], instruction: String, line: Int, onbuild: Bool) {
        guard let f = flags.first(where: { $0.name == "from" }), f.valueEnd > f.valueStart else { return }
        addStageOrImage(
            f.valueStart, f.valueEnd, source: .dockerfileCopyFrom, instruction: instruction, line: line,
            onbuild: onbuild)
    }

    /// `RUN --mount=type=bind,from=X,…`: the CSV fields of each mount, `from` for bind and cache mounts.
    mutating func mountFrom(flags: [BuilderFlag], line: Int, onbuild: Bool) {
        for f in flags where f.name == "mount" && f.valueEnd > f.valueStart {
            var start = f.valueStart
            var end = f.valueEnd
            if end - start >= 2, buf[start] == ASCII.quote || buf[start] == ASCII.apostrophe, buf[end - 1] == buf[start] {
                start += 1
                end -= 1
            }
            var type: String? = nil
            var fromRange: Range<Int>? = nil
            var p = start
            while p <= end {
                var fieldEnd = p
                var inQuote = false
                while fieldEnd < end, inQuote || buf[fieldEnd] != ASCII.comma {
                    if buf[fieldEnd] == ASCII.quote { inQuote.toggle() }
                    fieldEnd += 1
                }
                var fs = p
                var fe = fieldEnd
                if fe - fs >= 2, buf[fs] == ASCII.quote, buf[fe - 1] == ASCII.quote {
                    fs += 1
                    fe -= 1
                }
                if let eq = buf[fs..<fe].firstIndex(of: ASCII.equals) {
                    let key = String(decoding: buf[fs..<eq].lazy.map(ASCII.lower), as: UTF8.self)
                    if key == "type" {
                        type = string(eq + 1, fe).lowercased()
                    } else if key == "from", fe > eq + 1 {
                        fromRange = (eq + 1)..<fe
                    }
                }
                p = fieldEnd + 1
            }
            guard let fromRange else { continue }
            if let type, type != "bind", type != "cache", !type.contains("$") { continue }
            addStageOrImage(
                fromRange.lowerBound, fromRange.upperBound, source: .dockerfileMountFrom, instruction: "RUN",
                line: line, onbuild: onbuild)
        }
    }

    mutating func addStageOrImage(
        _ start: Int, _ end: Int, source: ImageSource, instruction: String, line: Int, onbuild: Bool
    ) {
        let expansion = expand(start, end, onbuild ? Self.onbuildLookup : stageLookup())
        pending.append(
            PendingReference(
                span: span(logical: start, end), line: line, anchorLine: line, written: string(start, end),
                expansion: expansion, source: source, context: baseContext(instruction: instruction, onbuild: onbuild),
                needsStageCheck: true))
    }

    // MARK: - Result

    mutating func finish() -> DockerfileDocument {
        doc.occurrences.reserveCapacity(pending.count)
        for ref in pending {
            if ref.needsStageCheck, case .resolved(let value) = ref.expansion {
                var stage: Int? = stageIndexByName[value.lowercased()]
                if stage == nil, !value.isEmpty, value.utf8.allSatisfy(ASCII.isDigit) {
                    if let index = Int(value), index < doc.stages.count {
                        stage = index
                    } else {
                        diagnose(line: ref.line, "`--from=\(value)`: there is no stage \(value)")
                        continue
                    }
                }
                if let stage {
                    doc.stageReferences.append(
                        DockerfileStageReference(
                            line: ref.span.line, written: ref.written, stageIndex: stage,
                            instruction: ref.context.instruction ?? ""))
                    continue
                }
            }
            let resolved: String?
            let reason: String?
            switch ref.expansion {
            case .resolved(let s):
                resolved = s
                reason = nil
            case .unresolved(let why):
                resolved = nil
                reason = why
            }
            doc.occurrences.append(
                Occurrence(
                    file: path, span: ref.span, anchorLine: ref.anchorLine, written: ref.written, resolved: resolved,
                    source: ref.source, context: ref.context, unresolvedReason: reason))
        }
        for case let (index, more)? in [unknownInstruction, beforeFirstFrom] where more > 0 {
            doc.diagnostics[index].message += " (and \(more) more like it in this file)"
        }
        doc.diagnostics = doc.diagnostics.enumerated()
            .sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
            .map(\.element)
        return doc
    }
}
