/// Detection of text that is not yet a reference: shell and compose variables, Go/Helm/Jinja templates,
/// Kubernetes `$(VAR)` expansion, placeholders and build-tool schemes.
public enum Templating {
    /// Returns why `text` is unresolved, or nil when it holds no template syntax.
    public static func unresolvedReason(_ text: String) -> String? {
        // Fast path for the common case: none of the bytes that can start template syntax.
        if !text.utf8.contains(where: { $0 == 0x24 || $0 == 0x7B || $0 == 0x25 || $0 == 0x3C }) {
            for scheme in buildSchemes where text.hasPrefix(scheme) {
                return "build reference `\(scheme)…` is resolved by the build tool"
            }
            return nil
        }
        let b = Array(text.utf8)
        var i = 0
        while i < b.count {
            let c = b[i]
            switch c {
            case UInt8(ascii: "$"):
                if i + 1 < b.count {
                    let n = b[i + 1]
                    if n == UInt8(ascii: "{") { return "variable `\(slice(b, from: i, closing: "}"))`" }
                    if n == UInt8(ascii: "(") { return "variable `\(slice(b, from: i, closing: ")"))`" }
                    if isNameStart(n) {
                        var j = i + 1
                        while j < b.count, isNameChar(b[j]) { j += 1 }
                        return "variable `\(String(decoding: b[i..<j], as: UTF8.self))`"
                    }
                }
            case UInt8(ascii: "{"):
                if i + 1 < b.count, b[i + 1] == UInt8(ascii: "{") || b[i + 1] == UInt8(ascii: "%") {
                    return "template `\(slice(b, from: i, closing: "}"))`"
                }
            case UInt8(ascii: "%"):
                if i + 1 < b.count, b[i + 1] == UInt8(ascii: "%") {
                    return "placeholder `\(slice(b, from: i, closing: nil))`"
                }
            case UInt8(ascii: "<"):
                // `<name>`: scan only the run of name characters, so a long `<<<<…` stays linear.
                var j = i + 1
                while j < b.count, isNameChar(b[j]) || b[j] == UInt8(ascii: "-") || b[j] == UInt8(ascii: " ") { j += 1 }
                if j > i + 1, j < b.count, b[j] == UInt8(ascii: ">") {
                    return "placeholder `\(String(decoding: b[i...j], as: UTF8.self))`"
                }
            default:
                break
            }
            i += 1
        }
        for scheme in buildSchemes where text.hasPrefix(scheme) {
            return "build reference `\(scheme)…` is resolved by the build tool"
        }
        return nil
    }

    /// Schemes of build tools that replace the reference at deploy time (ko, Skaffold-style).
    static let buildSchemes = ["ko://"]

    static func isNameStart(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
    }
    static func isNameChar(_ c: UInt8) -> Bool { isNameStart(c) || (c >= 0x30 && c <= 0x39) }

    static func slice(_ b: [UInt8], from i: Int, closing: Character?) -> String {
        var end = b.count
        if let closing, let ascii = closing.asciiValue, let j = b[i...].firstIndex(of: ascii) {
            end = j + 1
            if closing == "}", end < b.count, b[end] == ascii { end += 1 }
        } else if closing == nil {
            var j = i + 2
            while j + 1 < b.count, !(b[j] == UInt8(ascii: "%") && b[j + 1] == UInt8(ascii: "%")) { j += 1 }
            end = min(b.count, j + 2)
        }
        return String(decoding: b[i..<end], as: UTF8.self)
    }
}
