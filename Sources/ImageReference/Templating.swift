import ByteText

/// Detection of text that is not yet a reference: shell and compose variables, Go/Helm/Jinja templates,
/// Kubernetes `$(VAR)` expansion, placeholders and build-tool schemes.
public enum Templating {
    /// Returns why `text` is unresolved, or nil when it holds no template syntax.
    public static func unresolvedReason(_ text: String) -> String? {
        // Fast path for the common case: none of the bytes that can start template syntax.
        if !text.utf8.contains(where: { $0 == 0x24 || $0 == 0x7B || $0 == 0x25 || $0 == 0x3C || $0 == 0x40 }) {
            for scheme in buildSchemes where text.hasPrefix(scheme) {
                return "build reference `\(scheme)…` is resolved by the build tool"
            }
            return upperSnakePlaceholder(text).map(placeholder)
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
                // `{name}`: a documentation placeholder (`docker.io/{username}/app`).
                var j = i + 1
                while j < b.count, isNameChar(b[j]) || b[j] == UInt8(ascii: "-") || b[j] == UInt8(ascii: ".") { j += 1 }
                if j > i + 1, j < b.count, b[j] == UInt8(ascii: "}"), isNameStart(b[i + 1]) {
                    return placeholder(String(decoding: b[i...j], as: UTF8.self))
                }
            case UInt8(ascii: "@"):
                // `@IMAGE@`, `@docker.image@`: build-time substitution (autoconf, Maven resources, sed).
                var j = i + 1
                while j < b.count, isNameChar(b[j]) || b[j] == UInt8(ascii: ".") || b[j] == UInt8(ascii: "-") { j += 1 }
                if j > i + 1, j < b.count, b[j] == UInt8(ascii: "@"), isNameStart(b[i + 1]) {
                    return placeholder(String(decoding: b[i...j], as: UTF8.self))
                }
            case UInt8(ascii: "%"):
                if i + 1 < b.count, b[i + 1] == UInt8(ascii: "%") {
                    return placeholder(slice(b, from: i, closing: nil))
                }
            case UInt8(ascii: "<"):
                // `<name>`: scan only the run of name characters, so a long `<<<<…` stays linear.
                var j = i + 1
                while j < b.count,
                    isNameChar(b[j]) || b[j] == UInt8(ascii: "-") || b[j] == UInt8(ascii: " ") || b[j] == UInt8(ascii: "/")
                        || b[j] == UInt8(ascii: ":") || b[j] == UInt8(ascii: ".")
                {
                    j += 1
                }
                if j > i + 1, j < b.count, b[j] == UInt8(ascii: ">") {
                    return placeholder(String(decoding: b[i...j], as: UTF8.self))
                }
            default:
                break
            }
            i += 1
        }
        for scheme in buildSchemes where text.hasPrefix(scheme) {
            return "build reference `\(scheme)…` is resolved by the build tool"
        }
        return upperSnakePlaceholder(text).map(placeholder)
    }

    /// The reason given for a placeholder: it says plainly that the text is not an image yet.
    static func placeholder(_ text: String) -> String { "placeholder `\(text)`, not an image yet" }

    /// An UPPER_SNAKE or UPPER-KEBAB word in the registry or repository part (`PROJECT_ID`,
    /// `CONTAINER_IMAGE`, `REPLACE-ME`): the placeholder convention of cloud documentation and templates. Such a name can never be valid (uppercase and `_` are not
    /// allowed there), so calling it unresolved loses nothing. The tag is not looked at (`RELEASE_1` is a tag).
    static func upperSnakePlaceholder(_ text: String) -> String? {
        let b = Array(text.utf8)
        guard b.contains(UInt8(ascii: "_")) || b.contains(UInt8(ascii: "-")) else { return nil }
        // the name: up to `@`, and in the last path segment up to `:`
        var end = b.firstIndex(of: UInt8(ascii: "@")) ?? b.count
        let lastSlash = b[..<end].lastIndex(of: UInt8(ascii: "/")) ?? -1
        if let colon = b[(lastSlash + 1)..<end].firstIndex(of: UInt8(ascii: ":")) { end = colon }
        var i = 0
        while i < end {
            guard ASCII.isUpper(b[i]), i == 0 || !isNameChar(b[i - 1]) else {
                i += 1
                continue
            }
            var j = i
            var underscores = 0
            while j < end, ASCII.isUpper(b[j]) || ASCII.isDigit(b[j]) || b[j] == UInt8(ascii: "_") || b[j] == UInt8(ascii: "-") {
                if b[j] == UInt8(ascii: "_") || b[j] == UInt8(ascii: "-") { underscores += 1 }
                j += 1
            }
            let wordEnds = j == end || !isNameChar(b[j])
            if wordEnds, underscores > 0, b[j - 1] != UInt8(ascii: "_"), b[j - 1] != UInt8(ascii: "-"), j - i >= 4 {
                return String(decoding: b[i..<j], as: UTF8.self)
            }
            i = j + 1
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
