import ImagelintCore

/// Findings grouped by file, over every linted file plus any file that only findings name, sorted by
/// path (UTF-8 order, as findings are). Shared by the reporters that write one element per file.
struct FileGroup {
    var path: String
    /// The linted file, or nil when only findings name this path.
    var linted: LintedFile?
    /// The file's findings, in report order.
    var findings: [Finding]

    static func groups(_ report: LintReport) -> [FileGroup] {
        var index: [String: Int] = [:]
        var groups: [FileGroup] = []
        for file in report.files where index[file.path] == nil {
            index[file.path] = groups.count
            groups.append(FileGroup(path: file.path, linted: file, findings: []))
        }
        for finding in report.findings {
            if let i = index[finding.file] {
                groups[i].findings.append(finding)
            } else {
                index[finding.file] = groups.count
                groups.append(FileGroup(path: finding.file, linted: nil, findings: [finding]))
            }
        }
        // Stable sort keeps report order inside each group.
        return groups.enumerated().sorted { a, b in
            if a.element.path != b.element.path {
                return a.element.path.utf8.lexicographicallyPrecedes(b.element.path.utf8)
            }
            return a.offset < b.offset
        }.map(\.element)
    }
}
