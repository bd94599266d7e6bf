import ImageReference
import ImagelintCore

extension ImageListing {
    /// One line per occurrence: `file:line:col  image  → normalized` (plus the resolved form when it differs).
    public func text() -> String {
        var out = ""
        let locations = occurrences.map { "\($0.file):\($0.span.line):\($0.span.column)" }
        let width = min(locations.map(\.count).max() ?? 0, 60)
        for (o, loc) in zip(occurrences, locations) {
            out += loc
            out += String(repeating: " ", count: max(2, width - loc.count + 2))
            out += o.written
            switch o.status {
            case .valid(let ref):
                if let r = o.resolved, r != o.written { out += "  = \(r)" }
                out += "  → \(ref.normalized)"
            case .invalid(let e):
                if let r = o.resolved, r != o.written { out += "  = \(r)" }
                out += "  ✗ invalid: \(e)"
            case .unresolved(let why):
                out += "  ? unresolved: \(why)"
            }
            out += "\n"
        }
        return out
    }

    /// `{"images": [...], "diagnostics": [...]}`.
    public func json() -> String {
        let images: [JSONValue] = occurrences.map { o in
            .object([
                ("file", .string(o.file)),
                ("line", .int(o.span.line)),
                ("column", .int(o.span.column)),
                ("endLine", .int(o.span.endLine)),
                ("endColumn", .int(o.span.endColumn)),
                ("image", .string(o.written)),
                ("resolved", .optional(o.resolved)),
                ("normalized", .optional(o.reference?.normalized)),
                ("status", .string(o.statusName)),
                ("error", .optional(o.statusMessage)),
                ("source", .string(o.source.rawValue)),
                ("context", o.context.json),
            ])
        }
        return JSONValue.object([
            ("images", .array(images)),
            ("diagnostics", .array(diagnostics.map(\.json))),
        ]).serialized() + "\n"
    }
}

extension Occurrence {
    /// `valid`, `invalid` or `unresolved`.
    public var statusName: String {
        switch status {
        case .valid: "valid"
        case .invalid: "invalid"
        case .unresolved: "unresolved"
        }
    }

    /// Why the reference is invalid or unresolved; nil when valid.
    public var statusMessage: String? {
        switch status {
        case .valid: nil
        case .invalid(let e): e.description
        case .unresolved(let why): why
        }
    }
}

extension Diagnostic {
    public var json: JSONValue {
        .object([
            ("file", .string(file)),
            ("line", .int(line)),
            ("column", .int(column)),
            ("severity", .string(severity.rawValue)),
            ("message", .string(message)),
        ])
    }

    /// `file:line:column: severity: message`.
    public var text: String { "\(file):\(line):\(column): \(severity.rawValue): \(message)" }
}
