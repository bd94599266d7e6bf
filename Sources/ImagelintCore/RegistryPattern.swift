import ByteText
import ImageReference
import Synchronization

/// A registry pattern as kubelet matches credentials (`config.json` `auths` keys): `host`, `host:port`,
/// `*.host` (one glob per dot-separated label, same number of labels), optionally followed by a path prefix
/// (`host/team` matches `host/team/app` and `host/team`, not `host/teammate`). A scheme is ignored.
public struct RegistryPattern: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    public let hostLabels: [Substring]
    public let port: Substring?
    public let pathPrefix: [Substring]

    public init(_ text: String) {
        // Rules build patterns from the configuration for every occurrence; parse each text once.
        if let cached = Self.cache.withLock({ $0[text] }) {
            self = cached
            return
        }
        self.init(parsing: text)
        let parsed = self
        Self.cache.withLock { cache in
            if cache.count >= Self.cacheLimit { cache.removeAll() }
            cache[text] = parsed
        }
    }

    /// Parsed patterns by text (bounded: cleared when full).
    private static let cache = Mutex<[String: RegistryPattern]>([:])
    private static let cacheLimit = 256

    private init(parsing text: String) {
        self.text = text
        var s = Substring(text)
        if let r = s.firstRange(of: "://") { s = s[r.upperBound...] }
        while s.hasSuffix("/") { s = s.dropLast() }
        let slash = s.firstIndex(of: "/") ?? s.endIndex
        var host = s[..<slash]
        let rest = slash < s.endIndex ? s[s.index(after: slash)...] : ""
        // Docker Hub aliases
        if host == "index.docker.io" || host == "registry-1.docker.io" { host = "docker.io" }
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") {
            port = host[host.index(after: colon)...]
            host = host[..<colon]
        } else {
            port = nil
        }
        hostLabels = host.split(separator: ".", omittingEmptySubsequences: false)
        var prefix = rest.split(separator: "/")
        // `https://index.docker.io/v1/` (Docker's own credential key) means all of Docker Hub.
        if host == "docker.io", prefix == ["v1"] || prefix == ["v2"] { prefix = [] }
        pathPrefix = prefix
    }

    public var description: String { text }

    /// True when the reference's registry and repository path match.
    public func matches(_ ref: ImageReference) -> Bool {
        matches(domain: ref.domain, path: ref.path)
    }

    public func matches(domain: String, path: String) -> Bool {
        if let fast = matchesASCII(domain: domain, path: path) { return fast }
        var host = Substring(domain)
        var refPort: Substring? = nil
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") {
            refPort = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        if port != refPort { return false }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count == hostLabels.count else { return false }
        for (p, l) in zip(hostLabels, labels) where !Glob(String(p).lowercased()).matches(String(l).lowercased()) {
            return false
        }
        if pathPrefix.isEmpty { return true }
        let segments = path.split(separator: "/")
        guard segments.count >= pathPrefix.count else { return false }
        return zip(pathPrefix, segments).allSatisfy { $0 == $1 }
    }

    /// `matches(domain:path:)` without allocating, for the usual case: an ASCII domain and path and
    /// pattern host labels without glob characters. Nil when that case does not apply.
    private func matchesASCII(domain: String, path: String) -> Bool? {
        var domain = domain
        return domain.withUTF8 { d -> Bool? in
            guard d.allSatisfy({ $0 < 0x80 }) else { return nil }
            // Port: after the last `:`, unless the host ends with `]` (a bare IPv6 address).
            var hostEnd = d.count
            var refPort: UnsafeBufferPointer<UInt8>? = nil
            if let colon = d.lastIndex(of: UInt8(ascii: ":")), d.last != UInt8(ascii: "]") {
                hostEnd = colon
                refPort = UnsafeBufferPointer(rebasing: d[(colon + 1)...])
            }
            switch (port, refPort) {
            case (nil, nil): break
            case (let p?, let r?):
                guard let same = Self.asciiEqual(p, r, foldCase: false) else { return nil }
                if !same { return false }
            default: return false
            }
            // Host labels, compared case-insensitively.
            var start = 0
            var label = 0
            for i in 0...hostEnd where i == hostEnd || d[i] == UInt8(ascii: ".") {
                guard label < hostLabels.count else { return false }
                let p = hostLabels[label]
                guard !p.utf8.contains(where: { $0 == 0x2A || $0 == 0x3F || $0 == 0x5B || $0 == 0x5C }) else {
                    return nil
                }
                guard let same = Self.asciiEqual(p, UnsafeBufferPointer(rebasing: d[start..<i]), foldCase: true)
                else { return nil }
                if !same { return false }
                label += 1
                start = i + 1
            }
            guard label == hostLabels.count else { return false }
            if pathPrefix.isEmpty { return true }
            var path = path
            return path.withUTF8 { t -> Bool? in
                guard t.allSatisfy({ $0 < 0x80 }) else { return nil }
                // `path.split(separator: "/")`: empty segments dropped.
                var k = 0
                var i = 0
                while k < pathPrefix.count {
                    while i < t.count, t[i] == UInt8(ascii: "/") { i += 1 }
                    if i == t.count { return false }
                    var e = i
                    while e < t.count, t[e] != UInt8(ascii: "/") { e += 1 }
                    guard let same = Self.asciiEqual(pathPrefix[k], UnsafeBufferPointer(rebasing: t[i..<e]), foldCase: false)
                    else { return nil }
                    if !same { return false }
                    k += 1
                    i = e
                }
                return true
            }
        }
    }

    /// Byte equality of a pattern part and ASCII bytes (ASCII case folded when asked); nil when the
    /// pattern part is not ASCII.
    private static func asciiEqual(_ a: Substring, _ b: UnsafeBufferPointer<UInt8>, foldCase: Bool) -> Bool? {
        var i = 0
        for x in a.utf8 {
            guard x < 0x80 else { return nil }
            guard i < b.count else { return false }
            let y = b[i]
            if foldCase {
                if lower(x) != lower(y) { return false }
            } else if x != y {
                return false
            }
            i += 1
        }
        return i == b.count
    }

    @inline(__always) private static func lower(_ c: UInt8) -> UInt8 {
        c >= 0x41 && c <= 0x5A ? c | 0x20 : c
    }
}
