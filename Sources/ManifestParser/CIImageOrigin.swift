import FastYAML
import ImagelintCore

extension ImageSource {
    /// An image a CI pipeline runs: a job container, a service, a step.
    public static let ci = ImageSource("ci", fileKind: .ci)
}

/// An image of a CI pipeline (GitHub Actions, GitLab CI, Bitbucket Pipelines, CircleCI): where it is used,
/// by which job, in which role.
public struct CIImageOrigin: OccurrenceOrigin, Hashable, PullPolicyFact {
    /// `github-actions`, `gitlab-ci`, `bitbucket-pipelines`, `circleci`.
    public var system: String
    /// The job (or executor, or action) the image belongs to; nil for a pipeline-wide default.
    public var job: String?
    /// `container`, `service`, `step`, `image` (a job's or the default image), `executor`, `action`.
    public var role: String
    /// The service's name or alias, or the step's name.
    public var name: String?
    /// For a GitHub Actions matrix expansion: `NAME=VALUE`.
    public var matrix: String?
    /// A GitLab `pull_policy`, as written (`if-not-present`).
    public var pullPolicy: String?

    public init(system: String, job: String?, role: String) {
        self.system = system
        self.job = job
        self.role = role
    }

    /// GitLab's policies in Kubernetes' words (the first of a list is the one tried first).
    public var imagePullPolicy: String? {
        switch pullPolicy {
        case "always"?: "Always"
        case "if-not-present"?: "IfNotPresent"
        case "never"?: "Never"
        default: nil
        }
    }

    public var pullPolicyText: String { "pull_policy: \(pullPolicy ?? "")" }

    public func forEachContextMember(_ body: (String, ContextMember) -> Void) {
        body("system", .string(system))
        if let job { body("job", .string(job)) }
        body("role", .string(role))
        if let name { body("name", .string(name)) }
        if let matrix { body("matrix", .string(matrix)) }
        if let pullPolicy { body("pullPolicy", .string(pullPolicy)) }
    }

    public func forEachFingerprintField(_ body: (String) -> Void) {
        FingerprintFields().forEach(body)
        for field in [system, job ?? "", role, name ?? "", matrix ?? ""] { body(field) }
    }

    public var displayName: String {
        var s = job.map { "job `\($0)`" } ?? system
        s += " " + role
        if let name { s += " `\(name)`" }
        return s
    }
}

/// What the CI extractors share: locating a reference inside a scalar (after `docker://`), and variables.
struct CIImages {
    let path: String
    let locator: Locator

    /// The occurrence of the reference in `node`, skipping `prefix` (`docker://`); `resolved` and `reason`
    /// as the extractor worked them out.
    func occurrence(
        _ node: YAMLNode, written: String, prefix: Int = 0, resolved: String?, reason: String?, origin: CIImageOrigin
    ) -> Occurrence {
        var (span, anchorLine) = locator.locate(node)
        if prefix > 0, span.line == span.endLine, span.endColumn - span.column >= prefix {
            span.column += prefix
        }
        return Occurrence(
            file: path, span: span, anchorLine: anchorLine, written: written, resolved: resolved, source: .ci,
            origin: origin, unresolvedReason: reason)
    }

    /// `$VAR` and `${VAR}` replaced from `variables`; the reason when one is not there (a CI-provided
    /// variable, a secret).
    static func expand(_ text: String, variables: [String: String], what: String) -> (String?, String?) {
        guard text.contains("$") else { return (text, nil) }
        let b = Array(text.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            guard b[i] == UInt8(ascii: "$"), i + 1 < b.count else {
                out.append(b[i])
                i += 1
                continue
            }
            var name: String
            var next: Int
            if b[i + 1] == UInt8(ascii: "{"), let close = b[(i + 2)...].firstIndex(of: UInt8(ascii: "}")) {
                name = String(decoding: b[(i + 2)..<close], as: UTF8.self)
                next = close + 1
            } else if ComposeExtractor.isNameStart(b[i + 1]) {
                var j = i + 1
                while j < b.count, ComposeExtractor.isNameChar(b[j]) { j += 1 }
                name = String(decoding: b[(i + 1)..<j], as: UTF8.self)
                next = j
            } else if b[i + 1] == UInt8(ascii: "$") {
                out.append(UInt8(ascii: "$"))
                i += 2
                continue
            } else {
                out.append(b[i])
                i += 1
                continue
            }
            guard let value = variables[name] else {
                if what == "GitLab CI", name.hasPrefix("CI_") || name.hasPrefix("GITLAB_") {
                    return (nil, "GitLab sets `\(name)` when the pipeline runs")
                }
                return (nil, "\(what) variable `\(name)` is not set in the file")
            }
            out += Array(value.utf8)
            i = next
        }
        return (String(decoding: out, as: UTF8.self), nil)
    }
}
