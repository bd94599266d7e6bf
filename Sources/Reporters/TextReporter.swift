import ImagelintCore

/// Compiler-style text: per finding, `file:line:column: severity: message [rule-id]`, the source line
/// indented by 4 spaces and a caret line under the reference; then a blank line and the summary line.
///
/// Control characters other than tab are shown as their Control Pictures symbols (U+0001 → `␁`, a line
/// feed in a message → `␊`), and C1 controls (U+009B, a CSI) and bidirectional overrides (U+202E) as
/// `<U+202E>`, so nothing in a linted file can move the cursor, recolour the terminal or reorder what is
/// shown. A source line longer than `maxShownColumns` is shown as a window around the reference, with `…`
/// where it is cut: each finding prints a bounded amount whatever the line's length.
public struct TextReporter: Reporter {
    public var color: Bool

    public init(color: Bool) {
        self.color = color
    }

    public func writer(for frame: ReportFrame) -> any ReportWriter { Writer(reporter: self) }

    final class Writer: ReportWriter {
        let reporter: TextReporter
        var findings = 0

        init(reporter: TextReporter) { self.reporter = reporter }

        func head(_ frame: ReportFrame, into out: inout ReportBuffer) {}

        func file(_ file: FileReport, into out: inout ReportBuffer) {
            for finding in file.findings { reporter.renderBlock(finding, to: &out) }
            findings += file.findings.count
        }

        func tail(_ frame: ReportFrame, into out: inout ReportBuffer) {
            if findings > 0 { out += "\n" }
            out += TextReporter.summaryLine(frame.summary)
            out += "\n"
        }
    }

    /// `3 errors, 5 warnings, 1 info in 12 files`, or `no findings in 12 files`.
    public static func summaryLine(_ s: Summary) -> String {
        var parts: [String] = []
        if s.errors > 0 { parts.append(count(s.errors, "error", "errors")) }
        if s.warnings > 0 { parts.append(count(s.warnings, "warning", "warnings")) }
        if s.infos > 0 { parts.append(count(s.infos, "info", "infos")) }
        let counts = parts.isEmpty ? "no findings" : parts.joined(separator: ", ")
        return counts + " in " + count(s.files, "file", "files")
    }

    private static func count(_ n: Int, _ singular: String, _ plural: String) -> String {
        String(n) + " " + (n == 1 ? singular : plural)
    }

    // MARK: - Blocks

    fileprivate func renderBlock(_ f: Finding, to out: inout ReportBuffer) {
        let location = Self.visible(f.file) + ":" + String(f.span.line) + ":" + String(f.span.column) + ":"
        let severity = f.severity.rawValue + ":"
        if color {
            out += sgr("1") + location + sgr("0") + " " + sgr("1;" + Self.colorCode(f.severity)) + severity + sgr("0")
        } else {
            out += location + " " + severity
        }
        out += " " + Self.visible(f.message) + " [" + f.rule + "]\n"

        guard let line = f.sourceLine else { return }
        let (scalars, span) = Self.window(Array(line.unicodeScalars), span: f.span)
        var shown = ""
        for u in scalars { shown += u == "\t" ? "\t" : TerminalText.shown(u) }
        out += "    " + shown + "\n"
        let caret = Self.caretLine(scalars, span: span)
        out += "    " + (color ? sgr("1;32") + caret + sgr("0") : caret) + "\n"
    }

    /// Scalars shown of a source line at most (a window around the reference beyond it).
    public static let maxShownColumns = 160
    /// Scalars of context kept before the reference in a window.
    static let windowLead = 40

    /// The part of a line shown for `span`, and the span in it: the whole line when it is short, else
    /// `maxShownColumns` scalars from a little before the reference, with `…` for what is cut.
    static func window(_ scalars: [Unicode.Scalar], span: Span) -> ([Unicode.Scalar], Span) {
        guard scalars.count > maxShownColumns else { return (scalars, span) }
        let start = min(max(span.column, 1), scalars.count + 1) - 1
        let low = max(0, min(start - windowLead, scalars.count - maxShownColumns))
        let high = min(scalars.count, low + maxShownColumns)
        var shown: [Unicode.Scalar] = low > 0 ? ["…"] : []
        shown += scalars[low..<high]
        if high < scalars.count { shown.append("…") }
        let shift = low - (low > 0 ? 1 : 0)
        var moved = span
        moved.column = span.column - shift
        if span.endLine == span.line {
            moved.endColumn = min(span.endColumn, high + 1) - shift
        }
        return (shown, moved)
    }

    private func sgr(_ code: String) -> String { "\u{1B}[" + code + "m" }

    private static func colorCode(_ severity: Severity) -> String {
        switch severity {
        case .error: "31"
        case .warning: "33"
        case .info: "36"
        }
    }

    /// The caret line for `span` under the scalars of its first line: the text before the reference
    /// becomes blanks (tabs copied, wide characters two blanks), then `^` and `~` up to the end column
    /// (to the end of the line for spans over several lines). Columns past the line end point just
    /// after it.
    static func caretLine(_ scalars: [Unicode.Scalar], span: Span) -> String {
        let lineEnd = scalars.count + 1
        let start = min(max(span.column, 1), lineEnd)
        let end: Int
        if span.endLine > span.line {
            end = max(lineEnd, start + 1)
        } else {
            end = max(min(span.endColumn, lineEnd), start + 1)
        }
        var out = ""
        for i in 0..<(start - 1) {
            let u = scalars[i]
            if u == "\t" {
                out += "\t"
            } else {
                out += String(repeating: " ", count: width(u))
            }
        }
        for column in start..<end {
            let w = column - 1 < scalars.count ? max(width(scalars[column - 1]), 1) : 1
            out += column == start ? "^" + String(repeating: "~", count: w - 1) : String(repeating: "~", count: w)
        }
        return out
    }

    /// Terminal cells a scalar takes: 0 for combining marks and joiners, 2 for East Asian wide and
    /// emoji, 1 otherwise (controls count 1: they are shown as one picture).
    static func width(_ u: Unicode.Scalar) -> Int {
        if TerminalText.needsEscape(u) { return TerminalText.shown(u).unicodeScalars.count }
        switch u.value {
        case 0x0300...0x036F, 0x200B...0x200F, 0xFE00...0xFE0F, 0x20D0...0x20FF: return 0
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        default: return 1
        }
    }

    static func visible(_ s: String) -> String { TerminalText.visible(s) }
}

/// Text made safe for a terminal: what could move the cursor, recolour the screen or reorder the text is
/// shown instead of sent. C0 controls and DEL become their Control Pictures symbols (`␛`), C1 controls,
/// bidirectional controls and line/paragraph separators become `<U+XXXX>`.
public enum TerminalText {
    /// True for a scalar that is not shown as itself.
    public static func needsEscape(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x00..<0x20, 0x7F, 0x80...0x9F, 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E,
            0x2066...0x2069:
            return true
        default: return false
        }
    }

    /// How a scalar is shown (itself when harmless).
    public static func shown(_ u: Unicode.Scalar) -> String {
        switch u.value {
        case 0x00..<0x20: return String(Unicode.Scalar(0x2400 + u.value)!)
        case 0x7F: return "\u{2421}"
        default:
            guard needsEscape(u) else { return String(u) }
            let hex = String(u.value, radix: 16, uppercase: true)
            return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
        }
    }

    /// `s` with every scalar that needs it escaped; tabs kept, and line feeds too when `keepingNewlines`.
    public static func visible(_ s: String, keepingNewlines: Bool = false) -> String {
        guard s.unicodeScalars.contains(where: { needsEscape($0) }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            if u == "\t" || (keepingNewlines && u == "\n") {
                out.unicodeScalars.append(u)
            } else {
                out += shown(u)
            }
        }
        return out
    }
}
