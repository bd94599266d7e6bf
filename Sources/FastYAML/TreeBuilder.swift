import ByteText
import CYAML

// One piece, though over 400 lines: libyaml's event loop and the tree it builds (marks converted to byte
// offsets, anchors and aliases, the open-collection stack, the document limits, recovery after a depth or
// syntax error) share one parser state that must stay in a single non-copyable value.

/// Converts libyaml's mark index (a count of characters after the BOM) to a byte offset, moving a
/// cursor forwards or backwards; events arrive nearly in order, so the total work is linear.
struct OffsetMapper {
    let bytes: UnsafeRawBufferPointer
    let bom: Int
    let isASCII: Bool
    /// Where `bytes` start in the whole input (a parse resumed after a depth error reads a tail of it).
    let base: Int
    var charIndex = 0
    var byteOffset: Int

    init(bytes: UnsafeRawBufferPointer, base: Int = 0) {
        self.bytes = bytes
        self.base = base
        self.bom = UTF8Bytes.bomLength(bytes)
        self.byteOffset = bom
        self.isASCII = UTF8Bytes.isASCII(bytes)
    }

    @inline(__always) mutating func offset(ofCharIndex index: Int) -> Int {
        if isASCII { return base + min(bom + index, bytes.count) }
        return base + walk(to: index)
    }

    mutating func walk(to index: Int) -> Int {
        let n = bytes.count
        while charIndex < index && byteOffset < n {
            let lead = bytes[byteOffset]
            byteOffset += lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            charIndex += 1
        }
        while charIndex > index && byteOffset > bom {
            byteOffset -= 1
            while byteOffset > bom && !UTF8Bytes.isScalarStart(bytes[byteOffset]) { byteOffset -= 1 }
            charIndex -= 1
        }
        return min(byteOffset, n)
    }
}

/// A collection whose end event has not come yet.
struct OpenCollection {
    var node: Int32
    /// Where its children start in `scratch`.
    var childStart: Int
    /// `TreeBuilder.aliasExtra` when it opened.
    var aliasExtra: Int
}

/// Drives libyaml's event parser and builds the flat node arrays.
struct TreeBuilder: ~Copyable {
    static let maxInputSize = 1 << 30

    let input: UnsafeRawBufferPointer
    let options: YAMLParseOptions
    var mapper: OffsetMapper

    var nodes = PlainBuffer<NodeRecord>()
    var children = PlainBuffer<Int32>()
    var values = PlainBuffer<UInt8>()
    var strings: [String] = []
    var stringIndex: [String: Int32] = [:]

    /// Open collections: node index, where their children start in `scratch`, and `aliasExtra` when they
    /// opened.
    var stack = PlainBuffer<OpenCollection>()
    var scratch = PlainBuffer<Int32>()
    /// The anchored nodes of the document by anchor name, with their expanded size.
    var anchors: [Int32: (node: Int32, size: Int)] = [:]
    /// What the document's aliases add when expanded: the sum of their targets' expanded sizes less one
    /// each, saturating. A node's expanded size (aliases counted as their targets' size) is then its
    /// subtree's node count, `nodes.count - index` (nodes are stored in document order), plus the
    /// growth of `aliasExtra` while it was open.
    var aliasExtra = 0
    /// What the aliases of the documents kept so far add: the budget is the stream's, not a document's.
    var streamAliasExtra = 0
    /// Set when a document nests too deep: the segment's parse stops there.
    var depthErrorOffset: Int? = nil
    /// Lines before the segment being parsed (libyaml's marks count from its start).
    var segmentLine = 0
    /// Documents seen (kept or dropped); set `documentsExhausted` past `options.maxDocuments`.
    var documentCount = 0
    var documentsExhausted = false
    /// Set when the node budget runs out; the document is dropped once the current event is handled.
    var pendingNodeLimitError: YAMLError? = nil

    // The document being built.
    var skipping = false
    var root: Int32 = -1
    var docFirstNode = 0
    var docFirstChild = 0
    var docFirstValue = 0
    var docStart = YAMLMark(offset: 0, line: 0, column: 0)
    var docExplicitStart = false

    var pending: [(root: Int32, index: Int, start: YAMLMark, end: YAMLMark, explicitStart: Bool, explicitEnd: Bool, range: Range<Int>)] = []
    var errors: [YAMLError] = []

    init(input: UnsafeRawBufferPointer, options: YAMLParseOptions) {
        self.input = input
        self.options = options
        self.mapper = OffsetMapper(bytes: input)
    }

    mutating func run() -> YAMLStream {
        if input.count > Self.maxInputSize {
            errors.append(YAMLError(kind: .tooLarge, message: "input larger than 1 GiB", line: 1, column: 1, offset: 0))
            return finish()
        }
        if input.starts(with: [0xFF, 0xFE]) || input.starts(with: [0xFE, 0xFF]) {
            errors.append(
                YAMLError(
                    kind: .encoding, message: "UTF-16 text is not supported; convert the file to UTF-8", line: 1,
                    column: 1, offset: 0))
            return finish()
        }
        guard let base = input.baseAddress ?? UnsafeRawPointer(bitPattern: 1) else { return finish() }
        // Kubernetes and compose YAML averages a node per 14 bytes (densest file of the benchmark corpus:
        // one per 11) and decodes to half its size in scalar bytes (at most two thirds).
        nodes.reserve(input.count / 12 + 4)
        children.reserve(input.count / 12 + 4)
        values.reserve(input.count / 3 * 2 + 16)
        stack.reserve(32)
        scratch.reserve(256)

        // One libyaml parser per segment: the whole input, unless a document nests too deep. libyaml's cost
        // per token grows with the flow nesting depth (its simple-key list), so rather than letting it read
        // the rest of such a document, the parse stops there and a new parser resumes at the next `---`.
        var segmentStart = 0
        while true {
            guard let resume = parseSegment(base: base, from: segmentStart) else { break }
            segmentStart = resume
        }
        return finish()
    }

    /// Parses `input[start...]` with a fresh libyaml parser; returns where to resume when the parse was
    /// abandoned at a depth error (the start of the next `---` line), nil when the stream is done.
    mutating func parseSegment(base: UnsafeRawPointer, from start: Int) -> Int? {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
        defer {
            parser.deallocate()
            event.deallocate()
        }
        guard yaml_parser_initialize(parser) != 0 else {
            errors.append(YAMLError(kind: .syntax, message: "cannot initialize libyaml", line: 1, column: 1, offset: 0))
            return nil
        }
        defer { yaml_parser_delete(parser) }
        if start > 0 {
            segmentLine = Self.lineBreaks(in: UnsafeRawBufferPointer(rebasing: input[..<start]))
            mapper = OffsetMapper(bytes: UnsafeRawBufferPointer(rebasing: input[start...]), base: start)
        }
        yaml_parser_set_input_string(parser, (base + start).assumingMemoryBound(to: UInt8.self), input.count - start)

        while true {
            guard yaml_parser_parse(parser, event) != 0 else {
                recordParserError(parser.pointee)
                return nil
            }
            let type = event.pointee.type
            handle(event)
            yaml_event_delete(event)
            if let error = pendingNodeLimitError {
                pendingNodeLimitError = nil
                dropDocument(error)
                return nil
            }
            if type == YAML_STREAM_END_EVENT || documentsExhausted { return nil }
            if let depthErrorOffset {
                self.depthErrorOffset = nil
                return Self.nextDocumentStart(in: input, after: depthErrorOffset)
            }
        }
    }

    /// The offset of the first line after `offset` that starts with `---` followed by a blank, a line break
    /// or the end; nil when there is none.
    static func nextDocumentStart(in bytes: UnsafeRawBufferPointer, after offset: Int) -> Int? {
        let n = bytes.count
        var i = offset
        while i < n {
            if bytes[i] == 0x0A {
                let s = i + 1
                if s + 3 <= n, bytes[s] == 0x2D, bytes[s + 1] == 0x2D, bytes[s + 2] == 0x2D,
                    s + 3 == n || bytes[s + 3] == 0x20 || bytes[s + 3] == 0x09 || bytes[s + 3] == 0x0A
                        || bytes[s + 3] == 0x0D
                {
                    return s
                }
            }
            i += 1
        }
        return nil
    }

    /// Line breaks as libyaml counts them in `bytes`: `\n`, a `\r` not followed by `\n`.
    static func lineBreaks(in bytes: UnsafeRawBufferPointer) -> Int {
        var count = 0
        for i in 0..<bytes.count {
            let b = bytes[i]
            if b == 0x0A || (b == 0x0D && (i + 1 == bytes.count || bytes[i + 1] != 0x0A)) { count += 1 }
        }
        return count
    }

    mutating func finish() -> YAMLStream {
        let storage = YAMLStorage(nodes: nodes.take(), children: children.take(), values: values.take(), strings: strings)
        let documents = pending.map {
            YAMLDocument(
                root: YAMLNode(storage: storage, index: $0.root), index: $0.index, startMark: $0.start,
                endMark: $0.end, hasExplicitStart: $0.explicitStart, hasExplicitEnd: $0.explicitEnd,
                nodeRange: $0.range)
        }
        return YAMLStream(documents: documents, errors: errors)
    }

    // MARK: Events

    @inline(__always) mutating func mark(_ m: yaml_mark_t) -> YAMLMark {
        YAMLMark(offset: mapper.offset(ofCharIndex: m.index), line: m.line + segmentLine, column: m.column)
    }

    @inline(__always) mutating func intern(_ cString: UnsafeMutablePointer<yaml_char_t>?) -> Int32 {
        guard let cString else { return -1 }
        return intern(present: cString)
    }

    mutating func intern(present cString: UnsafeMutablePointer<yaml_char_t>) -> Int32 {
        let s = String(cString: cString)
        if let i = stringIndex[s] { return i }
        let i = Int32(strings.count)
        strings.append(s)
        stringIndex[s] = i
        return i
    }

    mutating func handle(_ event: UnsafeMutablePointer<yaml_event_t>) {
        let e = event.pointee
        switch e.type {
        case YAML_DOCUMENT_START_EVENT:
            documentCount += 1
            if documentCount > options.maxDocuments {
                let m = mark(e.start_mark)
                errors.append(
                    YAMLError(
                        kind: .tooLarge,
                        message: "more than \(options.maxDocuments) documents; the rest of the file is not read",
                        line: m.line + 1, column: m.column + 1, offset: m.offset))
                documentsExhausted = true
                skipping = true
                return
            }
            skipping = false
            root = -1
            stack.truncate(to: 0)
            scratch.truncate(to: 0)
            anchors.removeAll(keepingCapacity: true)
            aliasExtra = 0
            docFirstNode = nodes.count
            docFirstChild = children.count
            docFirstValue = values.count
            docStart = mark(e.start_mark)
            docExplicitStart = e.data.document_start.implicit == 0
        case YAML_DOCUMENT_END_EVENT:
            if !skipping && root >= 0 {
                streamAliasExtra = Self.saturatingAdd(streamAliasExtra, aliasExtra)
                pending.append(
                    (root, pending.count, docStart, mark(e.end_mark), docExplicitStart,
                     e.data.document_end.implicit == 0, docFirstNode..<nodes.count))
            }
            skipping = false
        case YAML_SCALAR_EVENT:
            guard !skipping else { return }
            let s = e.data.scalar
            let style: YAMLScalarStyle =
                switch s.style {
                case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
                case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
                case YAML_LITERAL_SCALAR_STYLE: .literal
                case YAML_FOLDED_SCALAR_STYLE: .folded
                default: .plain
                }
            let valueStart = values.count
            if s.length > 0, let v = s.value { values.append(v, count: s.length) }
            // `!!binary`: the decoded bytes are the scalar's value, as Kubernetes' YAML reader has them (it
            // decodes base64 into a string). Text that is not base64 is kept as written.
            if s.length > 0, let t = s.tag, Self.isBinaryTag(t) {
                Self.decodeBase64InPlace(&values, from: valueStart)
            }
            var flags: UInt8 = 0
            if s.plain_implicit != 0 { flags |= NodeRecord.flagPlainImplicit }
            if s.quoted_implicit != 0 { flags |= NodeRecord.flagQuotedImplicit }
            let anchor = intern(s.anchor)
            let index = append(
                kind: NodeRecord.scalar, style: style.rawValue, flags: flags, tag: intern(s.tag), anchor: anchor,
                a: Int32(valueStart), b: Int32(values.count - valueStart), start: e.start_mark, end: e.end_mark)
            if anchor >= 0 { anchors[anchor] = (index, 1) }
            attach(index)
        case YAML_ALIAS_EVENT:
            guard !skipping else { return }
            let name = intern(e.data.alias.anchor)
            guard let target = anchors[name] else {
                let m = mark(e.start_mark)
                dropDocument(
                    YAMLError(
                        kind: .undefinedAlias, message: "found undefined alias '\(strings[Int(name)])'",
                        line: m.line + 1, column: m.column + 1, offset: m.offset))
                return
            }
            let index = append(
                kind: NodeRecord.alias, style: 0, flags: 0, tag: -1, anchor: name, a: target.node, b: 0,
                start: e.start_mark, end: e.end_mark)
            aliasExtra = Self.saturatingAdd(aliasExtra, target.size - 1)
            if Self.saturatingAdd(streamAliasExtra, aliasExtra) > options.maxAliasExpansion {
                let m = mark(e.start_mark)
                dropDocument(
                    YAMLError(
                        kind: .aliasExpansion,
                        message: "aliases expand to more than \(options.maxAliasExpansion) nodes in this file (an alias bomb?)",
                        line: m.line + 1, column: m.column + 1, offset: m.offset))
                return
            }
            attach(index)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            guard !skipping else { return }
            let isMapping = e.type == YAML_MAPPING_START_EVENT
            if stack.count >= options.maxDepth {
                let m = mark(e.start_mark)
                dropDocument(
                    YAMLError(
                        kind: .depth, message: "nesting deeper than \(options.maxDepth) levels", line: m.line + 1,
                        column: m.column + 1, offset: m.offset))
                depthErrorOffset = m.offset
                return
            }
            let flow =
                isMapping
                ? e.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                : e.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
            let tag = intern(isMapping ? e.data.mapping_start.tag : e.data.sequence_start.tag)
            let anchor = intern(isMapping ? e.data.mapping_start.anchor : e.data.sequence_start.anchor)
            let index = append(
                kind: isMapping ? NodeRecord.mapping : NodeRecord.sequence, style: 0,
                flags: flow ? NodeRecord.flagFlow : 0, tag: tag, anchor: anchor, a: 0, b: 0, start: e.start_mark,
                end: e.end_mark)
            stack.append(OpenCollection(node: index, childStart: scratch.count, aliasExtra: aliasExtra))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard !skipping, !stack.isEmpty else { return }
            let open = stack.removeLast()
            let first = children.count
            let count = scratch.count - open.childStart
            let size = Self.saturatingAdd(nodes.count - Int(open.node), aliasExtra - open.aliasExtra)
            children.append(scratch.base + open.childStart, count: count)
            scratch.truncate(to: open.childStart)
            let m = mark(e.end_mark)
            let node = nodes.pointer(at: Int(open.node))
            node.pointee.a = Int32(first)
            node.pointee.b = Int32(count)
            node.pointee.endOffset = Int32(m.offset)
            node.pointee.endLine = Int32(clamping: m.line)
            node.pointee.endColumn = Int32(clamping: m.column)
            if node.pointee.anchor >= 0 { anchors[node.pointee.anchor] = (open.node, size) }
            attach(open.node)
        default:
            break
        }
    }

    mutating func append(
        kind: UInt8, style: UInt8, flags: UInt8, tag: Int32, anchor: Int32, a: Int32, b: Int32, start: yaml_mark_t,
        end: yaml_mark_t
    ) -> Int32 {
        let s = mark(start)
        let t = mark(end)
        if nodes.count >= options.maxNodes, !documentsExhausted {
            // Past the stream's node budget: the document is dropped (after this node, which the caller
            // attaches) and the stream ends at the next event.
            documentsExhausted = true
            pendingNodeLimitError = YAMLError(
                kind: .tooLarge, message: "more than \(options.maxNodes) YAML nodes; the rest of the file is not read",
                line: s.line + 1, column: s.column + 1, offset: s.offset)
        }
        nodes.append(
            NodeRecord(
                kind: kind, style: style, flags: flags, tag: tag, anchor: anchor, a: a, b: b,
                startOffset: Int32(s.offset), startLine: Int32(clamping: s.line), startColumn: Int32(clamping: s.column),
                endOffset: Int32(t.offset), endLine: Int32(clamping: t.line), endColumn: Int32(clamping: t.column)))
        return Int32(nodes.count - 1)
    }

    @inline(__always) mutating func attach(_ index: Int32) {
        if stack.isEmpty { root = index } else { scratch.append(index) }
    }

    /// Abandons the current document: its nodes are removed and its remaining events ignored.
    mutating func dropDocument(_ error: YAMLError) {
        errors.append(error)
        skipping = true
        nodes.truncate(to: docFirstNode)
        children.truncate(to: docFirstChild)
        values.truncate(to: docFirstValue)
        stack.truncate(to: 0)
        scratch.truncate(to: 0)
        anchors.removeAll(keepingCapacity: true)
        aliasExtra = 0
        root = -1
    }

    static let binaryTag = Array("tag:yaml.org,2002:binary".utf8)

    static func isBinaryTag(_ tag: UnsafeMutablePointer<yaml_char_t>) -> Bool {
        for (i, b) in binaryTag.enumerated() where tag[i] != b { return false }
        return tag[binaryTag.count] == 0
    }

    /// Replaces `values[start...]`, base64 text (line breaks and blanks allowed, `=` padding optional), with
    /// the bytes it encodes; leaves it as it is when it is not base64.
    static func decodeBase64InPlace(_ values: inout PlainBuffer<UInt8>, from start: Int) {
        let end = values.count
        var symbols = 0
        var seenPadding = false
        for i in start..<end {
            switch values[i] {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2B, 0x2F:
                if seenPadding { return }
                symbols += 1
            case 0x3D: seenPadding = true
            case 0x20, 0x09, 0x0A, 0x0D: break
            default: return
            }
        }
        if symbols % 4 == 1 { return }
        var out = start
        var accumulator: UInt32 = 0
        var bits = 0
        var padding = false
        for i in start..<end {
            let c = values[i]
            let v: UInt32
            switch c {
            case 0x41...0x5A: v = UInt32(c - 0x41)
            case 0x61...0x7A: v = UInt32(c - 0x61 + 26)
            case 0x30...0x39: v = UInt32(c - 0x30 + 52)
            case 0x2B: v = 62
            case 0x2F: v = 63
            case 0x3D:
                padding = true
                continue
            case 0x20, 0x09, 0x0A, 0x0D: continue
            default: continue
            }
            if padding { continue }
            accumulator = accumulator << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                // The decoded bytes never overtake the text being read (3 bytes per 4 characters).
                values[out] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
                out += 1
            }
        }
        values.truncate(to: out)
    }

    static func saturatingAdd(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max / 2 : min(sum, Int.max / 2)
    }

    mutating func recordParserError(_ p: yaml_parser_t) {
        let problem = p.problem.map { String(cString: $0) } ?? "unknown error"
        let context = p.context.map { String(cString: $0) }
        if p.error == YAML_READER_ERROR {
            let offset = min(p.problem_offset, input.count)
            let (line, column) = ByteScan.position(ofByte: offset, in: input)
            var message = problem
            if p.problem_value >= 0 {
                message += " (" + (p.problem_value < 0x100 ? "byte" : "character") + " 0x"
                    + String(p.problem_value, radix: 16, uppercase: true) + ")"
            }
            errors.append(YAMLError(kind: .encoding, message: message, line: line, column: column, offset: offset))
        } else {
            let m = mark(p.problem_mark)
            errors.append(
                YAMLError(
                    kind: .syntax, message: problem, context: context, line: m.line + 1, column: m.column + 1,
                    offset: m.offset))
        }
    }
}
