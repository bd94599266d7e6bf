/// XML 1.0 escaping for the XML reporters (JUnit, Checkstyle).
///
/// XML 1.0 cannot hold the C0 control characters other than tab, line feed and carriage return, not even
/// as character references, nor U+FFFE and U+FFFF. Those are replaced **visibly**: a C0 control U+00XX
/// becomes its Control Pictures symbol U+24XX (U+0001 → `␁`, U+001B → `␛`), and U+FFFE/U+FFFF become
/// U+FFFD. Everything else, including non-BMP characters, is kept as UTF-8.
/// `s` with each scalar for which `table` returns a string replaced by that string; the rest kept.
/// The walk every text escaper of the reporters shares; each format supplies its own table.
func escaping(_ s: String, _ table: (Unicode.Scalar) -> String?) -> String {
    // Most text needs nothing replaced: hand it back rather than build a copy scalar by scalar.
    guard s.unicodeScalars.contains(where: { table($0) != nil }) else { return s }
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for u in s.unicodeScalars {
        if let r = table(u) { out += r } else { out.unicodeScalars.append(u) }
    }
    return out
}

enum XMLText {
    /// The replacement of a character XML 1.0 cannot hold, or nil when it can hold it.
    static func replacement(for u: Unicode.Scalar) -> Unicode.Scalar? {
        switch u.value {
        case 0x09, 0x0A, 0x0D: return nil
        case 0x00..<0x20: return Unicode.Scalar(0x2400 + u.value)
        case 0xFFFE, 0xFFFF: return "\u{FFFD}"
        default: return nil
        }
    }

    /// `s` as the text of a double-quoted attribute value. Tab, line feed and carriage return are written
    /// as character references so attribute-value normalization keeps them.
    static func attribute(_ s: String) -> String {
        escaping(s) { u in
            switch u {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "'": "&apos;"
            case "\t": "&#9;"
            case "\n": "&#10;"
            case "\r": "&#13;"
            default: replacement(for: u).map { String($0) }
            }
        }
    }

    /// `s` as element content. Carriage returns are written as `&#13;` so line-end normalization keeps them.
    static func content(_ s: String) -> String {
        escaping(s) { u in
            switch u {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\r": "&#13;"
            default: replacement(for: u).map { String($0) }
            }
        }
    }

    /// What an XML parser gives back for `s` after `attribute` or `content`: `s` with the replacements.
    static func representable(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars { out.unicodeScalars.append(replacement(for: u) ?? u) }
        return out
    }
}
