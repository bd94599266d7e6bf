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

    public func covers(_ rule: String) -> Bool { rules.contains("all") || rules.contains(rule) }
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
        // rule list until blank or end; reason after ` -- `
        while i < end, b[i] != 0x20, b[i] != 0x09 { i += 1 }
        let list = String(decoding: b[listStart..<i], as: UTF8.self)
        var reason: String? = nil
        let rest = String(decoding: b[i..<end], as: UTF8.self)
        if let r = rest.firstRange(of: "--") {
            let text = rest[r.upperBound...].trimmingBlanks
            reason = text.isEmpty ? nil : String(text)
        }
        var rules: [String] = []
        var columns: [Int] = []
        let column = text.column(ofByte: listStart, line: line)
        var offset = 0
        for part in list.split(separator: ",", omittingEmptySubsequences: false) {
            let id = String(part)
            if !id.isEmpty {
                rules.append(id)
                columns.append(column + offset)
            }
            offset += part.unicodeScalars.count + 1
        }
        guard !rules.isEmpty else { return nil }
        return SuppressionDirective(
            line: line, column: column, fileWide: fileWide, rules: rules, ruleColumns: columns, reason: reason,
            standalone: standalone)
    }

    /// The directive suppressing `rule` for something anchored at `anchorLine`: a file-wide directive, a
    /// trailing comment on the anchor line (when `trailing` is allowed), or a comment on the run of
    /// comment-only lines directly above the anchor line.
    public func suppresses(_ rule: String, anchorLine: Int, allowTrailing: Bool) -> Bool {
        if directives.isEmpty { return false }
        for d in directives where d.fileWide && d.covers(rule) { return true }
        if allowTrailing, let idx = byLine[anchorLine] {
            for k in idx where !directives[k].fileWide && !directives[k].standalone && directives[k].covers(rule) {
                return true
            }
        }
        var line = anchorLine - 1
        while line >= 1, commentLines.contains(line) {
            if let idx = byLine[line] {
                for k in idx where !directives[k].fileWide && directives[k].covers(rule) { return true }
            }
            line -= 1
        }
        return false
    }
}

extension Substring {
    var trimmingBlanks: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return s
    }
}

extension String {
    var trimmingBlanks: Substring { Substring(self).trimmingBlanks }
}
