import FastYAML
import ImagelintCore

/// Turns YAML nodes into spans of the reference text, using byte offsets and `SourceText` (so columns
/// count Unicode scalars, a BOM is not counted and `\r\n` ends a line as `\n` does).
struct Locator {
    let text: SourceText

    /// The span of the text a scalar value holds, and the line suppression comments attach to.
    func locate(_ node: YAMLNode) -> (span: Span, anchorLine: Int) {
        let bytes = text.bytes
        var start = min(node.startOffset, bytes.count)
        var end = min(max(node.endOffset, start), bytes.count)
        if !node.isAlias {
            // An anchor or tag before the value (`&ref nginx`, `!!str nginx`): libyaml starts the node there.
            while start < end, bytes[start] == UInt8(ascii: "&") || bytes[start] == UInt8(ascii: "!") {
                while start < end, !Self.isSpace(bytes[start]) { start += 1 }
                while start < end, Self.isSpace(bytes[start]) { start += 1 }
            }
        }
        let anchorLine = text.line(ofByte: start)
        if !node.isAlias {
            switch node.style {
            case .singleQuoted?, .doubleQuoted?:
                if end - start >= 2 {
                    start += 1
                    end -= 1
                }
            case .literal?, .folded?:
                (start, end) = blockContent(from: start, to: end)
            default:
                break
            }
        }
        return (text.span(fromByte: start, toByte: end), anchorLine)
    }

    /// The first non-blank content line of a block scalar whose indicator is at `start`.
    func blockContent(from start: Int, to end: Int) -> (Int, Int) {
        let bytes = text.bytes
        var i = start
        while i < end, bytes[i] != 0x0A { i += 1 }  // skip the indicator line
        while i < end {
            i += 1  // past "\n"
            var j = i
            while j < end, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
            if j < end, bytes[j] != 0x0A, bytes[j] != 0x0D {
                var e = j
                while e < end, bytes[e] != 0x0A, bytes[e] != 0x0D { e += 1 }
                while e > j, bytes[e - 1] == 0x20 || bytes[e - 1] == 0x09 { e -= 1 }
                return (j, e)
            }
            i = j
            while i < end, bytes[i] != 0x0A { i += 1 }
        }
        return (start, min(start + 1, end))  // an empty block scalar: point at the indicator
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
}

extension YAMLNode {
    /// The text of a string scalar: nil for collections, nulls, empty text and explicitly non-string tags.
    var stringValue: String? {
        guard isScalar, !isNull else { return nil }
        // Kubernetes' YAML reader keeps the text of a scalar with a local tag (`!x nginx`) or `!!str`, and
        // decodes `!!binary` (base64); the other standard tags (`!!int`, `!!bool`…) make it no string.
        if let tag {
            if tag == "tag:yaml.org,2002:binary" {
                guard let text = scalarText, let decoded = Self.base64Text(text), !decoded.isEmpty else { return nil }
                return decoded
            }
            if tag.hasPrefix("tag:yaml.org,2002:") && tag != "tag:yaml.org,2002:str" { return nil }
        }
        guard scalarByteCount > 0 else { return nil }
        return scalarText
    }

    /// The UTF-8 text that base64 `text` encodes (whitespace ignored); nil when it is not base64 of UTF-8.
    static func base64Text(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var acc: UInt32 = 0
        var bits = 0
        var padding = 0
        for c in text.utf8 {
            let v: UInt32
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"): v = 62
            case UInt8(ascii: "/"): v = 63
            case UInt8(ascii: "="):
                padding += 1
                continue
            case 0x20, 0x09, 0x0A, 0x0D: continue
            default: return nil
            }
            if padding > 0 { return nil }
            acc = (acc << 6) | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8((acc >> UInt32(bits)) & 0xFF))
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// `self[key]` as a string scalar.
    func string(_ key: String) -> String? { self[key]?.stringValue }
}
