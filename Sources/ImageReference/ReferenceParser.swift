/// The reference grammar of `distribution/reference`, written by hand over UTF-8 bytes.
///
///     reference  := name [ ":" tag ] [ "@" digest ]
///     name       := [domain "/"] path-component ["/" path-component]*
///     domain     := host [":" port]; host := domain-name | "[" ipv6 "]"
///     path-component := [a-z0-9]+ (separator [a-z0-9]+)*; separator := "." | "_" | "__" | "-"+
///     tag        := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
///     digest     := algorithm ":" hex
enum ReferenceParser {
    static let nameTotalLengthMax = 255
    static let tagLengthMax = 128

    /// `ParseNormalizedNamed`: Docker Hub defaults applied.
    static func parseNormalized(_ s: String) throws(ReferenceError) -> ImageReference {
        if s.isEmpty { throw .empty }
        if let why = Templating.unresolvedReason(s) { throw .unresolved(why) }
        let bytes = Array(s.utf8)
        if bytes.contains(where: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            throw .whitespace(s)
        }
        if let r = s.firstRange(of: "://") {
            throw .scheme(String(s[..<r.upperBound]))
        }
        if bytes.count == 64, bytes.allSatisfy(isLowerHex) { throw .hexIdentifier }

        // splitDockerDomain
        var domain: String
        var remainder: Substring
        if let slash = s.firstIndex(of: "/") {
            let first = s[..<slash]
            let looksLikeDomain =
                first.contains(".") || first.contains(":") || first == "localhost"
                || first.contains(where: { $0.isASCII && $0.isUppercase })
            if looksLikeDomain {
                domain = String(first)
                remainder = s[s.index(after: slash)...]
            } else {
                domain = ImageReference.defaultDomain
                remainder = s[...]
            }
        } else {
            domain = ImageReference.defaultDomain
            remainder = s[...]
        }
        if domain == ImageReference.legacyDefaultDomain { domain = ImageReference.defaultDomain }

        // Split name, tag and digest. A path holds neither ':' nor '@'.
        var digest: String? = nil
        var nameAndTag = remainder
        if let at = remainder.firstIndex(of: "@") {
            digest = String(remainder[remainder.index(after: at)...])
            nameAndTag = remainder[..<at]
        }
        var tag: String? = nil
        var pathText = nameAndTag
        if let colon = nameAndTag.firstIndex(of: ":") {
            tag = String(nameAndTag[nameAndTag.index(after: colon)...])
            pathText = nameAndTag[..<colon]
        }

        if pathText.contains(where: { $0.isUppercase }) {
            throw .uppercase(repository: String(pathText))
        }
        if domain != ImageReference.defaultDomain {
            try validateDomain(domain)
        }
        var path = String(pathText)
        if domain == ImageReference.defaultDomain && !path.contains("/") && !pathText.isEmpty {
            path = ImageReference.officialRepoPrefix + path
        }
        try validatePath(path)
        if path.utf8.count > nameTotalLengthMax { throw .nameTooLong(length: path.utf8.count) }
        if let tag { try validateTag(tag) }
        if let digest { try validateDigest(digest) }
        return ImageReference(domain: domain, path: path, tag: tag, digest: digest)
    }

    static func isLowerHex(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) }
    static func isHex(_ c: UInt8) -> Bool { isLowerHex(c) || (c >= 0x41 && c <= 0x46) }
    static func isLowerAlnum(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A) }
    static func isAlnum(_ c: UInt8) -> Bool {
        isLowerAlnum(c) || (c >= 0x41 && c <= 0x5A)
    }
    static func isWord(_ c: UInt8) -> Bool { isAlnum(c) || c == 0x5F }

    static func validateDomain(_ domain: String) throws(ReferenceError) {
        let b = Array(domain.utf8)
        var i = 0
        if b.first == UInt8(ascii: "[") {
            guard let close = b.firstIndex(of: UInt8(ascii: "]")), close > 1,
                b[1..<close].allSatisfy({ isHex($0) || $0 == UInt8(ascii: ":") })
            else { throw .invalidDomain(domain) }
            i = close + 1
        } else {
            // domain-name: components of [A-Za-z0-9] with inner '-', joined by '.'
            var componentStart = 0
            while i <= b.count {
                if i == b.count || b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ":") {
                    let comp = b[componentStart..<i]
                    guard let f = comp.first, let l = comp.last, isAlnum(f), isAlnum(l),
                        comp.allSatisfy({ isAlnum($0) || $0 == UInt8(ascii: "-") })
                    else { throw .invalidDomain(domain) }
                    if i == b.count || b[i] == UInt8(ascii: ":") { break }
                    componentStart = i + 1
                }
                i += 1
            }
        }
        if i < b.count {
            guard b[i] == UInt8(ascii: ":"), i + 1 < b.count,
                b[(i + 1)...].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
            else { throw .invalidDomain(domain) }
        }
    }

    static func validatePath(_ path: String) throws(ReferenceError) {
        if path.isEmpty { throw .invalidPath(component: "", reason: "must not be empty") }
        for comp in path.split(separator: "/", omittingEmptySubsequences: false) {
            let b = Array(comp.utf8)
            let c = String(comp)
            guard let f = b.first else {
                throw .invalidPath(component: "", reason: "has an empty component (`//` or a trailing `/`)")
            }
            if !isLowerAlnum(f) || !isLowerAlnum(b[b.count - 1]) {
                throw .invalidPath(component: c, reason: "must start and end with a lowercase letter or digit")
            }
            var i = 0
            while i < b.count {
                let ch = b[i]
                if isLowerAlnum(ch) { i += 1; continue }
                // a separator run
                var j = i
                while j < b.count, !isLowerAlnum(b[j]) { j += 1 }
                let sep = b[i..<j]
                let ok =
                    sep.elementsEqual([UInt8(ascii: ".")]) || sep.elementsEqual([UInt8(ascii: "_")])
                    || sep.elementsEqual([UInt8(ascii: "_"), UInt8(ascii: "_")])
                    || sep.allSatisfy { $0 == UInt8(ascii: "-") }
                if !ok {
                    let bad = String(decoding: sep, as: UTF8.self)
                    if sep.allSatisfy({ $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }) {
                        throw .invalidPath(component: c, reason: "has an invalid separator `\(bad)`")
                    }
                    throw .invalidPath(component: c, reason: "has characters outside [a-z0-9._-]: `\(bad)`")
                }
                i = j
            }
        }
    }

    static func validateTag(_ tag: String) throws(ReferenceError) {
        let b = Array(tag.utf8)
        guard let f = b.first else { throw .invalidTag(tag: tag, reason: "must not be empty") }
        if !isWord(f) {
            throw .invalidTag(tag: tag, reason: "must start with a letter, digit or `_`")
        }
        if let bad = b.first(where: { !(isWord($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")) }) {
            let ch = bad < 0x80 ? String(UnicodeScalar(bad)) : "non-ASCII text"
            throw .invalidTag(tag: tag, reason: "may only contain letters, digits, `_`, `.` and `-`, found `\(ch)`")
        }
        if b.count > tagLengthMax {
            throw .invalidTag(tag: tag, reason: "must not be longer than 128 characters, found \(b.count)")
        }
    }

    static let digestLengths: [String: Int] = ["sha256": 64, "sha384": 96, "sha512": 128]

    static func validateDigest(_ digest: String) throws(ReferenceError) {
        guard let colon = digest.firstIndex(of: ":") else { throw .invalidDigestFormat(digest) }
        let algorithm = String(digest[..<colon])
        let hex = Array(digest[digest.index(after: colon)...].utf8)
        // algorithm := [A-Za-z][A-Za-z0-9]* ([-_+.][A-Za-z][A-Za-z0-9]*)*
        let alg = Array(algorithm.utf8)
        var algOK = !alg.isEmpty
        var expectLetter = true
        for c in alg {
            let isLetter = (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
            if expectLetter {
                if !isLetter { algOK = false; break }
                expectLetter = false
            } else if c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".") {
                expectLetter = true
            } else if !isAlnum(c) {
                algOK = false; break
            }
        }
        if expectLetter { algOK = false }
        guard algOK, !hex.isEmpty else { throw .invalidDigestFormat(digest) }
        guard let expected = digestLengths[algorithm] else {
            if hex.count >= 32, hex.allSatisfy(isHex) { throw .unsupportedDigest(algorithm: algorithm) }
            throw .invalidDigestFormat(digest)
        }
        if hex.count != expected { throw .digestLength(algorithm: algorithm, expected: expected, found: hex.count) }
        if !hex.allSatisfy(isLowerHex) { throw .digestCharacters(algorithm: algorithm) }
    }
}
