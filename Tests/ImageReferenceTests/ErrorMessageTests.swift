import Testing

@testable import ImageReference

/// Every `ReferenceError` case, with the exact message a user reads.
struct ErrorMessageTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var input: String
        var error: ReferenceError
        var message: String
        var testDescription: String { "`\(ReferenceError.visible(input))`" }
    }

    static let hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

    static let rows: [Row] = [
        Row(input: "", error: .empty, message: "reference is empty"),
        Row(input: " nginx", error: .whitespace(" nginx"), message: "reference has leading white space: ` nginx`"),
        Row(input: "nginx\n", error: .whitespace("nginx\n"), message: "reference has trailing white space: `nginx\\n`"),
        Row(input: "ngi\tnx", error: .whitespace("ngi\tnx"), message: "reference has white space inside: `ngi\\tnx`"),
        Row(
            input: "docker://nginx", error: .scheme("docker://"),
            message: "reference must not start with a URL scheme: `docker://`"),
        Row(
            input: "https://github.com/docker/docker", error: .scheme("https://"),
            message: "reference must not start with a URL scheme: `https://`"),
        // An uppercase first component is a registry (MyOrg), so the repository `App` is what is wrong;
        // the message names the repository as written.
        Row(
            input: "MyOrg/App:1", error: .uppercase(repository: "MyOrg/App"),
            message: "repository name must be lowercase: `MyOrg/App`"),
        Row(input: "Nginx:1.25", error: .uppercase(repository: "Nginx"), message: "repository name must be lowercase: `Nginx`"),
        Row(
            input: "docker.io/library/Foo@sha256:\(hex64)", error: .uppercase(repository: "docker.io/library/Foo"),
            message: "repository name must be lowercase: `docker.io/library/Foo`"),
        Row(
            input: String(repeating: "a", count: 248), error: .nameTooLong(length: 256),
            message: "repository name must not be longer than 255 characters, found 256"),
        Row(
            input: "localhost:/foo", error: .invalidDomain("localhost:"),
            message: "registry host `localhost:` is malformed: the port is empty"),
        Row(
            input: "localhost:abc/foo", error: .invalidDomain("localhost:abc"),
            message: "registry host `localhost:abc` is malformed: the port must be digits, found `abc`"),
        Row(
            input: "fc00::1:5000/debian", error: .invalidDomain("fc00::1:5000"),
            message: "registry host `fc00::1:5000` is malformed: an IPv6 address must be written in brackets, as in `[::1]:5000`"),
        Row(
            input: "[fe80::1%eth0]:5000/foo", error: .invalidDomain("[fe80::1%eth0]:5000"),
            message: "registry host `[fe80::1%eth0]:5000` is malformed: an IPv6 address may only hold hex digits and `:`, found `%`"),
        Row(
            input: "[::1/foo", error: .invalidDomain("[::1"),
            message: "registry host `[::1` is malformed: the IPv6 address has no closing `]`"),
        Row(
            input: "my_registry.io/app", error: .invalidDomain("my_registry.io"),
            message: "registry host `my_registry.io` is malformed: a host name may only hold letters, digits, `-` and `.`, found `_`"),
        Row(
            input: "-registry.io/app", error: .invalidDomain("-registry.io"),
            message: "registry host `-registry.io` is malformed: host name label `-registry` must start and end with a letter or digit"),
        Row(
            input: "registry..io/app", error: .invalidDomain("registry..io"),
            message: "registry host `registry..io` is malformed: the host name has an empty label"),
        Row(
            input: "foo//bar", error: .invalidPath(component: "", reason: "has an empty component (`//`, or `/` at the start or end)"),
            message: "repository path has an empty component (`//`, or `/` at the start or end)"),
        Row(
            input: "example.com/", error: .invalidPath(component: "", reason: "must not be empty"),
            message: "repository path must not be empty"),
        Row(
            input: "-docker", error: .invalidPath(component: "-docker", reason: "must start and end with a lowercase letter or digit"),
            message: "repository path component `-docker` must start and end with a lowercase letter or digit"),
        Row(
            input: "foo___bar",
            error: .invalidPath(component: "foo___bar", reason: "has the separator `___`; use one `.`, one or two `_`, or dashes"),
            message: "repository path component `foo___bar` has the separator `___`; use one `.`, one or two `_`, or dashes"),
        Row(
            input: "aa/asdf$$^/aa",
            error: .invalidPath(component: "asdf$$^", reason: "may only hold lowercase letters, digits, `.`, `_` and `-`, found `$`"),
            message: "repository path component `asdf$$^` may only hold lowercase letters, digits, `.`, `_` and `-`, found `$`"),
        Row(
            input: "café", error: .invalidPath(component: "café", reason: "may only hold lowercase letters, digits, `.`, `_` and `-`, found `é`"),
            message: "repository path component `café` may only hold lowercase letters, digits, `.`, `_` and `-`, found `é`"),
        Row(
            input: "nginx:", error: .invalidTag(tag: "", reason: "is empty (nothing follows `:`)"),
            message: "tag is empty (nothing follows `:`)"),
        Row(
            input: "nginx:-1", error: .invalidTag(tag: "-1", reason: "must start with a letter, digit or `_`"),
            message: "tag `-1` must start with a letter, digit or `_`"),
        Row(
            input: "nginx:1.0+build",
            error: .invalidTag(tag: "1.0+build", reason: "may only hold letters, digits, `_`, `.` and `-`, found `+`"),
            message: "tag `1.0+build` may only hold letters, digits, `_`, `.` and `-`, found `+`"),
        Row(
            input: "nginx:" + String(repeating: "a", count: 129),
            error: .invalidTag(tag: String(repeating: "a", count: 129), reason: "must not be longer than 128 characters, found 129"),
            message: "tag `\(String(repeating: "a", count: 129))` must not be longer than 128 characters, found 129"),
        Row(
            input: "nginx@\(hex64)", error: .invalidDigestFormat(hex64),
            message: "digest must be `algorithm:hex` (`sha256:` and 64 hex characters), found `\(hex64)`"),
        Row(
            input: "nginx@sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564",
            error: .invalidDigestFormat("sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564"),
            message:
                "digest must be `algorithm:hex` (`sha256:` and 64 hex characters), found `sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564`"
        ),
        Row(
            input: "alpine@sha256:abc", error: .digestLength(algorithm: "sha256", expected: 64, found: 3),
            message: "sha256 digest must have 64 hex characters, found 3"),
        Row(
            input: "alpine@sha512:\(hex64)", error: .digestLength(algorithm: "sha512", expected: 128, found: 64),
            message: "sha512 digest must have 128 hex characters, found 64"),
        Row(
            input: "nginx@sha256:\(hex64.uppercased())", error: .digestCharacters(algorithm: "sha256"),
            message: "sha256 digest must be lowercase hexadecimal (0-9, a-f)"),
        Row(
            input: "nginx@sha256:\(String(repeating: "g", count: 64))", error: .digestCharacters(algorithm: "sha256"),
            message: "sha256 digest must be lowercase hexadecimal (0-9, a-f)"),
        Row(
            input: "nginx@md5:0123456789abcdef0123456789abcdef", error: .unsupportedDigest(algorithm: "md5"),
            message: "digest algorithm `md5` is not supported (use sha256, sha384 or sha512)"),
        Row(
            input: hex64, error: .hexIdentifier,
            message: "a 64-character hexadecimal string is an image id, not a repository name"),
        Row(
            input: ":justtag", error: .invalidFormat("the repository name is missing before `:justtag`"),
            message: "invalid reference format: the repository name is missing before `:justtag`"),
        Row(
            input: "foo@sha256:\(hex64):tag",
            error: .invalidFormat("the tag must come before the digest, as in `name:tag@sha256:…`"),
            message: "invalid reference format: the tag must come before the digest, as in `name:tag@sha256:…`"),
        Row(
            input: "foo@sha256:\(hex64)@sha256:\(hex64)", error: .invalidFormat("only one `@digest` is allowed"),
            message: "invalid reference format: only one `@digest` is allowed"),
        Row(
            input: "${IMG}", error: .unresolved("variable `${IMG}`"),
            message: "reference is not resolved: variable `${IMG}`"),
    ]

    @Test(arguments: rows)
    func message(_ row: Row) {
        #expect(throws: row.error) { try ImageReference.parse(row.input) }
        #expect(row.error.description == row.message)
    }

    @Test func everyCaseIsCovered() {
        // Exhaustive on purpose: a new case does not compile until it is named here.
        func name(_ e: ReferenceError) -> String {
            switch e {
            case .empty: "empty"
            case .whitespace: "whitespace"
            case .scheme: "scheme"
            case .uppercase: "uppercase"
            case .nameTooLong: "nameTooLong"
            case .invalidDomain: "invalidDomain"
            case .invalidPath: "invalidPath"
            case .invalidTag: "invalidTag"
            case .invalidDigestFormat: "invalidDigestFormat"
            case .digestLength: "digestLength"
            case .digestCharacters: "digestCharacters"
            case .unsupportedDigest: "unsupportedDigest"
            case .hexIdentifier: "hexIdentifier"
            case .invalidFormat: "invalidFormat"
            case .unresolved: "unresolved"
            }
        }
        let covered = Set(Self.rows.map { name($0.error) })
        let all: Set<String> = [
            "empty", "whitespace", "scheme", "uppercase", "nameTooLong", "invalidDomain", "invalidPath", "invalidTag",
            "invalidDigestFormat", "digestLength", "digestCharacters", "unsupportedDigest", "hexIdentifier",
            "invalidFormat", "unresolved",
        ]
        #expect(covered == all)
    }

    @Test(arguments: [
        (ReferenceError.empty, "ErrNameEmpty"),
        (.uppercase(repository: "A"), "ErrNameContainsUppercase"),
        (.nameTooLong(length: 256), "ErrNameTooLong"),
        (.digestLength(algorithm: "sha256", expected: 64, found: 40), "digest.ErrDigestInvalidLength"),
        // Under 32 hex characters the reference grammar fails before go-digest measures the length.
        (.digestLength(algorithm: "sha256", expected: 64, found: 3), "ErrReferenceInvalidFormat"),
        (.unsupportedDigest(algorithm: "md5"), "digest.ErrDigestUnsupported"),
        (.digestCharacters(algorithm: "sha256"), "digest.ErrDigestInvalidFormat"),
        (.invalidTag(tag: "", reason: ""), "ErrReferenceInvalidFormat"),
    ])
    func upstreamName(_ error: ReferenceError, _ name: String) {
        #expect(error.upstreamName == name)
    }
}
