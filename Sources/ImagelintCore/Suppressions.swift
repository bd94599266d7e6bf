import ByteText

/// An inline suppression comment: `# imagelint ignore=ID[,ID…] [-- reason]` or `# imagelint ignore-file=…`.
public struct SuppressionDirective: Sendable, Hashable {
    public var line: Int
    /// Column of the rule list (after `ignore=`), for reporting unknown ids.
    public var column: Int
    public var fileWide: Bool
    public var rules: [String]
    /// Column of each id in `rules`.
    public var ruleColumns: [Int]
    public var reason: String?
    /// True when the comment is the only thing on its line.
    public var standalone: Bool
    /// Where the directive is written.
    public var source: Source = .comment

    public enum Source: Sendable, Hashable {
        /// An `# imagelint ignore=` comment.
        case comment
        /// An `imagelint.io/ignore` annotation.
        case annotation
    }

    public init(
        line: Int, column: Int, fileWide: Bool, rules: [String], ruleColumns: [Int], reason: String?, standalone: Bool,
        source: Source = .comment
    ) {
        self.line = line
        self.column = column
        self.fileWide = fileWide
        self.rules = rules
        self.ruleColumns = ruleColumns
        self.reason = reason
        self.standalone = standalone
        self.source = source
    }

    /// The directive an `imagelint.io/ignore` annotation's value makes (same grammar as a comment's list).
    public init?(annotation: IgnoreAnnotation) {
        guard let list = SuppressionList(annotation.value, column: annotation.column) else { return nil }
        self.init(
            line: annotation.line, column: annotation.column, fileWide: false, rules: list.ids,
            ruleColumns: list.columns, reason: list.reason, standalone: false, source: .annotation)
    }

    /// True when the directive names `rule` or says `all` (which does not hide `unused-suppression`: an unused
    /// `all` would otherwise hide its own report).
    public func covers(_ rule: String) -> Bool {
        rules.contains(rule) || (rule != "unused-suppression" && rules.contains("all"))
    }
}

/// The suppression comments of one file, indexed by line.
public struct SuppressionIndex: Sendable {
    public private(set) var directives: [SuppressionDirective] = []
    private var byLine: [Int: [Int]] = [:]
    /// Lines that hold only a comment (first non-blank character `#`), for walking up from an anchor.
    private var commentLines: Set<Int> = []

    public init() {}

    public var isEmpty: Bool { directives.isEmpty }

    static let keyword = Array("imagelint".utf8)

    /// Scans `text` for directives. Cheap when the file never mentions `imagelint`.
    public init(scanning text: SourceText) {
        let b = text.bytes
        guard SuppressionIndex.contains(b, SuppressionIndex.keyword, anchor: 4) else { return }
        for line in 1...text.lineCount {
            let r = text.byteRange(ofLine: line)
            var i = r.lowerBound
            while i < r.upperBound, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
            let standaloneComment = i < r.upperBound && b[i] == UInt8(ascii: "#")
            if standaloneComment { commentLines.insert(line) }
            // find `#` that starts a comment: at line start (after blanks) or after a blank
            var j = r.lowerBound
            while j < r.upperBound {
                if b[j] == UInt8(ascii: "#"), j == i || (j > r.lowerBound && (b[j - 1] == 0x20 || b[j - 1] == 0x09)) {
                    if let d = parseDirective(b, from: j + 1, to: r.upperBound, line: line, text: text,
                        standalone: j == i)
                    {
                        byLine[line, default: []].append(directives.count)
                        directives.append(d)
                    }
                    break
                }
                j += 1
            }
        }
    }

    /// True when `needle` occurs in `hay`. Candidates are the places of `needle[k]`, found eight bytes at a
    /// time: pick a byte that is rare in the files scanned (`g` of `imagelint`: rarer in YAML than `i`).
    static func contains(_ hay: [UInt8], _ needle: [UInt8], anchor k: Int = 0) -> Bool {
        guard needle.indices.contains(k), needle.count <= hay.count else { return false }
        var found = false
        hay.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                ByteScan.forEach(n[k], in: h) { p in
                    let start = p - k
                    guard start >= 0, start + n.count <= h.count else { return true }
                    var j = 0
                    while j < n.count, h[start + j] == n[j] { j += 1 }
                    found = j == n.count
                    return !found
                }
            }
        }
        return found
    }

    private func parseDirective(
        _ b: [UInt8], from start: Int, to end: Int, line: Int, text: SourceText, standalone: Bool
    ) -> SuppressionDirective? {
        var i = start
        func skipBlanks() { while i < end, b[i] == 0x20 || b[i] == 0x09 { i += 1 } }
        func eat(_ word: String) -> Bool {
            let w = Array(word.utf8)
            guard i + w.count <= end, Array(b[i..<(i + w.count)]) == w else { return false }
            i += w.count
            return true
        }
        skipBlanks()
        guard eat("imagelint") else { return nil }
        guard i < end, b[i] == 0x20 || b[i] == 0x09 || b[i] == UInt8(ascii: ":") else { return nil }
        if b[i] == UInt8(ascii: ":") { i += 1 }
        skipBlanks()
        let fileWide: Bool
        if eat("ignore-file") {
            fileWide = true
        } else if eat("ignore") {
            fileWide = false
        } else {
            return nil
        }
        skipBlanks()
        guard i < end, b[i] == UInt8(ascii: "=") else { return nil }
        i += 1
        skipBlanks()
        let listStart = i
        let column = text.column(ofByte: listStart, line: line)
        guard let list = SuppressionList(String(decoding: b[listStart..<end], as: UTF8.self), column: column) else {
            return nil
        }
        let rules = list.ids
        let columns = list.columns
        let reason = list.reason
        guard !rules.isEmpty else { return nil }
        return SuppressionDirective(
            line: line, column: column, fileWide: fileWide, rules: rules, ruleColumns: columns, reason: reason,
            standalone: standalone, source: .comment)
    }

    /// The directive suppressing `rule` for something anchored at `anchorLine`: a file-wide directive, a
    /// trailing comment on the anchor line (when `trailing` is allowed), or a comment on the run of
    /// comment-only lines directly above the anchor line.
    public func suppresses(_ rule: String, anchorLine: Int, allowTrailing: Bool) -> Bool {
        directive(suppressing: rule, anchorLine: anchorLine, allowTrailing: allowTrailing) != nil
    }

    /// The index in `directives` of the directive that suppresses `rule` at `anchorLine` (see `suppresses`):
    /// the nearest one (a line's own comment, then those above it, then file-wide ones).
    public func directive(suppressing rule: String, anchorLine: Int, allowTrailing: Bool) -> Int? {
        if directives.isEmpty { return nil }
        if allowTrailing, let idx = byLine[anchorLine] {
            for k in idx where !directives[k].fileWide && !directives[k].standalone && directives[k].covers(rule) {
                return k
            }
        }
        var line = anchorLine - 1
        while line >= 1, commentLines.contains(line) {
            if let idx = byLine[line] {
                for k in idx where !directives[k].fileWide && directives[k].covers(rule) { return k }
            }
            line -= 1
        }
        for (k, d) in directives.enumerated() where d.fileWide && d.covers(rule) { return k }
        return nil
    }
}

/// An `imagelint.io/ignore` annotation's value and where the value starts (1-based line and column of its
/// first character, inside the quotes of a quoted value).
public struct IgnoreAnnotation: Sendable, Hashable {
    public var value: String
    public var line: Int
    public var column: Int

    public init(value: String, line: Int, column: Int) {
        self.value = value
        self.line = line
        self.column = column
    }
}

/// The one grammar of a suppression's list, in comments and annotations: `ID[,ID…] [-- reason]`. Blanks may
/// surround the commas; the list ends at the first other blank; a reason follows `--`.
struct SuppressionList {
    var ids: [String] = []
    var columns: [Int] = []
    var reason: String?

    init?(_ text: String, column: Int) {
        let u = Array(text.unicodeScalars)
        var i = 0
        func isBlank(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\r" || c == "\n" }
        while i < u.count, isBlank(u[i]) { i += 1 }
        while i < u.count {
            if u[i] == "-", i + 1 < u.count, u[i + 1] == "-", ids.isEmpty || i == 0 || isBlank(u[i - 1]) { break }
            let start = i
            while i < u.count, u[i] != ",", !isBlank(u[i]) { i += 1 }
            if i > start {
                ids.append(String(String.UnicodeScalarView(u[start..<i])))
                columns.append(column + start)
            }
            var j = i
            while j < u.count, isBlank(u[j]) { j += 1 }
            if j < u.count, u[j] == "," {
                i = j + 1
                while i < u.count, isBlank(u[i]) { i += 1 }
                continue
            }
            i = j
            break
        }
        guard !ids.isEmpty else { return nil }
        // The reason: what follows the first `--` after the list.
        var k = i
        while k + 1 < u.count {
            if u[k] == "-", u[k + 1] == "-" {
                var r = String(String.UnicodeScalarView(u[(k + 2)...]))[...]
                r = r.trimmingBlanks
                reason = r.isEmpty ? nil : String(r)
                break
            }
            k += 1
        }
    }
}

extension Substring {
    var trimmingBlanks: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s = s.dropLast() }
        return s
    }
}

extension String {
    var trimmingBlanks: Substring { Substring(self).trimmingBlanks }
}
