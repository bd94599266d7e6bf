import ByteText
import ImagelintCore

// One piece, though over 400 lines: the reader is BuildKit's instruction semantics in file order — stage
// scoping, ARG/ENV expansion with the global and per-stage scopes, FROM/COPY --from/RUN --mount resolution —
// over one mutable model; every handler reads and writes the same scopes and stage list.

/// An image position found while reading, classified (stage or image) when the whole file is known.
struct PendingReference {
    var span: Span
    var line: Int
    var anchorLine: Int
    var written: String
    var expansion: Expansion
    var source: ImageSource
    var context: DockerfileOrigin
    /// `COPY --from` and `RUN --mount=from=` values may name any stage of the file (BuildKit resolves
    /// them once all stages are known); FROM bases are classified on the spot.
    var needsStageCheck: Bool
}

/// Reads a Dockerfile the way BuildKit's parser does, in one pass over the lexer's tokens: diagnostics,
/// stages, ARG and ENV scopes, and the images the build pulls.
struct DockerfileReader {
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
    /// The current instruction's logical line is `lexer.buf`.
    var lexer: DockerfileLexer

    // Variable scopes.
    var globals: [String: VariableValue] = [:]
    var stageIndexByName: [String: Int] = [:]
    var stageArgs: [String: VariableValue] = [:]
    var envByStage: [[String: VariableValue]] = []

    var pending: [PendingReference] = []
    /// Bytes of ARG and ENV values expanded so far in this file; past `maxExpandedBytes` values are not
    /// kept (each value is capped at 64 KiB, but a file of short lines can make thousands of them).
    var expandedBytes = 0
    /// The per-file budget of expanded ARG/ENV bytes.
    static let maxExpandedBytes = 1 << 20
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
        self.lexer = DockerfileLexer(text: text)
    }

    var buf: [UInt8] { lexer.buf }
    var escape: UInt8 { lexer.escape }

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
        column += UTF8Bytes.scalarCount(bytes, from: from, to: offset)
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

    /// The span of `buf[start..<end]` in the file.
    mutating func span(logical start: Int, _ end: Int) -> Span {
        span(fromByte: lexer.physical(start), toByte: lexer.physical(end - 1) + 1)
    }

    func string(_ start: Int, _ end: Int) -> String { lexer.string(start, end) }
    func skipSpace(_ p: inout Int) { lexer.skipSpace(&p) }
    func words(from start: Int, quoteAware: Bool) -> [Range<Int>] { lexer.words(from: start, quoteAware: quoteAware) }

    // MARK: - Tokens

    mutating func run() {
        if let nul = ByteScan.firstIndex(of: 0, in: bytes) {
            diagnose(
                line: text.line(ofByte: nul),
                "not a text file: it contains NUL bytes (binary, or UTF-16 text); not read as a Dockerfile")
            return
        }
        if let bad = UTF8Bytes.firstInvalid(bytes) {
            diagnose(line: text.line(ofByte: bad), "the file is not valid UTF-8 text (first invalid byte on this line)")
        }
        while let token = lexer.next() {
            switch token {
            case .directive(let d): directive(d)
            case .instruction(let i): instruction(i)
            case .danglingContinuation: danglingContinuation()
            }
        }
    }

    mutating func danglingContinuation() {
        diagnose(line: text.lineCount, "the file ends in a line continuation", severity: .warning)
    }

    mutating func directive(_ d: LexedDirective) {
        let (name, value, line) = (d.name, d.value, d.line)
        if d.isRepeated {
            diagnose(line: line, "only one `\(name)` parser directive can be used; this one is ignored")
            return
        }
        doc.directives.append(DockerfileDirective(name: name, value: value, line: line))
        switch name {
        case "escape":
            if value == "`" {
                doc.escapeCharacter = "`"
            } else if value != "\\" {
                diagnose(line: line, "invalid escape character `\(value)`: use `\\` or `` ` ``")
            }
        case "syntax":
            let sp = span(fromByte: d.valueStart, toByte: d.valueEnd)
            let context = DockerfileOrigin(instruction: "syntax")
            pending.append(
                PendingReference(
                    span: sp, line: line, anchorLine: line, written: value, expansion: .resolved(value),
                    source: .dockerfileSyntax, context: context, needsStageCheck: false))
        default:
            break
        }
    }

    // MARK: - Instructions

    mutating func instruction(_ t: LexedInstruction) {
        let startLine = t.line
        if t.endsInContinuation { danglingContinuation() }
        let word = t.word
        if let sub = t.trigger {
            if sub.isEmpty {
                diagnose(line: startLine, "ONBUILD needs an instruction to trigger")
            } else if sub.keyword == .onbuild || sub.keyword == .from || sub.keyword == .maintainer {
                diagnose(line: startLine, "\(sub.upper) cannot be an ONBUILD trigger")
            }
        }
        if !word.isEmpty, word.keyword == nil {
            if unknownInstruction != nil {
                unknownInstruction!.more += 1
            } else {
                let shown = word.lower.count > 40 ? String(word.lower.prefix(40)) + "…" : word.lower
                unknownInstruction = (doc.diagnostics.count, 0)
                diagnose(line: startLine, "unknown instruction `\(shown.uppercased())`")
            }
        } else if let sub = t.trigger, !sub.isEmpty, sub.keyword == nil {
            let shown = sub.lower.count > 40 ? String(sub.lower.prefix(40)) + "…" : sub.lower
            diagnose(line: startLine, "unknown instruction `\(shown.uppercased())` after ONBUILD")
        } else if currentStage == nil, word.keyword != .arg, word.keyword != .from {
            if beforeFirstFrom != nil {
                beforeFirstFrom!.more += 1
            } else {
                beforeFirstFrom = (doc.diagnostics.count, 0)
                diagnose(line: startLine, "\(word.upper) comes before the first FROM; only ARG may")
            }
        }
        if let name = t.unterminatedHeredoc {
            diagnose(line: startLine, "unterminated heredoc: no line `\(name)` ends the heredoc started here")
        }

        let onbuild = t.trigger != nil
        switch t.keyword {
        case .from where !onbuild: from(flags: t.flags, argsStart: t.argsStart, line: startLine)
        case .arg: if !onbuild { arg(argsStart: t.argsStart, line: startLine) }
        case .env: if !onbuild { env(argsStart: t.argsStart, line: startLine) }
        case .copy, .add:
            copyFrom(flags: t.flags, instruction: t.keyword!.upper, line: startLine, onbuild: onbuild)
        case .run: mountFrom(flags: t.flags, line: startLine, onbuild: onbuild)
        default: break
        }

        doc.instructions.append(
            DockerfileInstruction(
                keyword: word.upper, trigger: t.trigger?.upper, line: startLine, endLine: t.endLine,
                stageIndex: currentStage, flags: t.flags.map(\.name), isJSONForm: t.isJSON, heredocs: t.heredocs))
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

    /// A variable's value counted against the file's budget of expanded bytes: past it the value is
    /// unknown (uses of it are unresolved), with one diagnostic at the first value over.
    mutating func budgeted(_ expansion: Expansion, line: Int) -> VariableValue {
        guard case .resolved(let s) = expansion else { return Self.value(of: expansion) }
        if expandedBytes > Self.maxExpandedBytes { return Self.overBudget }
        expandedBytes += s.utf8.count
        if expandedBytes > Self.maxExpandedBytes {
            diagnose(
                line: line,
                "ARG and ENV values expand to more than \(Self.maxExpandedBytes / 1024) KiB in this file; "
                    + "the values from here on are not worked out")
            return Self.overBudget
        }
        return .value(s)
    }

    /// True once the budget is spent: values are then not expanded at all.
    var isOverBudget: Bool { expandedBytes > Self.maxExpandedBytes }

    static let overBudget = VariableValue.unknown(
        "its value is past the file's budget of \(maxExpandedBytes / 1024) KiB of expanded ARG and ENV values")

    mutating func arg(argsStart: Int, line: Int) {
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
                value =
                    isOverBudget
                    ? Self.overBudget
                    : budgeted(expand(eq + 1, w.upperBound, inStage ? stageLookup() : globalLookup()), line: line)
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

    mutating func env(argsStart: Int, line: Int) {
        guard currentStage != nil else { return }
        let ws = words(from: argsStart, quoteAware: true)
        guard let first = ws.first else { return }
        if !buf[first].contains(ASCII.equals) {
            // Legacy `ENV name value…`: the value is the rest of the line.
            var vs = first.upperBound
            skipSpace(&vs)
            var ve = buf.count
            while ve > vs, ASCII.isSpace(buf[ve - 1]) { ve -= 1 }
            let expansion = isOverBudget ? nil : expand(vs, ve, stageLookup())
            let value = expansion.map { budgeted($0, line: line) } ?? Self.overBudget
            envByStage[envByStage.count - 1][string(first.lowerBound, first.upperBound)] = value
            return
        }
        for w in ws {
            guard let eq = buf[w].firstIndex(of: ASCII.equals), eq > w.lowerBound else { continue }
            let expansion = isOverBudget ? nil : expand(eq + 1, w.upperBound, stageLookup())
            let value = expansion.map { budgeted($0, line: line) } ?? Self.overBudget
            envByStage[envByStage.count - 1][string(w.lowerBound, eq)] = value
        }
    }

    // MARK: - Image positions

    func baseContext(instruction: String, onbuild: Bool) -> DockerfileOrigin {
        var context = DockerfileOrigin(instruction: instruction, onbuild: onbuild)
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
                            instruction: ref.context.instruction))
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
                    source: ref.source, origin: ref.context, unresolvedReason: reason))
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
