import ByteText

/// A container image reference, `[registry[:port]/]path[:tag][@digest]`, parsed and normalized the way
/// Docker and Kubernetes do (`ParseNormalizedNamed` of `distribution/reference`).
///
/// `domain` and `path` are always the normalized ones: `nginx` has domain `docker.io` and path
/// `library/nginx`.
public struct ImageReference: Hashable, Sendable, CustomStringConvertible {
    /// The registry host with optional port, normalized (`docker.io` for Docker Hub).
    public let domain: String
    /// The repository path inside the registry (`library/nginx`).
    public let path: String
    /// The tag as written, or nil.
    public let tag: String?
    /// The digest as written (`sha256:…`), or nil.
    public let digest: String?

    public init(domain: String, path: String, tag: String?, digest: String?) {
        self.domain = domain
        self.path = path
        self.tag = tag
        self.digest = digest
    }

    public static let defaultDomain = "docker.io"
    static let legacyDefaultDomain = "index.docker.io"
    static let officialRepoPrefix = "library/"

    /// `domain/path`, the repository name in normalized form.
    public var name: String { domain + "/" + path }

    /// The fully qualified reference: `docker.io/library/nginx:1.25@sha256:…` (no implied tag).
    public var normalized: String {
        var s = name
        if let tag { s += ":" + tag }
        if let digest { s += "@" + digest }
        return s
    }

    /// The repository name as a user writes it (`nginx`, `foo/bar`, `ghcr.io/o/a`).
    ///
    /// Always parses back to the same reference: the one exception to dropping `library/` is a
    /// repository named by 64 lowercase hex characters, which alone would read as an image id
    /// (`library/<hex>` is kept; upstream `FamiliarName` would give the bare hex, which it then refuses).
    /// Likewise a Hub path whose first component reads as a registry (`docker.io/foo.bar/x`,
    /// `docker.io/localhost/x`) keeps `docker.io/`, where upstream would give `foo.bar/x`, another image.
    public var familiarName: String {
        if domain == Self.defaultDomain {
            if path.hasPrefix(Self.officialRepoPrefix) {
                let rest = path.utf8.dropFirst(Self.officialRepoPrefix.utf8.count)
                if !rest.contains(UInt8(ascii: "/")) && !Self.isImageID(rest) { return String(Substring(rest)) }
            }
            if let slash = path.utf8.firstIndex(of: UInt8(ascii: "/")) {
                let first = path.utf8[..<slash]
                if first.contains(UInt8(ascii: ".")) || first.elementsEqual("localhost".utf8) { return name }
            }
            return path
        }
        return name
    }

    /// 64 lowercase hex characters: what `ParseNormalizedNamed` refuses as a name.
    static func isImageID(_ s: Substring.UTF8View) -> Bool {
        s.count == 64 && s.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    /// The reference as a user writes it: `nginx:1.25`, `ghcr.io/o/a@sha256:…`.
    public var familiar: String {
        var s = familiarName
        if let tag { s += ":" + tag }
        if let digest { s += "@" + digest }
        return s
    }

    public var description: String { normalized }

    /// The tag a pull would use when none is written: `latest` when there is neither tag nor digest.
    public var impliedTag: String? {
        if let tag { return tag }
        return digest == nil ? "latest" : nil
    }

    /// True when the reference is on Docker Hub.
    public var isDockerHub: Bool { domain == Self.defaultDomain }

    /// The `imagePullPolicy` Kubernetes applies at creation when the field is unset: `Always` for the tag
    /// `latest` or for no tag and no digest, `IfNotPresent` otherwise.
    public var defaultPullPolicy: PullPolicy {
        if digest != nil && tag == nil { return .ifNotPresent }
        if let tag { return tag == "latest" ? .always : .ifNotPresent }
        return .always
    }

    /// Parses and normalizes `text` as Docker does (`ParseNormalizedNamed`). Templated text is
    /// reported as `ReferenceError.unresolved`.
    public static func parse(_ text: String) throws(ReferenceError) -> ImageReference {
        try ReferenceParser.parseNormalized(text)
    }

    /// Classifies text found in an image position: a valid reference, an invalid one, or one that still
    /// holds variables or templates.
    public static func classify(_ text: String) -> ReferenceStatus {
        do {
            return .valid(try ReferenceParser.parseNormalized(text))
        } catch {
            if case .unresolved(let why) = error { return .unresolved(why) }
            return .invalid(error)
        }
    }
}

/// Kubernetes' `imagePullPolicy` values.
public enum PullPolicy: String, Sendable, Hashable, CaseIterable {
    case always = "Always"
    case ifNotPresent = "IfNotPresent"
    case never = "Never"
}

/// What an image position holds.
public enum ReferenceStatus: Sendable, Hashable {
    case valid(ImageReference)
    case invalid(ReferenceError)
    /// Text with variables or templates that cannot be resolved; the string says which.
    case unresolved(String)

    public var reference: ImageReference? {
        if case .valid(let r) = self { return r }
        return nil
    }
}

extension ImageReference {
    /// The longest tag the grammar allows.
    public static let tagLengthMax = ReferenceParser.tagLengthMax

    /// True for the bytes a tag may hold after its first: `[A-Za-z0-9_.-]`.
    public static func isTagByte(_ c: UInt8) -> Bool { ASCII.isWord(c) || c == 0x2E || c == 0x2D }

    /// Why `tag` breaks the tag grammar `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`, or nil when it is a valid tag.
    public static func tagProblem(_ tag: String) -> String? {
        let problem = ReferenceParser.withBytes(tag) { b in ReferenceParser.tagProblem(b, 0, b.count) }
        guard case .invalidTag(_, let reason)? = problem else { return nil }
        return reason
    }
}
