import ImageReference

/// A registry pattern as kubelet matches credentials (`config.json` `auths` keys): `host`, `host:port`,
/// `*.host` (one glob per dot-separated label, same number of labels), optionally followed by a path prefix
/// (`host/team` matches `host/team/app` and `host/team`, not `host/teammate`). A scheme is ignored.
public struct RegistryPattern: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    public let hostLabels: [Substring]
    public let port: Substring?
    public let pathPrefix: [Substring]

    public init(_ text: String) {
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
}
