import ImagelintCore

/// SARIF 2.1.0, one run, ready for GitHub code scanning.
///
/// - `tool.driver.rules` from `report.rules` (id, PascalCase name, summary, rationale, help with a
///   triggering example in text and markdown, `helpUri`, `defaultConfiguration.level` from the effective
///   severity); results point at them with `ruleId` and `ruleIndex`.
/// - Relative paths are URIs relative to `%SRCROOT%` (declared in `originalUriBaseIds` without a value:
///   the consumer, e.g. GitHub, supplies the checkout root); absolute paths become `file://` URIs.
/// - `region` uses 1-based lines and Unicode code point columns (`columnKind: unicodeCodePoints`),
///   `endColumn` exclusive.
/// - `partialFingerprints["imagelint/v1"]` from `Fingerprint` (no line numbers in it).
/// - `fixes` replace the finding's span with the fix's replacement.
/// - `properties.image` / `properties.resolved` carry the reference as written and resolved.
public struct SARIFReporter: Reporter {
    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
    public static let sourceRoot = "%SRCROOT%"

    public init() {}

    public func writer(for frame: ReportFrame) -> any ReportWriter { Writer(frame: frame) }

    /// The log up to `"results": ` and after the results array, from the same tree a one-piece render
    /// would serialize; results are written in between as files come, at their depth in that tree.
    final class Writer: ReportWriter {
        let ruleIndex: [String: Int]
        let before: String
        let after: String
        var results = 0

        init(frame: ReportFrame) {
            var ruleIndex: [String: Int] = [:]
            for (i, rule) in frame.rules.enumerated() where ruleIndex[rule.id] == nil { ruleIndex[rule.id] = i }
            self.ruleIndex = ruleIndex
            // One placeholder result marks where the results go (it is the last string of the document).
            let marker = "\u{0}imagelint-results\u{0}"
            var placeholder = ""
            JSONValue.writeString(marker, to: &placeholder)
            let log = Array(SARIFReporter.log(frame, results: [.string(marker)]).serialized(indent: 2).utf8)
            let needle = Array(placeholder.utf8)
            var at = log.count - needle.count
            while at >= 0, !log[at..<(at + needle.count)].elementsEqual(needle) { at -= 1 }
            // `[` + newline + indentation precede the placeholder; newline + indentation + `]` follow it.
            let open = log[..<at].lastIndex(of: UInt8(ascii: "["))!
            let close = log[(at + needle.count)...].firstIndex(of: UInt8(ascii: "]"))!
            before = String(decoding: log[..<open], as: UTF8.self)
            after = String(decoding: log[(close + 1)...], as: UTF8.self) + "\n"
        }

        func head(_ frame: ReportFrame, into out: inout ReportBuffer) {
            out += before
        }

        func file(_ file: FileReport, into out: inout ReportBuffer) {
            for (f, fingerprint) in zip(file.findings, Fingerprint.fingerprints(of: file.findings)) {
                out += results == 0 ? "[\n        " : ",\n        "
                results += 1
                out.append(SARIFReporter.result(f, ruleIndex: ruleIndex[f.rule], fingerprint: fingerprint), level: 4)
            }
        }

        func tail(_ frame: ReportFrame, into out: inout ReportBuffer) {
            out += results == 0 ? "[]" : "\n      ]"
            out += after
        }
    }

    /// The whole log as one tree, with these results.
    static func log(_ frame: ReportFrame, results: [JSONValue]) -> JSONValue {
        let driver: JSONValue = .object([
            ("name", .string(frame.toolName)),
            ("version", .string(frame.toolVersion)),
            ("semanticVersion", .string(frame.toolVersion)),
            ("informationUri", .string(frame.informationURI)),
            ("rules", .array(frame.rules.map(Self.rule))),
        ])
        let run: JSONValue = .object([
            ("tool", .object([("driver", driver)])),
            (
                "originalUriBaseIds",
                .object([
                    (
                        Self.sourceRoot,
                        .object([("description", .object([("text", .string("The root of the linted sources"))]))])
                    )
                ])
            ),
            ("columnKind", .string("unicodeCodePoints")),
            ("results", .array(results)),
        ])
        return .object([
            ("$schema", .string(Self.schemaURI)),
            ("version", .string("2.1.0")),
            ("runs", .array([run])),
        ])
    }

    static func level(_ s: Severity) -> String {
        switch s {
        case .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    /// `latest-tag` → `LatestTag`.
    static func pascalCase(_ id: String) -> String {
        id.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "." || $0 == " " })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined()
    }

    static func rule(_ r: RuleDescription) -> JSONValue {
        var text = r.rationale
        var markdown = r.rationale
        if let example = r.examples.first(where: \.triggers) {
            let content = String(example.content.filter { $0 != RuleExample.marker })
            let indented = content.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
            text += "\n\nExample that triggers the rule (" + example.filename + "):\n\n" + indented
            let fence = fence(for: content)
            let language = example.filename.hasSuffix(".yaml") || example.filename.hasSuffix(".yml") ? "yaml" : "dockerfile"
            markdown += "\n\nExample that triggers the rule (`" + example.filename + "`):\n\n" + fence + language + "\n"
            markdown += content + (content.hasSuffix("\n") ? "" : "\n") + fence
        }
        return .object([
            ("id", .string(r.id)),
            ("name", .string(pascalCase(r.id))),
            ("shortDescription", .object([("text", .string(r.summary))])),
            ("fullDescription", .object([("text", .string(r.rationale))])),
            ("help", .object([("text", .string(text)), ("markdown", .string(markdown))])),
            ("helpUri", .string(r.helpURI)),
            ("defaultConfiguration", .object([("level", .string(level(r.defaultSeverity)))])),
        ])
    }

    /// A backtick fence longer than any run of backticks in `content`.
    private static func fence(for content: String) -> String {
        var longest = 0
        var run = 0
        for c in content {
            run = c == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        return String(repeating: "`", count: max(3, longest + 1))
    }

    static func artifactLocation(_ path: String) -> JSONValue {
        let (uri, absolute) = Paths.uri(path)
        if absolute { return .object([("uri", .string(uri))]) }
        return .object([("uri", .string(uri)), ("uriBaseId", .string(sourceRoot))])
    }

    /// The region of a span, with impossible parts left out (SARIF wants positive lines and columns and
    /// an end not before the start); nil when the line is not positive.
    static func region(_ s: Span) -> JSONValue? {
        guard s.line >= 1 else { return nil }
        var m: [(String, JSONValue)] = [("startLine", .int(s.line))]
        let hasColumn = s.column >= 1
        if hasColumn { m.append(("startColumn", .int(s.column))) }
        if s.endLine >= s.line {
            m.append(("endLine", .int(s.endLine)))
            if hasColumn, s.endColumn >= 1, s.endLine > s.line || s.endColumn >= s.column {
                m.append(("endColumn", .int(s.endColumn)))
            }
        }
        return .object(m)
    }

    static func result(_ f: Finding, ruleIndex: Int?, fingerprint: String) -> JSONValue {
        var physical: [(String, JSONValue)] = [("artifactLocation", artifactLocation(f.file))]
        let region = region(f.span)
        if let region { physical.append(("region", region)) }
        var m: [(String, JSONValue)] = [("ruleId", .string(f.rule))]
        if let ruleIndex { m.append(("ruleIndex", .int(ruleIndex))) }
        m.append(("level", .string(level(f.severity))))
        m.append(("message", .object([("text", .string(f.message))])))
        m.append(("locations", .array([.object([("physicalLocation", .object(physical))])])))
        m.append(("partialFingerprints", .object([(Fingerprint.sarifKey, .string(fingerprint))])))
        if let fix = f.fix, let region {
            let replacement: JSONValue = .object([
                ("deletedRegion", region),
                ("insertedContent", .object([("text", .string(fix.replacement))])),
            ])
            m.append((
                "fixes",
                .array([
                    .object([
                        ("description", .object([("text", .string(fix.description))])),
                        (
                            "artifactChanges",
                            .array([
                                .object([
                                    ("artifactLocation", artifactLocation(f.file)),
                                    ("replacements", .array([replacement])),
                                ])
                            ])
                        ),
                    ])
                ])
            ))
        }
        if let s = f.suppression {
            var suppression: [(String, JSONValue)] = [("kind", .string("inSource"))]
            if let reason = s.justification { suppression.append(("justification", .string(reason))) }
            m.append(("suppressions", .array([.object(suppression)])))
        }
        var properties: [(String, JSONValue)] = []
        if let image = f.image { properties.append(("image", .string(image))) }
        if let resolved = f.resolved { properties.append(("resolved", .string(resolved))) }
        if !properties.isEmpty { m.append(("properties", .object(properties))) }
        return .object(m)
    }
}
