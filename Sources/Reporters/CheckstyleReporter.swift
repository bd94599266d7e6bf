import ImagelintCore

/// Checkstyle XML: `<checkstyle version="4.3">` with one `<file name>` per linted file (empty when
/// clean) and one `<error line column severity message source="imagelint.RULE"/>` per finding.
/// `version` is the Checkstyle format version most consumers expect, not imagelint's. Positions below 1
/// are left out (the XSD wants positive integers). Escaping as in `XMLText` (C0 controls → U+24XX).
public struct CheckstyleReporter: Reporter {
    public static let formatVersion = "4.3"

    public init() {}

    public func render(_ report: LintReport) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<checkstyle version=\"" + Self.formatVersion + "\">\n"
        for group in FileGroup.groups(report) {
            let name = "name=\"" + XMLText.attribute(group.path) + "\""
            if group.findings.isEmpty {
                out += "  <file " + name + "/>\n"
                continue
            }
            out += "  <file " + name + ">\n"
            for f in group.findings {
                out += "    <error"
                if f.span.line > 0 { out += " line=\"" + String(f.span.line) + "\"" }
                if f.span.line > 0, f.span.column > 0 { out += " column=\"" + String(f.span.column) + "\"" }
                out += " severity=\"" + f.severity.rawValue + "\""
                out += " message=\"" + XMLText.attribute(f.message) + "\""
                out += " source=\"" + XMLText.attribute("imagelint." + f.rule) + "\"/>\n"
            }
            out += "  </file>\n"
        }
        out += "</checkstyle>\n"
        return out
    }
}
