/// A JSON value with ordered object keys, and a deterministic writer. Reporters and the CLI build
/// output with it so key order and escaping are the same on every platform.
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public func hash(into h: inout Hasher) {
        switch self {
        case .null: h.combine(0)
        case .bool(let b): h.combine(b)
        case .int(let i): h.combine(i)
        case .string(let s): h.combine(s)
        case .array(let a): h.combine(a)
        case .object(let o):
            for (k, v) in o {
                h.combine(k)
                h.combine(v)
            }
        }
    }

    /// `.string(s)` or `.null`.
    public static func optional(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
    public static func optional(_ i: Int?) -> JSONValue { i.map { .int($0) } ?? .null }

    /// Serializes. `indent` of 0 writes one line; otherwise pretty-printed with that many spaces.
    public func serialized(indent: Int = 2) -> String {
        var out = ""
        out.reserveCapacity(256)
        write(to: &out, indent: indent, level: 0)
        return out
    }

    /// Appends the serialization to `out` as if the value sat `level` levels deep in a larger document
    /// (for writers that stream a document piece by piece). Same bytes as `serialized(indent:)` at level 0.
    public func serialize(into out: inout String, indent: Int = 2, level: Int = 0) {
        write(to: &out, indent: indent, level: level)
    }

    private func write(to out: inout String, indent: Int, level: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            if items.isEmpty {
                out += "[]"
                return
            }
            out += "["
            var first = true
            for item in items {
                if !first { out += "," }
                first = false
                JSONValue.newline(&out, indent: indent, level: level + 1)
                item.write(to: &out, indent: indent, level: level + 1)
            }
            JSONValue.newline(&out, indent: indent, level: level)
            out += "]"
        case .object(let members):
            if members.isEmpty {
                out += "{}"
                return
            }
            out += "{"
            var first = true
            for (key, value) in members {
                if !first { out += "," }
                first = false
                JSONValue.newline(&out, indent: indent, level: level + 1)
                JSONValue.writeString(key, to: &out)
                out += indent > 0 ? ": " : ":"
                value.write(to: &out, indent: indent, level: level + 1)
            }
            JSONValue.newline(&out, indent: indent, level: level)
            out += "}"
        }
    }

    /// A newline and `indent * level` spaces (nothing when `indent` is 0).
    static func newline(_ out: inout String, indent: Int, level: Int) {
        guard indent > 0 else { return }
        var n = indent * level
        out += "\n"
        // Spaces in chunks from a constant: no temporary String per line.
        while n > 0 {
            let k = min(n, 32)
            out += spaces[k]
            n -= k
        }
    }

    private static let spaces: [String] = (0...32).map { String(repeating: " ", count: $0) }

    /// Writes `s` as a JSON string literal (RFC 8259 escaping; non-ASCII kept as UTF-8).
    public static func writeString(_ s: String, to out: inout String) {
        out += "\""
        if needsNoEscaping(s) {
            out += s
        } else {
            writeEscaped(s, to: &out)
        }
        out += "\""
    }

    /// True when no UTF-8 byte of `s` needs an escape: no control character, DEL, `"`, `\\`, or the
    /// U+2028/U+2029 separators (whose UTF-8 starts with 0xE2; any 0xE2 takes the careful path).
    @inline(__always)
    public static func needsNoEscaping(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { u in
            for b in u where b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F || b == 0xE2 { return false }
            return true
        }
    }

    private static func writeEscaped(_ s: String, to out: inout String) {
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 || u.value == 0x7F || u.value == 0x2028 || u.value == 0x2029 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
    }
}
