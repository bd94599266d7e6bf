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
    /// The text of a string scalar: nil for collections, nulls, empty text and the core non-string tags
    /// (`!!int`, `!!float`, `!!bool`). Other tags keep the text, as Kubernetes' YAML reader does (`!x nginx`
    /// is `nginx`; FastYAML decodes `!!binary`).
    var stringValue: String? {
        guard isScalar, !isNull else { return nil }
        if let tag, tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" || tag == "tag:yaml.org,2002:bool" {
            return nil
        }
        guard scalarByteCount > 0 else { return nil }
        return scalarText
    }

    /// `self[key]` as a string scalar.
    func string(_ key: String) -> String? { self[key]?.stringValue }
}
