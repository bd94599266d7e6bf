import ArgumentParser
import ImageReference
import ImagelintCore

/// `imagelint ref REF…`: explains how Docker and Kubernetes read each image reference.
struct RefCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ref",
        abstract: "Parse image references and show how Docker and Kubernetes read them.",
        discussion: """
            For each reference: the normalized and familiar forms, registry, repository, tag, digest, the tag a \
            pull uses when none is written, and the imagePullPolicy Kubernetes sets when the field is unset. \
            An invalid reference gets the reason; text holding variables or templates (${VAR}, $VAR, $(VAR), \
            {{ … }}) is reported as unresolved.

            EXAMPLES
              imagelint ref nginx
              imagelint ref localhost:5000/app:1.4 'ghcr.io/org/app@sha256:<64 hex>'
              imagelint ref --format json 'MyOrg/App:1' '${IMAGE}'
              imagelint ref -- -starts-with-dash

            EXIT CODES
              0   every reference is valid
              1   at least one reference is invalid or unresolved
              64  usage error (for example, no reference given)
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable, Sendable {
        case text, json
    }

    @Option(name: .long, help: "Output format.")
    var format: Format = .text

    @Argument(help: ArgumentHelp("Image references, as written in a Dockerfile or manifest.", valueName: "ref"))
    var references: [String]

    func validate() throws {
        if references.isEmpty { throw ValidationError("Give at least one image reference.") }
    }

    func run() throws {
        let verdicts = references.map { (input: $0, status: ImageReference.classify($0)) }
        switch format {
        case .text: Console.out(Self.text(verdicts))
        case .json: Console.out(Self.json(verdicts).serialized(indent: 2))
        }
        if verdicts.contains(where: { $0.status.reference == nil }) { throw ExitCode(1) }
    }

    // MARK: - Rendering

    static let labelWidth = "default pull policy".count

    static func text(_ verdicts: [(input: String, status: ReferenceStatus)]) -> String {
        var out = ""
        for (n, verdict) in verdicts.enumerated() {
            if n > 0 { out += "\n" }
            out += visible(verdict.input) + "\n"
            func line(_ label: String, _ value: String?) {
                out += "  " + label + String(repeating: " ", count: labelWidth - label.count + 2)
                out += (value.map(visible) ?? "(none)") + "\n"
            }
            switch verdict.status {
            case .valid(let ref):
                line("status", "valid")
                line("normalized", ref.normalized)
                line("familiar", ref.familiar)
                line("registry", ref.domain)
                line("repository", ref.path)
                line("tag", ref.tag)
                line("digest", ref.digest)
                line("implied tag", ref.impliedTag)
                line("default pull policy", ref.defaultPullPolicy.rawValue)
            case .invalid(let error):
                line("status", "invalid")
                line("error", error.description)
            case .unresolved(let why):
                line("status", "unresolved")
                line("reason", why)
            }
        }
        return out
    }

    static func json(_ verdicts: [(input: String, status: ReferenceStatus)]) -> JSONValue {
        .array(
            verdicts.map { verdict in
                let ref = verdict.status.reference
                var error: String? = nil
                var unresolved = false
                switch verdict.status {
                case .valid: break
                case .invalid(let e): error = e.description
                case .unresolved(let why):
                    error = ReferenceError.unresolved(why).description
                    unresolved = true
                }
                return .object([
                    ("input", .string(verdict.input)),
                    ("valid", .bool(ref != nil)),
                    ("error", .optional(error)),
                    ("domain", .optional(ref?.domain)),
                    ("path", .optional(ref?.path)),
                    ("tag", .optional(ref?.tag)),
                    ("digest", .optional(ref?.digest)),
                    ("normalized", .optional(ref?.normalized)),
                    ("familiar", .optional(ref?.familiar)),
                    ("unresolved", .bool(unresolved)),
                    ("defaultPullPolicy", .optional(ref?.defaultPullPolicy.rawValue)),
                    ("impliedTag", .optional(ref?.impliedTag)),
                ])
            })
    }

    /// Control characters escaped, so one input stays on one line.
    static func visible(_ s: String) -> String { ReferenceError.visible(s) }
}
