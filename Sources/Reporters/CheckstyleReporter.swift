import ImagelintCore

/// Checkstyle XML: `<checkstyle version="4.3">` with one `<file name>` per linted file (empty when
/// clean) and one `<error line column severity message source="imagelint.RULE"/>` per finding.
/// `version` is the Checkstyle format version most consumers expect, not imagelint's. Positions below 1
/// are left out (the XSD wants positive integers). Escaping as in `XMLText` (C0 controls → U+24XX).
public struct CheckstyleReporter: Reporter {
    public static let formatVersion = "4.3"

    public init() {}

    public func writer(for frame: ReportFrame) -> any ReportWriter { Writer() }

    final class Writer: ReportWriter {
        func head(_ frame: ReportFrame, into out: inout ReportBuffer) {
            out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            out += "<checkstyle version=\"" + CheckstyleReporter.formatVersion + "\">\n"
        }

        func file(_ group: FileReport, into out: inout ReportBuffer) {
            let name = "name=\"" + XMLText.attribute(group.path) + "\""
            let findings = group.findings.filter { !$0.isSuppressed }
            if findings.isEmpty {
                out += "  <file " + name + "/>\n"
                return
            }
            out += "  <file " + name + ">\n"
            for f in findings {
                out += "    <error"
                if f.span.line > 0 { out += " line=\"" + String(f.span.line) + "\"" }
                if f.span.line > 0, f.span.column > 0 { out += " column=\"" + String(f.span.column) + "\"" }
                out += " severity=\"" + f.severity.rawValue + "\""
                out += " message=\"" + XMLText.attribute(f.message) + "\""
                out += " source=\"" + XMLText.attribute("imagelint." + f.rule) + "\"/>\n"
            }
            out += "  </file>\n"
        }

        func tail(_ frame: ReportFrame, into out: inout ReportBuffer) {
            out += "</checkstyle>\n"
        }
    }
}
