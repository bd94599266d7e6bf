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

    public func render(_ report: LintReport) -> String {
        var ruleIndex: [String: Int] = [:]
        for (i, rule) in report.rules.enumerated() where ruleIndex[rule.id] == nil { ruleIndex[rule.id] = i }
        let fingerprints = Fingerprint.fingerprints(of: report.findings)
        let results: [JSONValue] = zip(report.findings, fingerprints).map { finding, fingerprint in
            Self.result(finding, ruleIndex: ruleIndex[finding.rule], fingerprint: fingerprint)
        }
        let driver: JSONValue = .object([
            ("name", .string(report.toolName)),
            ("version", .string(report.toolVersion)),
            ("semanticVersion", .string(report.toolVersion)),
            ("informationUri", .string(report.informationURI)),
            ("rules", .array(report.rules.map(Self.rule))),
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
        let log: JSONValue = .object([
            ("$schema", .string(Self.schemaURI)),
            ("version", .string("2.1.0")),
            ("runs", .array([run])),
        ])
        return log.serialized(indent: 2) + "\n"
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
        var properties: [(String, JSONValue)] = []
        if let image = f.image { properties.append(("image", .string(image))) }
        if let resolved = f.resolved { properties.append(("resolved", .string(resolved))) }
        if !properties.isEmpty { m.append(("properties", .object(properties))) }
        return .object(m)
    }
}
