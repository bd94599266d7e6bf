import ImageReference

/// Applies the enabled rules to a file's occurrences, then severities and suppressions.
/// Pure: no I/O; safe to call from many threads at once.
public struct Engine: Sendable {
    /// A rule that runs, with what the engine asks of it for every occurrence kept at hand (a class: the
    /// loop over rules for each occurrence then copies one reference, not a description full of strings).
    public final class EnabledRule: Sendable {
        public let description: RuleDescription
        public let severity: Severity
        let id: String
        let rule: any Rule
        let checksUnparsed: Bool
        let checksUnresolvedToo: Bool
        let needsServiceAccounts: Bool
        /// Bit `k` set when the rule applies to `FileKind.allCases[k]`.
        let kinds: UInt8

        init(
            description: RuleDescription, severity: Severity, rule: any Rule, checksUnparsed: Bool, checksUnresolvedToo: Bool,
            needsServiceAccounts: Bool
        ) {
            self.description = description
            self.severity = severity
            self.id = description.id
            self.rule = rule
            self.checksUnparsed = checksUnparsed
            self.checksUnresolvedToo = checksUnresolvedToo
            self.needsServiceAccounts = needsServiceAccounts
            kinds = description.appliesTo.reduce(0) { $0 | $1.bit }
        }

        @inline(__always)
        func applies(to kind: FileKind) -> Bool { kinds & kind.bit != 0 }
    }

    public let configuration: Configuration
    /// All known rules (enabled or not), in table order.
    public let allRules: [RuleDescription]
    public let enabled: [EnabledRule]
    /// When true, inline comments and annotations do not suppress anything (`--no-ignore`).
    public let noIgnore: Bool
    /// The engine for an occurrence whose image an `overrides:` entry selects (nil: this one).
    public var imageVariant: (@Sendable (Occurrence) -> Engine?)? = nil
    let knownIDs: Set<String>
    let parseErrorSeverity: Severity?
    let invalidSuppressionSeverity: Severity?
    let unusedSuppressionSeverity: Severity?
    /// Ids of the enabled rules: a suppression naming another rule is not reported as unused (an online rule
    /// in an offline run, a rule turned off here but on elsewhere).
    let enabledIDs: Set<String>
    /// `enabled` and `configuration` boxed once, for deferred checks.
    let applying: Applying

    public static let parseErrorID = "parse-error"
    public static let invalidSuppressionID = "invalid-suppression"
    public static let unusedSuppressionID = "unused-suppression"
    public static let ignoreAnnotation = "imagelint.io/ignore"
    /// Rules about suppressions themselves: never reported as unused.
    static let metaIDs: Set<String> = [invalidSuppressionID, unusedSuppressionID]

    public init(rules: [any Rule.Type], configuration: Configuration, noIgnore: Bool = false) {
        self.configuration = configuration
        self.noIgnore = noIgnore
        self.allRules = rules.map { $0.description }
        self.knownIDs = Set(allRules.map(\.id))
        var enabled: [EnabledRule] = []
        for type in rules {
            guard let severity = configuration.severity(of: type.description), type.isConfigured(configuration)
            else { continue }
            enabled.append(
                EnabledRule(
                    description: type.description, severity: severity, rule: type.init(),
                    checksUnparsed: type.checksUnparsed, checksUnresolvedToo: type.checksUnresolvedToo,
                    needsServiceAccounts: type.needsServiceAccounts))
        }
        self.enabled = enabled
        self.parseErrorSeverity = enabled.first { $0.description.id == Self.parseErrorID }?.severity
        self.invalidSuppressionSeverity = enabled.first { $0.description.id == Self.invalidSuppressionID }?.severity
        self.unusedSuppressionSeverity = enabled.first { $0.description.id == Self.unusedSuppressionID }?.severity
        self.enabledIDs = Set(enabled.map(\.id))
        self.applying = Applying(rules: enabled, configuration: configuration)
    }

    /// True when some enabled rule must see every file's ServiceAccounts before deciding.
    public var needsServiceAccounts: Bool { enabled.contains { $0.needsServiceAccounts } }

    /// The enabled rules as reporters list them, with effective severities.
    public var enabledDescriptions: [RuleDescription] {
        enabled.map {
            var d = $0.description
            d.defaultSeverity = $0.severity
            return d
        }
    }

    /// Ids of the enabled rules that apply to a file holding `kinds`.
    public func applicableRules(for kinds: Set<FileKind>, hasDiagnostics: Bool) -> [String] {
        enabled.compactMap { r in
            let id = r.description.id
            if id == Self.parseErrorID || id == Self.invalidSuppressionID || id == Self.unusedSuppressionID { return id }
            return r.description.appliesTo.isDisjoint(with: kinds) ? nil : id
        }
    }

    /// True when the occurrence is skipped by `ignore.images`.
    func isIgnoredImage(_ o: Occurrence) -> Bool {
        guard !configuration.ignoreImages.isEmpty else { return false }
        var candidates = [o.written]
        if let r = o.resolved { candidates.append(r) }
        if let ref = o.reference {
            candidates += [ref.familiar, ref.normalized, ref.familiarName, ref.name]
        }
        return configuration.ignoreImages.contains { g in candidates.contains { g.matches($0) } }
    }

    /// An occurrence waiting for every file's ServiceAccounts, with the rules suppressed for it.
    public struct DeferredCheck: Sendable {
        public var occurrence: Occurrence
        /// The rules and configuration that apply to it (its file's, or its image's override), shared by
        /// reference: one pointer per waiting occurrence.
        let applying: Applying
        var rules: [EnabledRule] { applying.rules }
        var configuration: Configuration { applying.configuration }
        /// The suppressions of the deferred rules that an inline comment or annotation hides here.
        public var suppressed: [String: Suppression]
        public var sourceLine: String?
        /// The file's suppression comments and text, for findings at another line of the file
        /// (`Violation.span`: a pull secret entry of the pod or of a ServiceAccount in the same file); kept
        /// for origins that have such places (`PullSecretEntries`).
        var suppressions: SuppressionIndex? = nil
        var text: SourceText? = nil
    }

    /// An engine's rules and configuration in one shared box (what a deferred check needs of its engine).
    public final class Applying: Sendable {
        let rules: [EnabledRule]
        let configuration: Configuration
        init(rules: [EnabledRule], configuration: Configuration) {
            self.rules = rules
            self.configuration = configuration
        }
    }

    /// The result of checking one file.
    public struct FileResult: Sendable {
        public var findings: [Finding] = []
        /// Occurrences kept for rules that need every file's ServiceAccounts (see `finish`).
        public var deferred: [DeferredCheck] = []
        public var references: Int = 0
    }

    /// Checks one file. `text` gives source lines and suppression comments; pass nil when unavailable.
    public func check(_ analysis: FileAnalysis, text: SourceText?, facts: LintFacts) -> FileResult {
        var result = FileResult()
        // Scanned even with --no-ignore, so typos in suppressions are still reported; applied only without it.
        let scanned = text.map { SuppressionIndex(scanning: $0) } ?? SuppressionIndex()
        var tracker = SuppressionTracker(comments: scanned, applied: !noIgnore)
        // Several findings usually share a line (one image, several rules): build each line's text once.
        var cachedLine = 0
        var cachedText: String? = nil
        func sourceLine(_ line: Int) -> String? {
            guard let text else { return nil }
            if line != cachedLine || cachedText == nil {
                cachedLine = line
                cachedText = text.text(ofLine: line)
            }
            return cachedText
        }

        var previousSpan: Span? = nil
        var spansRepeat = false
        var ranIDs = enabledIDs
        for o in analysis.occurrences {
            result.references += 1
            if o.span == previousSpan { spansRepeat = true }
            previousSpan = o.span
            tracker.addAnnotations(of: o)
            var e = self
            var facts = facts
            if let variant = imageVariant?(o) {
                e = variant
                facts.configuration = variant.configuration
                ranIDs.formUnion(variant.enabledIDs)
            }
            if e.isIgnoredImage(o) { continue }
            var deferredNeeded = false
            var shared: FindingSubject? = nil
            for r in e.enabled {
                if r.needsServiceAccounts {
                    deferredNeeded = true
                    continue
                }
                let applicable: Bool
                switch o.status {
                case .valid: applicable = !r.checksUnparsed
                case .invalid: applicable = r.checksUnparsed
                case .unresolved: applicable = r.checksUnparsed || r.checksUnresolvedToo
                }
                guard applicable, r.applies(to: o.source.fileKind) else { continue }
                for v in r.rule.check(o, facts: facts) {
                    let suppression = tracker.suppression(of: r.id, o, part: v.part)
                    let line = o.span(of: v.part).line
                    var finding: Finding
                    if line != o.span.line {
                        finding = makeFinding(r, v, o, subject(o, sourceLine(line)))
                    } else {
                        if shared == nil { shared = subject(o, sourceLine(o.span.line)) }
                        finding = makeFinding(r, v, o, shared!)
                    }
                    finding.suppression = suppression
                    result.findings.append(finding)
                }
            }
            if deferredNeeded, o.origin.facts(PullSecretFacts.self) != nil, o.reference != nil {
                var suppressed: [String: Suppression] = [:]
                for r in e.enabled where r.needsServiceAccounts {
                    if let s = tracker.suppression(of: r.id, o) { suppressed[r.id] = s }
                }
                var d = DeferredCheck(
                    occurrence: o, applying: e.applying, suppressed: suppressed, sourceLine: sourceLine(o.span.line))
                if o.origin.facts(PullSecretEntries.self) != nil {
                    d.suppressions = noIgnore ? SuppressionIndex() : scanned
                    d.text = text
                }
                result.deferred.append(d)
            }
        }

        // One scalar expanded several ways (a matrix, a job's variables, a merge key used by several compose
        // services) can give word-for-word the same finding: report it once.
        if spansRepeat {
            var seen = Set<FindingKey>()
            result.findings.removeAll { !seen.insert(FindingKey($0)).inserted }
        }

        if let severity = parseErrorSeverity {
            for d in analysis.diagnostics {
                let sev = d.severity == .error ? severity : min(d.severity, severity)
                var finding = Finding(
                    rule: Self.parseErrorID, severity: sev, message: d.message, file: d.file,
                    span: Span(line: d.line, column: d.column, length: 1),
                    sourceLine: sourceLine(d.line))
                finding.suppression = tracker.suppression(of: Self.parseErrorID, line: d.line)
                result.findings.append(finding)
            }
        }

        if let severity = invalidSuppressionSeverity {
            for d in tracker.allDirectives {
                for (id, column) in zip(d.rules, d.ruleColumns) where id != "all" && !knownIDs.contains(id) {
                    var message = d.source == .annotation
                        ? "the `\(Self.ignoreAnnotation)` annotation names the unknown rule `\(id)`"
                        : "suppression names the unknown rule `\(id)`"
                    if let guess = Self.closest(to: id, in: knownIDs) { message += "; did you mean `\(guess)`?" }
                    var finding = Finding(
                        rule: Self.invalidSuppressionID, severity: severity, message: message, file: analysis.file,
                        span: Span(line: d.line, column: column, length: id.unicodeScalars.count),
                        sourceLine: sourceLine(d.line))
                    finding.suppression = tracker.suppression(of: Self.invalidSuppressionID, line: d.line, aboveOnly: true)
                    result.findings.append(finding)
                }
            }
        }

        if let severity = unusedSuppressionSeverity, !noIgnore {
            for (d, used) in tracker.directivesWithUse {
                for (id, column) in zip(d.rules, d.ruleColumns) where !used.contains(id) {
                    guard id == "all" || ranIDs.contains(id), !Self.metaIDs.contains(id) else { continue }
                    // An `all` beside ids that were used has done its part too.
                    if id == "all", !used.isEmpty { continue }
                    let what = id == "all" ? "suppression of every rule" : "suppression of `\(id)`"
                    let via = d.source == .annotation ? "the `\(Self.ignoreAnnotation)` annotation's " : ""
                    var finding = Finding(
                        rule: Self.unusedSuppressionID, severity: severity,
                        message: "\(via)\(what) matched no finding; remove it", file: analysis.file,
                        span: Span(line: d.line, column: column, length: id.unicodeScalars.count),
                        sourceLine: sourceLine(d.line))
                    finding.suppression = tracker.suppression(of: Self.unusedSuppressionID, line: d.line, aboveOnly: true)
                    result.findings.append(finding)
                }
            }
        }
        return result
    }

    /// What makes two findings the same to a reader: rule, position and message.
    struct FindingKey: Hashable {
        let rule: String
        let span: Span
        let message: String
        init(_ f: Finding) { (rule, span, message) = (f.rule, f.span, f.message) }
    }

    /// Runs the rules that needed every file's ServiceAccounts over the deferred occurrences.
    public func finish(_ deferred: [DeferredCheck], facts: LintFacts) -> [Finding] {
        var findings: [Finding] = []
        for d in deferred {
            let o = d.occurrence
            var facts = facts
            facts.configuration = d.configuration
            for r in d.rules where r.needsServiceAccounts && r.applies(to: o.source.fileKind) {
                for v in r.rule.check(o, facts: facts) {
                    guard let span = v.span, span.line != o.span.line else {
                        var finding = makeFinding(r, v, o, subject(o, d.sourceLine))
                        finding.suppression = d.suppressed[r.id]
                        findings.append(finding)
                        continue
                    }
                    // A finding at another line (a pod's pull secret entry): comments there suppress it.
                    var finding = makeFinding(r, v, o, subject(o, d.text?.text(ofLine: span.line)))
                    if let s = d.suppressions,
                        let k = s.directive(suppressing: r.id, anchorLine: span.line, allowTrailing: true)
                    {
                        finding.suppression = Suppression(
                            justification: s.directives[k].reason, via: .comment, line: s.directives[k].line)
                    }
                    findings.append(finding)
                }
            }
        }
        // Several containers of one pod share its pull secret entries: one finding per entry and message.
        struct Key: Hashable {
            let file: String
            let finding: FindingKey
        }
        var seen = Set<Key>()
        findings.removeAll { !seen.insert(Key(file: $0.file, finding: FindingKey($0))).inserted }
        return findings
    }

    /// What every finding of `o` shares.
    func subject(_ o: Occurrence, _ line: String?) -> FindingSubject {
        FindingSubject(image: o.written, resolved: o.resolved, source: o.source, origin: o.origin, sourceLine: line)
    }

    func makeFinding(_ r: EnabledRule, _ v: Violation, _ o: Occurrence, _ subject: FindingSubject) -> Finding {
        Finding(
            rule: r.id, severity: v.severity.map { min($0, r.severity) } ?? r.severity,
            message: o.note.map { v.message + " (\($0))" } ?? v.message, file: v.span != nil ? o.file : o.file(of: v.part),
            span: v.span ?? o.span(of: v.part), fix: v.fix, subject: subject)
    }

    /// The closest known id by edit distance (at most 3 edits), for "did you mean".
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        var best: (String, Int)? = nil
        for c in candidates {
            let d = editDistance(word, c)
            if d <= 3, best == nil || d < best!.1 || (d == best!.1 && c < best!.0) { best = (c, d) }
        }
        return best?.0
    }

    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
