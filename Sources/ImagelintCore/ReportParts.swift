/// One file's part of a report: the file as linted and its findings, in report order. A streamed run
/// delivers these one at a time, sorted by path, so that no run has to hold every finding at once.
public struct FileReport: Sendable {
    /// The path every one of `findings` names.
    public var path: String
    /// The linted file, or nil when only findings name this path.
    public var linted: LintedFile?
    /// The file's findings, in report order.
    public var findings: [Finding]

    public init(path: String, linted: LintedFile?, findings: [Finding]) {
        self.path = path
        self.linted = linted
        self.findings = findings
    }
}

/// Everything in a report but its files: the tool and its rules, known before the first file, and the
/// summary and diagnostics, final only after the last.
public struct ReportFrame: Sendable {
    public var toolName: String
    public var toolVersion: String
    public var informationURI: String
    /// Every known rule, in rule-table order, with the effective severity of enabled ones.
    public var rules: [RuleDescription]
    public var summary: Summary
    /// Sorted by file, line, column and message.
    public var diagnostics: [Diagnostic]

    public init(
        toolName: String = "imagelint", toolVersion: String = ImagelintInfo.version,
        informationURI: String = ImagelintInfo.informationURI, rules: [RuleDescription], summary: Summary = Summary(),
        diagnostics: [Diagnostic] = []
    ) {
        self.toolName = toolName
        self.toolVersion = toolVersion
        self.informationURI = informationURI
        self.rules = rules
        self.summary = summary
        self.diagnostics = diagnostics
    }
}

extension Summary {
    /// Counts one more finding.
    public mutating func count(_ f: Finding) {
        if f.isSuppressed {
            suppressed += 1
            return
        }
        findings += 1
        switch f.severity {
        case .error: errors += 1
        case .warning: warnings += 1
        case .info: infos += 1
        }
    }

    /// The references (distinct image occurrences) among one file's findings that have an unsuppressed finding.
    public static func referencesWithFindings(_ findings: [Finding]) -> Int {
        struct Key: Hashable {
            var image: String?
            var origin: Origin?
        }
        var seen = Set<Key>()
        // The findings of one occurrence share one subject and sit together: hash each subject once.
        var last: FindingSubject? = nil
        for f in findings where !f.isSuppressed && f.image != nil {
            if let last, last === f.subject { continue }
            last = f.subject
            seen.insert(Key(image: f.image, origin: f.origin))
        }
        return seen.count
    }

    /// True when a finding at or above `threshold` was counted.
    public func hasFindings(atOrAbove threshold: Severity) -> Bool {
        switch threshold {
        case .error: errors > 0
        case .warning: errors + warnings > 0
        case .info: findings > 0
        }
    }
}

extension LintReport {
    /// A report of a whole run, from its frame and its files in order.
    public init(frame: ReportFrame, files: [FileReport]) {
        var findings: [Finding] = []
        findings.reserveCapacity(files.reduce(0) { $0 + $1.findings.count })
        for f in files { findings += f.findings }
        self.init(
            toolName: frame.toolName, toolVersion: frame.toolVersion, informationURI: frame.informationURI,
            findings: findings, files: files.compactMap(\.linted), rules: frame.rules, diagnostics: frame.diagnostics,
            summary: frame.summary)
    }

    public var frame: ReportFrame {
        ReportFrame(
            toolName: toolName, toolVersion: toolVersion, informationURI: informationURI, rules: rules, summary: summary,
            diagnostics: diagnostics)
    }

    /// The report a file at a time: every linted file plus any path only findings name, sorted by path
    /// (UTF-8 order, as findings are), each with its findings in report order.
    public var fileReports: [FileReport] {
        var index: [String: Int] = [:]
        var groups: [FileReport] = []
        for file in files where index[file.path] == nil {
            index[file.path] = groups.count
            groups.append(FileReport(path: file.path, linted: file, findings: []))
        }
        for finding in findings {
            if let i = index[finding.file] {
                groups[i].findings.append(finding)
            } else {
                index[finding.file] = groups.count
                groups.append(FileReport(path: finding.file, linted: nil, findings: [finding]))
            }
        }
        // Stable: equal paths keep their order.
        return groups.enumerated().sorted { a, b in
            if a.element.path != b.element.path {
                return a.element.path.utf8.lexicographicallyPrecedes(b.element.path.utf8)
            }
            return a.offset < b.offset
        }.map(\.element)
    }
}
