/// Why a string is not a valid image reference. Each case carries what a user needs to fix it.
public enum ReferenceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The empty string.
    case empty
    /// Leading or trailing white space, or white space inside.
    case whitespace(String)
    /// A URL scheme such as `docker://` or `https://` in front of the reference.
    case scheme(String)
    /// The repository path has uppercase letters.
    case uppercase(repository: String)
    /// The repository path is longer than 255 characters after normalization.
    case nameTooLong(length: Int)
    /// The registry host or port is malformed.
    case invalidDomain(String)
    /// A path component is empty or malformed.
    case invalidPath(component: String, reason: String)
    /// The tag violates `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
    case invalidTag(tag: String, reason: String)
    /// The digest is not `algorithm:hex`.
    case invalidDigestFormat(String)
    /// The digest's hex part has the wrong length for its algorithm.
    case digestLength(algorithm: String, expected: Int, found: Int)
    /// The digest's hex part has characters other than lowercase hex.
    case digestCharacters(algorithm: String)
    /// The digest algorithm is not one registries support (sha256, sha384, sha512).
    case unsupportedDigest(algorithm: String)
    /// A 64-character hex string: an image id, not a repository name.
    case hexIdentifier
    /// Any other malformation; the string says where.
    case invalidFormat(String)
    /// Variables or templates (`${VAR}`, `{{ … }}`) that make the text not yet a reference.
    case unresolved(String)

    public var description: String {
        switch self {
        case .empty:
            return "reference is empty"
        case .whitespace(let s):
            let place =
                s.first.map(\.isWhitespace) == true
                ? "leading white space" : s.last.map(\.isWhitespace) == true ? "trailing white space" : "white space inside"
            return "reference has \(place): `\(Self.visible(s))`"
        case .scheme(let s):
            return "reference must not start with a URL scheme: `\(s)`"
        case .uppercase(let repo):
            return "repository name must be lowercase: `\(Self.visible(repo))`"
        case .nameTooLong(let n):
            return "repository name must not be longer than 255 characters, found \(n)"
        case .invalidDomain(let d):
            let why = ReferenceParser.withBytes(d) { ReferenceParser.domainProblem($0, 0, $0.count) }
            return "registry host `\(Self.visible(d))` is malformed" + (why.map { ": " + $0 } ?? "")
        case .invalidPath(let c, let reason):
            return c.isEmpty ? "repository path \(reason)" : "repository path component `\(c)` \(reason)"
        case .invalidTag(let t, let reason):
            return t.isEmpty ? "tag \(reason)" : "tag `\(Self.visible(t))` \(reason)"
        case .invalidDigestFormat(let d):
            return "digest must be `algorithm:hex` (`sha256:` and 64 hex characters), found `\(Self.visible(d))`"
        case .digestLength(let a, let expected, let found):
            return "\(a) digest must have \(expected) hex characters, found \(found)"
        case .digestCharacters(let a):
            return "\(a) digest must be lowercase hexadecimal (0-9, a-f)"
        case .unsupportedDigest(let a):
            return "digest algorithm `\(a)` is not supported (use sha256, sha384 or sha512)"
        case .hexIdentifier:
            return "a 64-character hexadecimal string is an image id, not a repository name"
        case .invalidFormat(let s):
            return "invalid reference format: \(s)"
        case .unresolved(let s):
            return "reference is not resolved: \(s)"
        }
    }

    /// The name of the corresponding error in `distribution/reference` / `go-digest`, for conformance tests.
    public var upstreamName: String {
        switch self {
        case .empty: return "ErrNameEmpty"
        case .uppercase: return "ErrNameContainsUppercase"
        case .nameTooLong: return "ErrNameTooLong"
        case .invalidDigestFormat, .digestCharacters: return "digest.ErrDigestInvalidFormat"
        case .digestLength(_, _, let found):
            // Below 32 hex characters the reference grammar itself fails, before go-digest looks.
            return found < 32 ? "ErrReferenceInvalidFormat" : "digest.ErrDigestInvalidLength"
        case .unsupportedDigest: return "digest.ErrDigestUnsupported"
        case .invalidTag, .invalidDomain, .invalidPath, .whitespace, .scheme, .invalidFormat, .unresolved,
            .hexIdentifier:
            return "ErrReferenceInvalidFormat"
        }
    }

    /// `s` with control characters escaped, so a message stays on one line.
    public static func visible(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return s }
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    out += "\\u{" + String(u.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }
}
