import ImageReference
import ImagelintCore

/// `imagelint images --unique`: each distinct image once, the list a registry clean-up or retention job
/// must not delete. The key is the normalized reference as it is pulled: `docker.io/library/nginx:latest`
/// for `nginx` (the implied tag written out), with the digest when one is pinned
/// (`ghcr.io/o/a:1.0@sha256:…`). Text: one reference a line, in byte order. JSON: each reference with its
/// parts and every place it is used. References that could not be resolved or parsed are counted apart
/// (`unlisted`): a job that deletes what is not listed must know the list is incomplete.
public final class UniqueImageListingWriter {
    public let format: ImageListingWriter.Format

    private var byReference: [String: (ref: ImageReference, uses: [Occurrence])] = [:]
    private var unlisted: [Occurrence] = []

    public init(format: ImageListingWriter.Format) { self.format = format }

    /// Number of references that could not be listed (unresolved or invalid).
    public var unlistedCount: Int { unlisted.count }

    public func add(_ occurrences: [Occurrence]) {
        for o in occurrences {
            guard let ref = o.reference else {
                unlisted.append(o)
                continue
            }
            let key = Self.key(ref)
            if byReference[key] == nil {
                byReference[key] = (ref, [o])
            } else {
                byReference[key]!.uses.append(o)
            }
        }
    }

    /// `domain/path[:tag][@digest]`, with `:latest` when neither tag nor digest is written.
    public static func key(_ ref: ImageReference) -> String {
        ref.tag == nil && ref.digest == nil ? ref.name + ":latest" : ref.normalized
    }

    public func finish(diagnostics: [Diagnostic], into out: inout ReportBuffer, flush: (inout ReportBuffer) -> Void = { _ in }) {
        let keys = byReference.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        switch format {
        case .text:
            for k in keys {
                out += TerminalText.visible(k)
                out += "\n"
                if out.count >= 1 << 16 { flush(&out) }
            }
        case .json:
            out += "{\n  \"images\": ["
            for (i, k) in keys.enumerated() {
                let (ref, uses) = byReference[k]!
                out += i == 0 ? "\n    " : ",\n    "
                let entry: JSONValue = .object([
                    ("reference", .string(k)),
                    ("name", .string(ref.name)),
                    ("tag", .string(ref.tag ?? (ref.digest == nil ? "latest" : ""))),
                    ("digest", .optional(ref.digest)),
                    ("uses", .array(uses.map(Self.use))),
                ])
                out.append(entry, level: 2)
                if out.count >= 1 << 16 { flush(&out) }
            }
            out += keys.isEmpty ? "],\n" : "\n  ],\n"
            out += "  \"unlisted\": "
            out.append(.array(unlisted.map { o in Self.use(o, status: true) }), level: 1)
            out += ",\n  \"diagnostics\": "
            out.append(.array(diagnostics.map(\.json)), level: 1)
            out += "\n}\n"
        }
    }

    static func use(_ o: Occurrence) -> JSONValue { use(o, status: false) }

    static func use(_ o: Occurrence, status: Bool) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("file", .string(o.file)),
            ("line", .int(o.span.line)),
            ("column", .int(o.span.column)),
            ("image", .string(o.written)),
        ]
        if status {
            members.append(("status", .string(o.statusName)))
            members.append(("error", .optional(o.statusMessage)))
        }
        members.append(("source", .string(o.source.rawValue)))
        members.append(("context", o.origin.json))
        return .object(members)
    }
}
