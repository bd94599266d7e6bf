import ByteText
import ImagelintCore

/// Options for reading Dockerfiles.
public struct DockerfileOptions: Sendable {
    /// `--build-arg NAME=VALUE` values; they override ARG defaults (only for ARGs the file declares).
    public var buildArgs: [String: String]
    public init(buildArgs: [String: String] = [:]) { self.buildArgs = buildArgs }
}

/// Turns a Dockerfile into image occurrences.
public enum DockerfileFrontEnd {
    /// The images a build of `text` pulls (`FROM`, `COPY/ADD --from`, `RUN --mount=from=`, `# syntax=`),
    /// plus diagnostics for input BuildKit would refuse. Never traps; linear in the size of the file.
    public static func analyze(path: String, text: SourceText, options: DockerfileOptions = .init()) -> FileAnalysis {
        var analysis = parse(path: path, text: text, options: options).analysis
        // A Dockerfile template (`{{ … }}`, `%%VAR%%`) is not a Dockerfile yet: what it cannot parse is a note to
        // render it first, not an error, as with Helm templates.
        if analysis.diagnostics.contains(where: { $0.severity == .error }), isTemplate(text.bytes) {
            for i in analysis.diagnostics.indices where analysis.diagnostics[i].severity == .error {
                analysis.diagnostics[i].severity = .info
                analysis.diagnostics[i].message = "Dockerfile template: " + analysis.diagnostics[i].message
                    + "; render the template first"
            }
        }
        return analysis
    }

    /// True when the bytes hold Go/Jinja template syntax (`{{`, `{%`) or `%%VAR%%` placeholders.
    static func isTemplate(_ b: [UInt8]) -> Bool {
        var i = 0
        while i + 1 < b.count {
            let (c, n) = (b[i], b[i + 1])
            if c == UInt8(ascii: "{"), n == UInt8(ascii: "{") || n == UInt8(ascii: "%") { return true }
            if c == UInt8(ascii: "%"), n == UInt8(ascii: "%") { return true }
            i += 1
        }
        return false
    }

    /// The full model: directives, instructions, stages, stage references, occurrences and diagnostics.
    public static func parse(path: String, text: SourceText, options: DockerfileOptions = .init()) -> DockerfileDocument {
        var parser = DockerfileReader(path: path, text: text, options: options)
        parser.run()
        return parser.finish()
    }

    /// The lexer alone, for the benchmark: the checks for NUL bytes and UTF-8, then every directive and
    /// instruction (keywords, flags, exec form, heredocs). Returns how many tokens it read and flags it found.
    package static func lexedTokenCount(_ text: SourceText) -> Int {
        guard ByteScan.firstIndex(of: 0, in: text.bytes) == nil else { return 0 }
        var count = UTF8Bytes.firstInvalid(text.bytes) == nil ? 0 : 1
        var lexer = DockerfileLexer(text: text)
        while let token = lexer.next() {
            count += 1
            if case .instruction(let i) = token { count += i.flags.count }
        }
        return count
    }

    /// True for names BuildKit-based tools treat as Dockerfiles: `Dockerfile`, `Containerfile`,
    /// `Dockerfile.<suffix>`, `Containerfile.<suffix>`, `<prefix>.Dockerfile` / `.dockerfile`.
    /// Matching ignores ASCII case (`dockerfile`, `DOCKERFILE.dev`); `*.dockerignore` never matches.
    /// `fileName` is the last path component (a path is accepted; only its last component is looked at).
    public static func isDockerfileName(_ fileName: String) -> Bool {
        var name = Substring(fileName)
        if let slash = name.lastIndex(where: { $0 == "/" || $0 == "\\" }) {
            name = name[name.index(after: slash)...]
        }
        let lower = name.lowercased()
        if lower.hasSuffix(".dockerignore") { return false }
        for base in ["dockerfile", "containerfile"] {
            if lower == base { return true }
            if lower.hasPrefix(base + "."), lower.count > base.count + 1 { return true }
            // `Dockerfile-debug`, `Dockerfile_prod` (a dot after it would be another file type: `_test.go`)
            for separator in ["-", "_"] where lower.hasPrefix(base + separator) {
                let rest = lower.dropFirst(base.count + 1)
                if !rest.isEmpty, !rest.contains(".") { return true }
            }
        }
        for suffix in [".dockerfile", ".containerfile"] where lower.hasSuffix(suffix) && lower.count > suffix.count {
            return true
        }
        return false
    }
}
