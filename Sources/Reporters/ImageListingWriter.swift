import ImageReference
import ImagelintCore

/// Writes an image listing as files come (`Pipeline.images(_:each:)`). JSON goes out a file at a time; text
/// aligns its columns over the whole listing, so it keeps one short line per image until `finish`.
public final class ImageListingWriter {
    public enum Format: Sendable { case text, json }

    public let format: Format
    private var images = 0
    /// Text: the bytes of each line's `file:line:col` and rest, one after the other (a `String` pair per
    /// image would cost several times more), with their lengths and the location's width in characters.
    private var text: [UInt8] = []
    private var rows: [(locationBytes: Int32, locationWidth: Int32, restBytes: Int32)] = []

    public init(format: Format) { self.format = format }

    public func add(_ occurrences: [Occurrence], into out: inout ReportBuffer) {
        for o in occurrences {
            switch format {
            case .json:
                out += images == 0 ? "{\n  \"images\": [\n    " : ",\n    "
                out.append(Self.json(o), level: 2)
            case .text:
                // File names and images as written may hold terminal controls: shown, not sent.
                let location = TerminalText.visible("\(o.file):\(o.span.line):\(o.span.column)")
                let rest = TerminalText.visible(Self.describe(o))
                text.append(contentsOf: location.utf8)
                text.append(contentsOf: rest.utf8)
                rows.append((Int32(location.utf8.count), Int32(location.count), Int32(rest.utf8.count)))
            }
            images += 1
        }
    }

    /// The rest of the listing; for JSON, `diagnostics` go in it (text prints them apart). `flush` is called
    /// whenever `out` holds 64 KiB or more, to write it out and empty it.
    public func finish(
        diagnostics: [Diagnostic], into out: inout ReportBuffer, flush: (inout ReportBuffer) -> Void = { _ in }
    ) {
        switch format {
        case .json:
            out += images == 0 ? "{\n  \"images\": []" : "\n  ]"
            out += ",\n  \"diagnostics\": "
            out.append(.array(diagnostics.map(\.json)), level: 1)
            out += "\n}\n"
        case .text:
            let width = min(Int(rows.map(\.locationWidth).max() ?? 0), 60)
            var at = 0
            for row in rows {
                let location = Int(row.locationBytes)
                let rest = Int(row.restBytes)
                out.append(bytes: text[at..<(at + location)])
                out += String(repeating: " ", count: max(2, width - Int(row.locationWidth) + 2))
                out.append(bytes: text[(at + location)..<(at + location + rest)])
                out += "\n"
                at += location + rest
                if out.count >= 1 << 16 { flush(&out) }
            }
            text = []
            rows = []
        }
    }

    /// `image  → normalized` (plus the resolved form when it differs), or why it is invalid or unresolved.
    static func describe(_ o: Occurrence) -> String {
        var out = o.written
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
        return out
    }

    static func json(_ o: Occurrence) -> JSONValue {
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
            ("context", o.origin.json),
        ])
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
    /// The diagnostic as JSON reports and image listings write it.
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
