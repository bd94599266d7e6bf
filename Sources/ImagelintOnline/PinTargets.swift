import ByteText
import ImageReference
import ImagelintCore

/// Where `pin` writes each digest: the reference itself, the `ARG` default that supplies it, or the
/// kustomize `images:` entry that sets it; or why it leaves the reference alone.
extension Pinner {
    enum Decision {
        case pin(Target)
        case skip(String)
        case alreadyPinned
    }

    static func target(_ o: Occurrence, text: SourceText, options: PinOptions) -> Decision {
        let ref: ImageReference
        switch o.status {
        case .unresolved(let why): return .skip(why)
        case .invalid: return .skip("not a valid reference")
        case .valid(let r): ref = r
        }
        guard ref.tag != nil else {
            return .skip(ref.digest == nil ? "no tag to resolve" : "pinned by digest without a tag")
        }
        if ref.digest != nil, !options.update { return .alreadyPinned }
        guard ref.digest == nil || ref.digest!.hasPrefix("sha256:") else { return .skip("the digest is not sha256") }

        if o.source.fileKind == .kustomize { return kustomizeTarget(o, ref, text: text) }
        if o.written == o.resolved, o.span.line == o.span.endLine,
            let range = byteRange(text, line: o.span.line, column: o.span.column, endColumn: o.span.endColumn),
            Array(text.bytes[range]) == Array(o.written.utf8)
        {
            let written = o.written
            return .pin(
                Target(
                    occurrence: o, reference: ref, range: range, line: o.span.line, column: o.span.column, shown: written,
                    rewrite: { digest in Array((withoutDigest(written) + "@" + digest).utf8) }))
        }
        if o.source.fileKind == .dockerfile, let name = soleVariable(o.written) {
            if options.lint.configuration.buildArgs[name] != nil {
                return .skip("`\(name)` comes from --build-arg")
            }
            return argDefaultTarget(o, ref, name: name, text: text)
        }
        if o.written != o.resolved { return .skip("built from variables; pin the value they hold") }
        return .skip("written across lines or with escapes; cannot be rewritten in place")
    }

    /// `nginx:1.2@sha256:…` → `nginx:1.2`.
    static func withoutDigest(_ s: String) -> String {
        if let at = s.firstIndex(of: "@") { return String(s[..<at]) }
        return s
    }

    /// `${BASE}` or `$BASE` → `BASE`; nil when the text is more than one variable.
    static func soleVariable(_ written: String) -> String? {
        var s = Substring(written)
        guard s.hasPrefix("$") else { return nil }
        s = s.dropFirst()
        if s.hasPrefix("{") {
            guard s.hasSuffix("}") else { return nil }
            s = s.dropFirst().dropLast()
        }
        guard let f = s.first, f == "_" || f.isLetter, s.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) })
        else { return nil }
        return String(s)
    }

    /// The bytes of columns `column..<endColumn` of a line (columns in Unicode scalars).
    static func byteRange(_ text: SourceText, line: Int, column: Int, endColumn: Int) -> Range<Int>? {
        let lineRange = text.byteRange(ofLine: line)
        var col = 1
        var start: Int? = nil
        var i = lineRange.lowerBound
        while i <= lineRange.upperBound {
            if col == column, start == nil { start = i }
            if col == endColumn, let start { return start..<i }
            if i == lineRange.upperBound { break }
            i += 1
            while i < lineRange.upperBound, text.bytes[i] & 0xC0 == 0x80 { i += 1 }
            col += 1
        }
        return nil
    }

    /// `FROM ${BASE}`: the `ARG BASE=…` default before it that supplies the value.
    static func argDefaultTarget(_ o: Occurrence, _ ref: ImageReference, name: String, text: SourceText) -> Decision {
        var line = o.span.line - 1
        while line >= 1 {
            let range = text.byteRange(ofLine: line)
            let bytes = Array(text.bytes[range])
            var i = 0
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
            let keyword = bytes[i..<min(i + 3, bytes.count)].map { $0 | 0x20 }
            if keyword == Array("arg".utf8), i + 3 < bytes.count, bytes[i + 3] == 0x20 || bytes[i + 3] == 0x09 {
                // Each NAME[=VALUE] word after ARG.
                var p = i + 4
                while p < bytes.count {
                    while p < bytes.count, bytes[p] == 0x20 || bytes[p] == 0x09 { p += 1 }
                    let start = p
                    var quote: UInt8? = nil
                    while p < bytes.count, quote != nil || (bytes[p] != 0x20 && bytes[p] != 0x09) {
                        if bytes[p] == 0x22 || bytes[p] == 0x27 {
                            if quote == bytes[p] { quote = nil } else if quote == nil { quote = bytes[p] }
                        }
                        p += 1
                    }
                    let word = bytes[start..<p]
                    guard let eq = word.firstIndex(of: 0x3D), Array(bytes[start..<eq]) == Array(name.utf8) else { continue }
                    var vs = eq + 1
                    var ve = p
                    if ve - vs >= 2, bytes[vs] == 0x22 || bytes[vs] == 0x27, bytes[ve - 1] == bytes[vs] {
                        vs += 1
                        ve -= 1
                    }
                    let value = String(decoding: bytes[vs..<ve], as: UTF8.self)
                    guard value == o.resolved else {
                        return .skip("the default of ARG \(name) (line \(line)) is not the value used here")
                    }
                    let column = String(decoding: bytes[..<vs], as: UTF8.self).unicodeScalars.count + 1
                    return .pin(
                        Target(
                            occurrence: o, reference: ref,
                            range: (range.lowerBound + vs)..<(range.lowerBound + ve), line: line, column: column,
                            shown: value, rewrite: { digest in Array((withoutDigest(value) + "@" + digest).utf8) }))
                }
            }
            line -= 1
        }
        return .skip("no ARG \(name) default in this file supplies it")
    }

    /// A kustomize `images:` entry: its `digest:` value replaced, or a `digest:` line added after `name:`.
    static func kustomizeTarget(_ o: Occurrence, _ ref: ImageReference, text: SourceText) -> Decision {
        let nameLine = o.span.line
        let lineText = Array(text.bytes[text.byteRange(ofLine: nameLine)])
        guard !lineText.contains(0x7B) else { return .skip("a flow-style images entry; add `digest:` by hand") }
        guard let keyStart = ByteScan.firstIndex(of: Array("name:".utf8), in: lineText) else {
            return .skip("cannot find the entry's `name:` key")
        }
        let keyColumn = keyStart  // bytes of indentation (and `- `) before the key
        // The entry's other keys: following lines indented to the key's column.
        var line = nameLine + 1
        var digestRange: Range<Int>? = nil
        var previousKeys: [Int] = []
        // Keys before `name:` in the same entry (`- newTag: x` then `  name: y`).
        var up = nameLine - 1
        if keyColumn >= 2, !lineText[..<keyStart].contains(0x2D) {
            while up >= 1 {
                let b = Array(text.bytes[text.byteRange(ofLine: up)])
                let indent = b.prefix { $0 == 0x20 }.count
                if indent == keyColumn {
                    previousKeys.append(up)
                } else if indent == keyColumn - 2, b.count > indent, b[indent] == 0x2D {
                    previousKeys.append(up)
                    break
                } else {
                    break
                }
                up -= 1
            }
        }
        var entryLines = previousKeys
        while line <= text.lineCount {
            let b = Array(text.bytes[text.byteRange(ofLine: line)])
            let indent = b.prefix { $0 == 0x20 }.count
            if b.allSatisfy({ $0 == 0x20 }) || b.dropFirst(indent).first == 0x23 {
                line += 1
                continue
            }
            if indent != keyColumn { break }
            entryLines.append(line)
            line += 1
        }
        for l in entryLines {
            let r = text.byteRange(ofLine: l)
            let b = Array(text.bytes[r])
            let key = Array("digest:".utf8)
            if b.count >= keyColumn + key.count, Array(b[keyColumn..<(keyColumn + key.count)]) == key {
                var vs = keyColumn + key.count
                while vs < b.count, b[vs] == 0x20 { vs += 1 }
                var ve = vs
                while ve < b.count, b[ve] != 0x20, b[ve] != 0x23 { ve += 1 }
                var q = (vs, ve)
                if ve - vs >= 2, b[vs] == 0x22 || b[vs] == 0x27, b[ve - 1] == b[vs] { q = (vs + 1, ve - 1) }
                digestRange = (r.lowerBound + q.0)..<(r.lowerBound + q.1)
            }
        }
        let shown = o.written
        if let digestRange {
            return .pin(
                Target(
                    occurrence: o, reference: ref, range: digestRange, line: o.span.line, column: o.span.column,
                    shown: shown, rewrite: { Array($0.utf8) }))
        }
        let end = text.byteRange(ofLine: nameLine).upperBound
        let crlf = end < text.bytes.count && text.bytes[end] == 0x0D
        let indent = String(repeating: " ", count: keyColumn)
        return .pin(
            Target(
                occurrence: o, reference: ref, range: end..<end, line: o.span.line, column: o.span.column, shown: shown,
                rewrite: { digest in Array(((crlf ? "\r\n" : "\n") + indent + "digest: " + digest).utf8) }))
    }
}
