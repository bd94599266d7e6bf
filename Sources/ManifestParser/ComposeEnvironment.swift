/// The variables compose interpolates from: the project's `.env` file (or the `--env-file` files), read
/// as `docker compose config` reads them. The process environment is deliberately not used, so a lint
/// gives the same result on every machine; a variable set only in CI stays unresolved.
public struct ComposeEnvironment: Sendable, Hashable {
    public var variables: [String: String]
    /// The files the variables came from, for messages.
    public var files: [String]

    public init(variables: [String: String] = [:], files: [String] = []) {
        self.variables = variables
        self.files = files
    }

    /// Adds the variables of one `.env` file (later files override earlier ones).
    ///
    /// The format compose reads: `KEY=VALUE` or `KEY: VALUE` lines, an optional `export ` prefix, `#`
    /// comments (a `#` after an unquoted value starts a comment when a blank precedes it), values in
    /// single quotes taken literally, values in double quotes with `\n`, `\t`, `\\`, `\"` escapes, and
    /// `${VAR}` references to variables defined earlier.
    public mutating func add(dotEnv bytes: [UInt8], file: String) {
        files.append(file)
        // Lines by bytes: in a String, "\r\n" is one Character and would not split at "\n".
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { raw in
            String(decoding: raw.last == 0x0D ? raw.dropLast() : raw, as: UTF8.self)[...]
        }[...]
        while let raw = lines.popFirst() {
            var line = raw
            line = line.drop { $0 == " " || $0 == "\t" }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = line.dropFirst(7).drop { $0 == " " } }
            guard let sep = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
            let key = line[..<sep].trimmingCharacters(" \t")
            guard !key.isEmpty, key.utf8.allSatisfy(Self.isKeyByte) else { continue }
            var value = line[line.index(after: sep)...].drop { $0 == " " || $0 == "\t" }
            if let quote = value.first, quote == "'" || quote == "\"" {
                value = value.dropFirst()
                var out = ""
                var closed = false
                // A quoted value may span lines.
                while true {
                    var iterator = value.makeIterator()
                    while let c = iterator.next() {
                        if c == quote {
                            closed = true
                            break
                        }
                        if quote == "\"", c == "\\", let n = iterator.next() {
                            switch n {
                            case "n": out.append("\n")
                            case "t": out.append("\t")
                            case "r": out.append("\r")
                            default: out.append(n)
                            }
                            continue
                        }
                        out.append(c)
                    }
                    if closed { break }
                    guard let next = lines.popFirst() else { break }
                    out.append("\n")
                    value = next[...]
                }
                variables[String(key)] = quote == "\"" ? expand(out) : out
            } else {
                // An unquoted value ends at ` #`.
                var end = value.endIndex
                var i = value.startIndex
                while i < value.endIndex {
                    if value[i] == "#", i > value.startIndex {
                        let before = value[value.index(before: i)]
                        if before == " " || before == "\t" {
                            end = i
                            break
                        }
                    }
                    i = value.index(after: i)
                }
                variables[String(key)] = expand(String(value[..<end]).trimmingCharacters(" \t"))
            }
        }
    }

    /// `${VAR}` and `$VAR` references to variables defined earlier; others stay as written.
    func expand(_ value: String) -> String {
        guard value.contains("$") else { return value }
        var out = [UInt8]()
        let b = Array(value.utf8)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "$"), i + 1 < b.count {
                if b[i + 1] == UInt8(ascii: "{"), let close = b[(i + 2)...].firstIndex(of: UInt8(ascii: "}")) {
                    let name = String(decoding: b[(i + 2)..<close], as: UTF8.self)
                    if let v = variables[name] {
                        out += Array(v.utf8)
                        i = close + 1
                        continue
                    }
                } else if ComposeExtractor.isNameStart(b[i + 1]) {
                    var j = i + 1
                    while j < b.count, ComposeExtractor.isNameChar(b[j]) { j += 1 }
                    if let v = variables[String(decoding: b[(i + 1)..<j], as: UTF8.self)] {
                        out += Array(v.utf8)
                        i = j
                        continue
                    }
                }
            }
            out.append(b[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func isKeyByte(_ c: UInt8) -> Bool {
        ComposeExtractor.isNameChar(c) || c == UInt8(ascii: ".") || c == UInt8(ascii: "-")
    }
}

extension Substring {
    func trimmingCharacters(_ set: String) -> Substring {
        var s = self
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return s
    }
}

extension String {
    func trimmingCharacters(_ set: String) -> String { String(self[...].trimmingCharacters(set)) }
}
