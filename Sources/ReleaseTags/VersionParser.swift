import ByteText

/// The semver 2.0.0 grammar, by hand over UTF-8 bytes:
///
///     version    := core [ "-" pre-release ] [ "+" build ]
///     core       := number "." number "." number        number := "0" | [1-9][0-9]*
///     pre-release := pre-id ( "." pre-id )*             pre-id := number | [0-9A-Za-z-]* with a non-digit
///     build      := build-id ( "." build-id )*          build-id := [0-9A-Za-z-]+
enum VersionParser {
    static let dot = UInt8(ascii: "."), dash = UInt8(ascii: "-"), plus = UInt8(ascii: "+")

    static func isIdentifierByte(_ c: UInt8) -> Bool { ASCII.isAlnum(c) || c == dash }

    static func parse(_ text: String, allowLeadingV: Bool) throws(VersionSyntaxError) -> SemanticVersion {
        let b = Array(text.utf8)
        func fail(_ part: VersionSyntaxError.Part, _ reason: String) -> VersionSyntaxError {
            VersionSyntaxError(input: text, part: part, reason: reason)
        }
        var i = 0
        if allowLeadingV, b.first == UInt8(ascii: "v") { i = 1 }
        if i == b.count {
            throw fail(.version, "is empty; expected MAJOR.MINOR.PATCH such as 1.4.2")
        }
        if !ASCII.isDigit(b[i]) {
            throw fail(.version, "must start with a digit; expected MAJOR.MINOR.PATCH such as 1.4.2")
        }

        func number(_ part: VersionSyntaxError.Part) throws(VersionSyntaxError) -> String {
            let name = part.rawValue + " version"
            let start = i
            while i < b.count, ASCII.isDigit(b[i]) { i += 1 }
            if i == start {
                if i == b.count { throw fail(part, "\(name) is missing; expected MAJOR.MINOR.PATCH such as 1.4.2") }
                throw fail(part, "\(name) must be a number, found `\(show(b, from: i))`")
            }
            let digits = String(decoding: b[start..<i], as: UTF8.self)
            if i - start > 1, b[start] == UInt8(ascii: "0") {
                throw fail(part, "\(name) `\(digits)` must not have a leading zero")
            }
            return digits
        }
        func separator(after part: VersionSyntaxError.Part, next: VersionSyntaxError.Part) throws(VersionSyntaxError) {
            if i < b.count, b[i] == dot {
                i += 1
                return
            }
            if i == b.count || b[i] == dash || b[i] == plus {
                throw fail(next, "\(next.rawValue) version is missing; expected MAJOR.MINOR.PATCH such as 1.4.2")
            }
            throw fail(part, "\(part.rawValue) version is followed by `\(show(b, from: i))`; expected `.`")
        }

        let major = try number(.major)
        try separator(after: .major, next: .minor)
        let minor = try number(.minor)
        try separator(after: .minor, next: .patch)
        let patch = try number(.patch)

        var prerelease: [SemanticVersion.PrereleaseIdentifier] = []
        var build: [String] = []
        if i < b.count, b[i] == dash {
            i += 1
            let start = i
            while i < b.count, b[i] != plus { i += 1 }
            for id in try identifiers(b[start..<i], part: .prerelease, text: text) {
                if id.allSatisfy(ASCII.isDigit) {
                    let s = String(decoding: id, as: UTF8.self)
                    if id.count > 1, id.first == UInt8(ascii: "0") {
                        throw fail(.prerelease, "pre-release identifier `\(s)` is numeric and must not have a leading zero")
                    }
                    prerelease.append(.numeric(s))
                } else {
                    prerelease.append(.alphanumeric(String(decoding: id, as: UTF8.self)))
                }
            }
        }
        if i < b.count, b[i] == plus {
            i += 1
            build = try identifiers(b[i...], part: .build, text: text).map { String(decoding: $0, as: UTF8.self) }
            i = b.count
        }
        if i < b.count {
            throw fail(.patch, "patch version is followed by `\(show(b, from: i))`; expected `-` pre-release, `+` build metadata or the end")
        }
        return SemanticVersion(major: major, minor: minor, patch: patch, prerelease: prerelease, build: build)
    }

    /// Splits dot-separated identifiers and checks each is non-empty and `[0-9A-Za-z-]+`.
    static func identifiers(
        _ bytes: ArraySlice<UInt8>, part: VersionSyntaxError.Part, text: String
    ) throws(VersionSyntaxError) -> [ArraySlice<UInt8>] {
        let sign = part == .prerelease ? "-" : "+"
        if bytes.isEmpty {
            throw VersionSyntaxError(input: text, part: part, reason: "\(part.rawValue) after `\(sign)` is empty")
        }
        let ids = bytes.split(separator: dot, omittingEmptySubsequences: false)
        for id in ids {
            if id.isEmpty {
                throw VersionSyntaxError(
                    input: text, part: part,
                    reason: "\(part.rawValue) has an empty identifier (a leading, trailing or doubled `.`)")
            }
            if let bad = id.first(where: { !isIdentifierByte($0) }) {
                let shown = bad < 0x80 ? String(UnicodeScalar(bad)) : "non-ASCII text"
                throw VersionSyntaxError(
                    input: text, part: part,
                    reason: "\(part.rawValue) identifier `\(String(decoding: id, as: UTF8.self))` contains `\(shown)`; only ASCII letters, digits and `-` are allowed")
            }
        }
        return ids
    }

    /// The rest of the text from `i`, shortened for messages.
    static func show(_ b: [UInt8], from i: Int) -> String {
        let rest = String(decoding: b[i...], as: UTF8.self)
        return rest.count > 20 ? String(rest.prefix(20)) + "…" : rest
    }
}
