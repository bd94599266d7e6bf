/// Reads a repository's current tags from the formats people have at hand.
public enum ExistingTags {
    /// Reads `text` as one of:
    /// - plain lines, one tag per line (blank lines and `#` comments skipped, spaces trimmed);
    /// - a JSON array of strings (`["1.0.0", "latest"]`);
    /// - a JSON object with a `Tags` or `tags` array of strings (`skopeo list-tags`,
    ///   `{"Repository": "…", "Tags": […]}`, the registry API's `{"name": "…", "tags": […]}`); `null` is
    ///   read as no tags.
    public static func parse(_ text: String) throws(ExistingTagsError) -> [String] {
        let trimmed = text.drop { isSpace($0) }
        guard let first = trimmed.first else { return [] }
        if first == "[" || first == "{" {
            let value = try JSONReader.read(text)
            switch value {
            case .array(let items):
                return try strings(items, what: "the JSON array")
            case .object(let members):
                for key in ["Tags", "tags"] {
                    if let (_, v) = members.first(where: { $0.0 == key }) {
                        switch v {
                        case .null: return []
                        case .array(let items): return try strings(items, what: "`\(key)`")
                        default: throw ExistingTagsError(message: "`\(key)` must be an array of strings")
                        }
                    }
                }
                throw ExistingTagsError(message: "the JSON object has no `Tags` or `tags` array")
            default:
                throw ExistingTagsError(message: "expected a JSON array of tags or an object with `Tags`")
            }
        }
        var tags: [String] = []
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let tag = line.drop { isSpace($0) }.reversed().drop { isSpace($0) }.reversed()
            if tag.isEmpty || tag.first == "#" { continue }
            tags.append(String(tag))
        }
        return tags
    }

    static func isSpace(_ c: Character) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\r\n" || c == "\u{FEFF}"
    }

    static func strings(_ items: [JSONReader.Value], what: String) throws(ExistingTagsError) -> [String] {
        var out: [String] = []
        for (n, item) in items.enumerated() {
            guard case .string(let s) = item else {
                throw ExistingTagsError(message: "\(what) must hold only strings; item \(n + 1) is not a string")
            }
            out.append(s)
        }
        return out
    }
}

/// Why a list of existing tags cannot be read.
public struct ExistingTagsError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String

    public init(message: String) { self.message = message }

    public var description: String { message }
}

/// A small strict JSON reader (RFC 8259) over UTF-8 bytes, enough for tag lists. Nesting is limited so
/// hostile input cannot exhaust the stack.
enum JSONReader {
    indirect enum Value: Equatable {
        case null, bool(Bool), number(String), string(String), array([Value]), object([(String, Value)])

        static func == (a: Value, b: Value) -> Bool {
            switch (a, b) {
            case (.null, .null): return true
            case (.bool(let x), .bool(let y)): return x == y
            case (.number(let x), .number(let y)): return x == y
            case (.string(let x), .string(let y)): return x == y
            case (.array(let x), .array(let y)): return x == y
            case (.object(let x), .object(let y)):
                return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
            default: return false
            }
        }
    }

    static let maxDepth = 256

    static func read(_ text: String) throws(ExistingTagsError) -> Value {
        var r = Reader(bytes: Array(text.utf8))
        if r.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { r.i = 3 }
        r.skipSpace()
        let v = try r.value(depth: 0)
        r.skipSpace()
        if r.i < r.bytes.count { throw r.error("unexpected text after the JSON value") }
        return v
    }

    struct Reader {
        let bytes: [UInt8]
        var i = 0

        func error(_ what: String) -> ExistingTagsError {
            ExistingTagsError(message: "invalid JSON at byte \(i + 1): \(what)")
        }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
        }

        mutating func expect(_ word: String) throws(ExistingTagsError) {
            for c in word.utf8 {
                guard i < bytes.count, bytes[i] == c else { throw error("expected `\(word)`") }
                i += 1
            }
        }

        mutating func value(depth: Int) throws(ExistingTagsError) -> Value {
            if depth > JSONReader.maxDepth { throw error("nested deeper than \(JSONReader.maxDepth) levels") }
            guard i < bytes.count else { throw error("unexpected end of input") }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var members: [(String, Value)] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a string key") }
                    let key = try string()
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected `:`") }
                    i += 1
                    skipSpace()
                    members.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    guard i < bytes.count else { throw error("unexpected end of input in an object") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                    throw error("expected `,` or `}`")
                }
            case UInt8(ascii: "["):
                i += 1
                var items: [Value] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard i < bytes.count else { throw error("unexpected end of input in an array") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                    throw error("expected `,` or `]`")
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"):
                try expect("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try expect("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try expect("null")
                return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return .number(try number())
            default:
                throw error("unexpected character")
            }
        }

        static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

        mutating func digits() throws(ExistingTagsError) {
            let start = i
            while i < bytes.count, Reader.isDigit(bytes[i]) { i += 1 }
            if i == start { throw error("expected a digit") }
        }

        mutating func number() throws(ExistingTagsError) -> String {
            let start = i
            if bytes[i] == UInt8(ascii: "-") { i += 1 }
            if i < bytes.count, bytes[i] == UInt8(ascii: "0") {
                i += 1
            } else {
                try digits()
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                try digits()
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                try digits()
            }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }

        mutating func hex4() throws(ExistingTagsError) -> UInt32 {
            guard i + 4 <= bytes.count else { throw error("incomplete `\\u` escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[i]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: throw error("invalid `\\u` escape")
                }
                v = v * 16 + d
                i += 1
            }
            return v
        }

        /// Reads a string literal starting at the opening quote.
        mutating func string() throws(ExistingTagsError) -> String {
            i += 1
            var out: [UInt8] = []
            while true {
                guard i < bytes.count else { throw error("unterminated string") }
                let c = bytes[i]
                if c == UInt8(ascii: "\"") {
                    i += 1
                    return String(decoding: out, as: UTF8.self)
                }
                if c < 0x20 { throw error("control character in a string") }
                if c != UInt8(ascii: "\\") {
                    out.append(c)
                    i += 1
                    continue
                }
                i += 1
                guard i < bytes.count else { throw error("unterminated escape") }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if scalar >= 0xD800 && scalar < 0xDC00,
                        i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u")
                    {
                        let save = i
                        i += 2
                        let low = try hex4()
                        if low >= 0xDC00 && low < 0xE000 {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            i = save
                        }
                    }
                    let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default:
                    throw error("invalid escape `\\\(String(UnicodeScalar(e)))`")
                }
            }
        }
    }
}
