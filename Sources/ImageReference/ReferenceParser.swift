import ByteText

// One piece, though over 400 lines: the distribution reference grammar — the separator pass, each part's
// validation with the error that names the rule broken, normalization — is one grammar, and its parts call
// each other's byte-level checks.

/// The reference grammar of `distribution/reference`, written by hand over UTF-8 bytes (no regex, no
/// Foundation; one pass to find the separators, one pass per part to validate it).
///
///     reference      := name [ ":" tag ] [ "@" digest ]
///     name           := [ domain "/" ] path-component ( "/" path-component )*
///     domain         := host [ ":" port ]
///     host           := domain-name | "[" [0-9A-Fa-f:]+ "]"
///     domain-name    := label ( "." label )*;  label := [A-Za-z0-9] | [A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]
///     port           := [0-9]+
///     path-component := [a-z0-9]+ ( separator [a-z0-9]+ )*;  separator := "." | "_" | "__" | "-"+
///     tag            := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
///     digest         := algorithm ":" hex;  algorithm := [A-Za-z][A-Za-z0-9]* ( [-_+.] [A-Za-z][A-Za-z0-9]* )*
///
/// Two entry points: `parseNormalized` is `ParseNormalizedNamed` (Docker Hub defaults; what Docker and
/// Kubernetes do with an image string), `parseRaw` is `Parse` (the bare grammar, no defaults).
enum ReferenceParser {
    static let nameTotalLengthMax = 255
    static let tagLengthMax = 128
    static let digestLengths: [(algorithm: String, hexLength: Int)] = [
        ("sha256", 64), ("sha384", 96), ("sha512", 128),
    ]

    typealias Bytes = UnsafeBufferPointer<UInt8>

    // MARK: - Entry points

    /// `ParseNormalizedNamed`: Docker Hub defaults applied. Templated text throws `.unresolved`.
    static func parseNormalized(_ s: String) throws(ReferenceError) -> ImageReference {
        if s.isEmpty { throw .empty }
        if let why = Templating.unresolvedReason(s) { throw .unresolved(why) }
        let result = withBytes(s) { b in parseNormalized(b, text: s) }
        return try result.get()
    }

    /// `Parse`: the bare grammar without Docker Hub defaults. `foo/bar` has domain `foo`, `nginx` has
    /// domain `""` and path `nginx`. Templates are not special here: they are simply not grammatical.
    static func parseRaw(_ s: String) throws(ReferenceError) -> RawReference {
        if s.isEmpty { throw .empty }
        let result = withBytes(s) { b in parseRaw(b, text: s) }
        return try result.get()
    }

    /// Runs `body` over the string's UTF-8 bytes without copying them when the string is native.
    @inline(__always)
    static func withBytes<R>(_ s: String, _ body: (Bytes) -> R) -> R {
        if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
        return Array(s.utf8).withUnsafeBufferPointer(body)
    }

    // MARK: - ParseNormalizedNamed

    private static func parseNormalized(_ b: Bytes, text: String) -> Result<ImageReference, ReferenceError> {
        let n = b.count
        // One scan: white space, a URL scheme, the first '@', the first '/' before it.
        var at = -1
        var slash = -1
        var allLowerHex = n == 64
        var i = 0
        while i < n {
            let c = b[i]
            if ASCII.isSpace(c) { return .failure(.whitespace(text)) }
            if c == UInt8(ascii: ":"), i + 2 < n, b[i + 1] == UInt8(ascii: "/"), b[i + 2] == UInt8(ascii: "/") {
                return .failure(.scheme(string(b, 0, i + 3)))
            }
            if allLowerHex, !ASCII.isLowerHex(c) { allLowerHex = false }
            if at < 0 {
                if c == UInt8(ascii: "@") {
                    at = i
                } else if slash < 0, c == UInt8(ascii: "/") {
                    slash = i
                }
            }
            i += 1
        }
        if allLowerHex { return .failure(.hexIdentifier) }
        let nameEnd = at < 0 ? n : at

        // splitDockerDomain: the first component is a registry when it has '.' or ':', is `localhost`,
        // or has an uppercase letter (repository paths are lowercase, so it cannot be a namespace).
        var domainEnd = -1  // exclusive end of the written domain; -1 for Docker Hub by default
        if slash >= 0 {
            var special = false
            for j in 0..<slash {
                let c = b[j]
                if c == UInt8(ascii: ".") || c == UInt8(ascii: ":") || ASCII.isUpper(c) {
                    special = true
                    break
                }
            }
            if special || equals(b, 0, slash, "localhost") { domainEnd = slash }
        }
        let pathStart = domainEnd < 0 ? 0 : domainEnd + 1

        // Tag: the first ':' after the domain (a path holds no ':').
        var colon = -1
        i = pathStart
        while i < nameEnd {
            if b[i] == UInt8(ascii: ":") {
                colon = i
                break
            }
            i += 1
        }
        let pathEnd = colon < 0 ? nameEnd : colon

        for j in pathStart..<pathEnd where ASCII.isUpper(b[j]) {
            return .failure(.uppercase(repository: string(b, 0, pathEnd)))
        }
        if pathStart == pathEnd {
            if pathEnd == 0 && (colon >= 0 || at >= 0) {
                return .failure(.invalidFormat("the repository name is missing before `\(string(b, 0, n))`"))
            }
            return .failure(.invalidPath(component: "", reason: "must not be empty"))
        }

        var domain = ImageReference.defaultDomain
        if domainEnd >= 0 {
            if equals(b, 0, domainEnd, ImageReference.legacyDefaultDomain)
                || equals(b, 0, domainEnd, ImageReference.defaultDomain)
            {
                domain = ImageReference.defaultDomain
            } else {
                if domainProblem(b, 0, domainEnd) != nil { return .failure(.invalidDomain(string(b, 0, domainEnd))) }
                domain = string(b, 0, domainEnd)
            }
        }

        if let error = pathProblem(b, pathStart, pathEnd) { return .failure(error) }
        var addLibrary = false
        if domain == ImageReference.defaultDomain {
            addLibrary = true
            for j in pathStart..<pathEnd where b[j] == UInt8(ascii: "/") {
                addLibrary = false
                break
            }
        }
        let pathLength = pathEnd - pathStart + (addLibrary ? ImageReference.officialRepoPrefix.utf8.count : 0)
        if pathLength > nameTotalLengthMax { return .failure(.nameTooLong(length: pathLength)) }

        let tag: String?
        let digest: String?
        switch tagAndDigest(b, colon: colon, nameEnd: nameEnd, at: at) {
        case .success(let parts): (tag, digest) = parts
        case .failure(let error): return .failure(error)
        }
        var path = string(b, pathStart, pathEnd)
        if addLibrary { path = ImageReference.officialRepoPrefix + path }
        return .success(ImageReference(domain: domain, path: path, tag: tag, digest: digest))
    }

    /// The tag after `colon` (up to `nameEnd`) and the digest after `at`, validated; -1: none.
    private static func tagAndDigest(
        _ b: Bytes, colon: Int, nameEnd: Int, at: Int
    ) -> Result<(tag: String?, digest: String?), ReferenceError> {
        var tag: String? = nil
        if colon >= 0 {
            if let error = tagProblem(b, colon + 1, nameEnd) { return .failure(error) }
            tag = string(b, colon + 1, nameEnd)
        }
        var digest: String? = nil
        if at >= 0 {
            if let error = digestProblem(b, at + 1, b.count) { return .failure(error) }
            digest = string(b, at + 1, b.count)
        }
        return .success((tag, digest))
    }

    // MARK: - Parse (raw grammar)

    private static func parseRaw(_ b: Bytes, text: String) -> Result<RawReference, ReferenceError> {
        let n = b.count
        var at = -1
        for i in 0..<n where b[i] == UInt8(ascii: "@") {
            at = i
            break
        }
        let nameEnd = at < 0 ? n : at
        // The tag starts after the last ':' that no '/' follows (a ':' before a '/' is a port).
        var colon = -1
        var i = nameEnd - 1
        while i >= 0 {
            if b[i] == UInt8(ascii: "/") { break }
            if b[i] == UInt8(ascii: ":") {
                colon = i
                break
            }
            i -= 1
        }
        let end = colon < 0 ? nameEnd : colon
        if end == 0 { return .failure(.invalidFormat("the repository name is missing before `\(text)`")) }
        // The regex `(?:(domain)/)?(path)` prefers a domain: the first component is one when it matches the
        // domain grammar and a path follows.
        var pathStart = 0
        for j in 0..<end where b[j] == UInt8(ascii: "/") {
            if domainProblem(b, 0, j) == nil { pathStart = j + 1 }
            break
        }
        for j in pathStart..<end where ASCII.isUpper(b[j]) {
            return .failure(.uppercase(repository: string(b, 0, end)))
        }
        if let error = pathProblem(b, pathStart, end) { return .failure(error) }
        if end - pathStart > nameTotalLengthMax { return .failure(.nameTooLong(length: end - pathStart)) }
        let tag: String?
        let digest: String?
        switch tagAndDigest(b, colon: colon, nameEnd: nameEnd, at: at) {
        case .success(let parts): (tag, digest) = parts
        case .failure(let error): return .failure(error)
        }
        let domain = pathStart == 0 ? "" : string(b, 0, pathStart - 1)
        return .success(RawReference(domain: domain, path: string(b, pathStart, end), tag: tag, digest: digest))
    }

    // MARK: - Parts

    /// Why `b[start..<end]` is not a registry host with optional port, or nil when it is one.
    static func domainProblem(_ b: Bytes, _ start: Int, _ end: Int) -> String? {
        if start == end { return "it is empty" }
        var i = start
        if b[i] == UInt8(ascii: "[") {
            var close = -1
            for j in (i + 1)..<end where b[j] == UInt8(ascii: "]") {
                close = j
                break
            }
            if close < 0 { return "the IPv6 address has no closing `]`" }
            if close == i + 1 { return "the IPv6 address is empty" }
            for j in (i + 1)..<close where !(ASCII.isHex(b[j]) || b[j] == UInt8(ascii: ":")) {
                return "an IPv6 address may only hold hex digits and `:`, found `\(character(b, j))`"
            }
            i = close + 1
        } else {
            var labelStart = i
            var colons = 0
            for j in i..<end where b[j] == UInt8(ascii: ":") { colons += 1 }
            if colons > 1 { return "an IPv6 address must be written in brackets, as in `[::1]:5000`" }
            while true {
                if i == end || b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ":") {
                    if labelStart == i { return "the host name has an empty label" }
                    if b[labelStart] == UInt8(ascii: "-") || b[i - 1] == UInt8(ascii: "-") {
                        return "host name label `\(string(b, labelStart, i))` must start and end with a letter or digit"
                    }
                    if i == end || b[i] == UInt8(ascii: ":") { break }
                    labelStart = i + 1
                } else if !(ASCII.isAlnum(b[i]) || b[i] == UInt8(ascii: "-")) {
                    return "a host name may only hold letters, digits, `-` and `.`, found `\(character(b, i))`"
                }
                i += 1
            }
        }
        if i < end {
            if b[i] != UInt8(ascii: ":") { return "unexpected `\(character(b, i))` after the host" }
            if i + 1 == end { return "the port is empty" }
            for j in (i + 1)..<end where !ASCII.isDigit(b[j]) {
                return "the port must be digits, found `\(string(b, i + 1, end))`"
            }
        }
        return nil
    }

    /// Validates `/`-separated lowercase path components.
    static func pathProblem(_ b: Bytes, _ start: Int, _ end: Int) -> ReferenceError? {
        var componentStart = start
        var i = start
        while i <= end {
            if i == end || b[i] == UInt8(ascii: "/") {
                if let error = componentProblem(b, componentStart, i) { return error }
                componentStart = i + 1
            }
            i += 1
        }
        return nil
    }

    private static func componentProblem(_ b: Bytes, _ start: Int, _ end: Int) -> ReferenceError? {
        if start == end {
            return .invalidPath(component: "", reason: "has an empty component (`//`, or `/` at the start or end)")
        }
        var i = start
        while i < end {
            let c = b[i]
            if ASCII.isLowerAlnum(c) {
                i += 1
                continue
            }
            var j = i
            while j < end, !ASCII.isLowerAlnum(b[j]) { j += 1 }
            for k in i..<j where !isSeparatorByte(b[k]) {
                return .invalidPath(
                    component: string(b, start, end),
                    reason: "may only hold lowercase letters, digits, `.`, `_` and `-`, found `\(character(b, k))`")
            }
            if i == start || j == end {
                return .invalidPath(
                    component: string(b, start, end), reason: "must start and end with a lowercase letter or digit")
            }
            let length = j - i
            let first = b[i]
            var same = true
            for k in i..<j where b[k] != first {
                same = false
                break
            }
            let ok =
                (length == 1) || (same && first == UInt8(ascii: "-"))
                || (length == 2 && same && first == UInt8(ascii: "_"))
            if !ok {
                return .invalidPath(
                    component: string(b, start, end),
                    reason: "has the separator `\(string(b, i, j))`; use one `.`, one or two `_`, or dashes")
            }
            i = j
        }
        return nil
    }

    static func tagProblem(_ b: Bytes, _ start: Int, _ end: Int) -> ReferenceError? {
        if start == end { return .invalidTag(tag: "", reason: "is empty (nothing follows `:`)") }
        if !ASCII.isWord(b[start]) {
            return .invalidTag(tag: string(b, start, end), reason: "must start with a letter, digit or `_`")
        }
        for i in start..<end where !(ASCII.isWord(b[i]) || b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: "-")) {
            return .invalidTag(
                tag: string(b, start, end),
                reason: "may only hold letters, digits, `_`, `.` and `-`, found `\(character(b, i))`")
        }
        let length = end - start
        if length > tagLengthMax {
            return .invalidTag(
                tag: string(b, start, end), reason: "must not be longer than \(tagLengthMax) characters, found \(length)")
        }
        return nil
    }

    static func digestProblem(_ b: Bytes, _ start: Int, _ end: Int) -> ReferenceError? {
        var colon = -1
        var colons = 0
        for i in start..<end {
            if b[i] == UInt8(ascii: "@") { return .invalidFormat("only one `@digest` is allowed") }
            if b[i] == UInt8(ascii: ":") {
                if colon < 0 { colon = i }
                colons += 1
            }
        }
        if colons > 1 {
            return .invalidFormat("the tag must come before the digest, as in `name:tag@sha256:…`")
        }
        if colon <= start || colon + 1 == end { return .invalidDigestFormat(string(b, start, end)) }
        // algorithm := [A-Za-z][A-Za-z0-9]* ([-_+.][A-Za-z][A-Za-z0-9]*)*
        var expectLetter = true
        for i in start..<colon {
            let c = b[i]
            if expectLetter {
                if !ASCII.isLetter(c) { return .invalidDigestFormat(string(b, start, end)) }
                expectLetter = false
            } else if c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".") {
                expectLetter = true
            } else if !ASCII.isAlnum(c) {
                return .invalidDigestFormat(string(b, start, end))
            }
        }
        if expectLetter { return .invalidDigestFormat(string(b, start, end)) }
        let hexStart = colon + 1
        let found = end - hexStart
        var allHex = true
        var allLowerHex = true
        for i in hexStart..<end where !ASCII.isLowerHex(b[i]) {
            allLowerHex = false
            if !ASCII.isHex(b[i]) {
                allHex = false
                break
            }
        }
        guard let expected = digestLengths.first(where: { equals(b, start, colon, $0.algorithm) })?.hexLength else {
            if allHex { return .unsupportedDigest(algorithm: string(b, start, colon)) }
            return .invalidDigestFormat(string(b, start, end))
        }
        if !allHex { return .digestCharacters(algorithm: string(b, start, colon)) }
        if found != expected {
            return .digestLength(algorithm: string(b, start, colon), expected: expected, found: found)
        }
        if !allLowerHex { return .digestCharacters(algorithm: string(b, start, colon)) }
        return nil
    }

    // MARK: - Bytes

    @inline(__always) static func string(_ b: Bytes, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
    }

    /// The character at byte `i` for a message: the whole scalar when it is multi-byte.
    static func character(_ b: Bytes, _ i: Int) -> String {
        if b[i] < 0x80 { return String(UnicodeScalar(b[i])) }
        var start = i
        while start > 0, !UTF8Bytes.isScalarStart(b[start]) { start -= 1 }
        var end = start + 1
        while end < b.count, !UTF8Bytes.isScalarStart(b[end]) { end += 1 }
        return string(b, start, end)
    }

    @inline(__always) static func equals(_ b: Bytes, _ start: Int, _ end: Int, _ s: String) -> Bool {
        var k = start
        for u in s.utf8 {
            if k == end || b[k] != u { return false }
            k += 1
        }
        return k == end
    }

    @inline(__always) static func isSeparatorByte(_ c: UInt8) -> Bool {
        c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
    }
}

/// The result of the bare grammar (`Parse` of `distribution/reference`): no Docker Hub defaults, `domain`
/// is `""` when the first component is not a host.
struct RawReference: Hashable, Sendable {
    var domain: String
    var path: String
    var tag: String?
    var digest: String?

    /// `domain/path`, or `path` without a domain.
    var name: String { domain.isEmpty ? path : domain + "/" + path }

    var string: String {
        var s = name
        if let tag { s += ":" + tag }
        if let digest { s += "@" + digest }
        return s
    }
}
