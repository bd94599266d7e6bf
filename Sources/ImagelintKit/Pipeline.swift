import BuiltinRules
import ImagelintCore
import ManifestParser
import Synchronization

/// The images of a set of files, for `imagelint images`.
public struct ImageListing: Sendable {
    public var occurrences: [Occurrence]
    public var diagnostics: [Diagnostic]
    /// Number of files read successfully.
    public var files: Int
}

/// paths → walker → front ends → engine → sorted findings.
public enum Pipeline {
    /// The stdin marker among paths.
    public static let stdinPath = "-"

    /// Lints every input and returns the whole report. Deterministic whatever `jobs` is. Holds every finding;
    /// a run that only writes reports should stream with `lint(_:rules:each:)`.
    public static func lint(_ options: LintOptions, rules: [any Rule.Type] = BuiltinRules.all) -> LintReport {
        var files: [FileReport] = []
        let frame = run(options, rules: rules) { files.append($0) }
        return LintReport(frame: frame, files: files)
    }

    /// Lints every input and hands each file's part of the report to `each` as soon as it and every file
    /// before it are done: on the calling thread, in path order (the order of `LintReport.fileReports`).
    /// Returns the frame, with the final summary and diagnostics. Deterministic whatever `jobs` is.
    ///
    /// Memory stays flat however large the run: findings are dropped once `each` returns, and only a
    /// window of finished files waits for a slower one before it. The context a file needs (its kustomize
    /// builds, the ServiceAccounts and Secrets around its pods) is read from disk, not waited for from other
    /// files.
    public static func lint(
        _ options: LintOptions, rules: [any Rule.Type] = BuiltinRules.all, each: (FileReport) -> Void
    ) -> ReportFrame {
        run(options, rules: rules, each: each)
    }

    /// The frame a run of `lint(_:rules:each:)` starts with: the tool and its rules (summary and diagnostics
    /// come with the run's result).
    public static func frame(_ options: LintOptions, rules: [any Rule.Type] = BuiltinRules.all) -> ReportFrame {
        let engine = Engine(rules: rules, configuration: options.configuration, noIgnore: options.noIgnore)
        return ReportFrame(rules: engine.enabledDescriptions)
    }

    /// One file's results, as a worker leaves them.
    struct PerFile: Sendable {
        var path: String
        var linted: LintedFile?
        var findings: [Finding]
        var diagnostics: [Diagnostic]
        var references: Int
        var read: Bool
    }

    /// A walked (or standard) input, or a path that could not be walked.
    enum Work: Sendable {
        case input(Input)
        case problem(InputProblem)

        var path: String {
            switch self {
            case .input(let i): i.file.path
            case .problem(let p): p.path
            }
        }
    }

    static func run(
        _ options: LintOptions, rules: [any Rule.Type], each: (FileReport) -> Void
    ) -> ReportFrame {
        let resolver = options.resolver ?? ConfigResolver(options: options, rules: rules)
        var rootOptionsCopy = options
        options.commandLine.apply(to: &rootOptionsCopy.configuration)
        let rootOptions = rootOptionsCopy
        let engine = Engine(rules: rules, configuration: rootOptions.configuration, noIgnore: options.noIgnore)
        let facts = LintFacts(configuration: rootOptions.configuration, registry: options.registryFacts)
        let (source, jobs, walker) = work(options)
        defer { walker?.join() }
        // The kustomize builds and the objects around pods, from disk (standard input alone has no project).
        // Loaded when the first YAML file needs it: a run of Dockerfiles (a pre-commit hook's usual call) walks
        // nothing for it, and the files before the first YAML one are linted meanwhile.
        let lazyContext = options.paths == [stdinPath] ? nil : LazyProjectContext(options, manifestOptions: manifestOptions(options))

        // Files with the same kinds get the same rule list: share one array instead of one per file.
        let ruleLists = RuleListCache(engine: engine)
        let discover = options.discoverConfiguration
        let process: @Sendable (Int, Work) -> PerFile = { _, item in
            switch item {
            case .problem(let p):
                let d = Diagnostic(file: p.path, line: 1, column: 1, message: p.message, severity: p.severity)
                let analysis = FileAnalysis(file: p.path, diagnostics: [d])
                return PerFile(
                    path: p.path,
                    linted: LintedFile(path: p.path, kinds: [], rules: ruleLists.rules(for: [], hasDiagnostics: true)),
                    findings: engine.check(analysis, text: nil, facts: facts).findings, diagnostics: [d],
                    references: 0, read: false)
            case .input(let input):
                // The file's own configuration (nearest files, overrides), unless one applies to all.
                let fileEngine = discover || !rootOptions.configuration.overrides.isEmpty
                    ? resolver.engine(forFile: input.file.path) : engine
                var fileOptions = rootOptions
                var fileFacts = facts
                if discover {
                    fileOptions.configuration = fileEngine.configuration
                    fileFacts.configuration = fileEngine.configuration
                }
                var (analysis, text) = analyze(input, options: fileOptions)
                var result: Engine.FileResult
                let context = input.file.kind == .yaml ? lazyContext?.value : nil
                if input.stdin == nil, let context,
                    let checked = context.check(
                        path: input.file.path, analysis: analysis, text: text, engine: fileEngine, facts: fileFacts)
                {
                    result = checked.result
                    analysis.diagnostics = checked.diagnostics
                } else {
                    result = fileEngine.check(analysis, text: text, facts: fileFacts)
                    finishDeferred(
                        &result, analysis: analysis, stdin: input.stdin != nil, context: context, engine: fileEngine,
                        facts: fileFacts)
                }
                result.findings.sort(by: Finding.reportOrder)
                var linted: LintedFile? = nil
                if !analysis.kinds.isEmpty || !analysis.diagnostics.isEmpty {
                    let hasDiagnostics = !analysis.diagnostics.isEmpty
                    linted = LintedFile(
                        path: analysis.file, kinds: analysis.kinds,
                        rules: discover
                            ? fileEngine.applicableRules(for: analysis.kinds, hasDiagnostics: hasDiagnostics)
                            : ruleLists.rules(for: analysis.kinds, hasDiagnostics: hasDiagnostics))
                }
                return PerFile(
                    path: input.file.path, linted: linted, findings: result.findings,
                    diagnostics: analysis.diagnostics, references: result.references, read: text != nil)
            }
        }

        var collector = ReportCollector()
        // Each file's deferred checks ran with the objects around it, read from disk: files stream in order.
        forEachInOrder(jobs: jobs, source: source, process) { collector.add($0, each) }
        collector.finish(each)
        return ReportFrame(rules: engine.enabledDescriptions, summary: collector.summary, diagnostics: collector.diagnostics)
    }

    /// Runs the checks that needed the objects around a pod: those of the file's directory and project (of
    /// the file itself, for standard input).
    static func finishDeferred(
        _ result: inout Engine.FileResult, analysis: FileAnalysis, stdin: Bool, context: ProjectContext?, engine: Engine,
        facts: LintFacts
    ) {
        guard !result.deferred.isEmpty else { return }
        var facts = facts
        if !stdin, let context {
            let key = context.canonical(analysis.file)
            facts.objects.nearby = context.objects(inDirectory: Kustomization.directory(of: key))
            if ProjectContext.needsElsewhere(result.deferred, nearby: facts.objects.nearby) {
                facts.objects.elsewhere = context.objects(inProjectOf: key)
            }
        } else {
            facts.objects.nearby.add(analysis)
        }
        result.findings += engine.finish(result.deferred, facts: facts)
        result.deferred = []
    }

    /// Turns per-file results, in path order, into `FileReport`s, merging consecutive results for the same
    /// path (a path given twice, or walked and also a problem), and counts the summary.
    struct ReportCollector {
        var pending: FileReport? = nil
        var summary = Summary()
        var diagnostics: [Diagnostic] = []
        var charts = HelmChartNotes()

        mutating func add(_ p: PerFile, _ each: (FileReport) -> Void) {
            var charts = self.charts
            charts.add(p) { collect($0, each) }
            self.charts = charts
        }

        mutating func collect(_ p: PerFile, _ each: (FileReport) -> Void) {
            if p.read { summary.files += 1 }
            summary.references += p.references
            for f in p.findings { summary.count(f) }
            summary.referencesWithFindings += Summary.referencesWithFindings(p.findings)
            diagnostics += p.diagnostics
            if pending?.path == p.path {
                pending!.linted = pending!.linted ?? p.linted
                pending!.findings += p.findings
                if !isSorted(pending!.findings, by: Finding.reportOrder) {
                    pending!.findings.sort(by: Finding.reportOrder)
                }
                return
            }
            flush(each)
            pending = FileReport(path: p.path, linted: p.linted, findings: p.findings)
        }

        mutating func flush(_ each: (FileReport) -> Void) {
            if let f = pending, f.linted != nil || !f.findings.isEmpty { each(f) }
            pending = nil
        }

        mutating func finish(_ each: (FileReport) -> Void) {
            var charts = self.charts
            charts.flush { collect($0, each) }
            self.charts = charts
            flush(each)
            diagnostics.sort(by: diagnosticOrder)
        }
    }

    /// Lints one in-memory file (the rule examples, editors, tests). `filename` picks the front end.
    public static func lint(
        contents: [UInt8], filename: String, options: LintOptions, rules: [any Rule.Type] = BuiltinRules.all
    ) -> LintReport {
        let engine = Engine(rules: rules, configuration: options.configuration, noIgnore: options.noIgnore)
        let kind = FileSystem.kind(ofFileName: FileSystem.baseName(filename)) ?? sniff(contents)
        var (analysis, text) = analyze(Input(file: InputFile(path: filename, kind: kind), stdin: contents), options: options)
        let facts = LintFacts(configuration: options.configuration, registry: options.registryFacts)
        var result: Engine.FileResult
        if kind == .yaml, ManifestFrontEnd.isKustomizationName(filename),
            let checked = ProjectContext.single(file: filename, bytes: contents, manifestOptions: manifestOptions(options))
                .check(path: filename, analysis: analysis, text: text, engine: engine, facts: facts)
        {
            result = checked.result
            analysis.diagnostics = checked.diagnostics
        } else {
            result = engine.check(analysis, text: text, facts: facts)
            finishDeferred(&result, analysis: analysis, stdin: true, context: nil, engine: engine, facts: facts)
        }
        var findings = result.findings
        findings.sort(by: Finding.reportOrder)
        var summary = Summary(files: 1, references: result.references)
        for f in findings { summary.count(f) }
        summary.referencesWithFindings = Summary.referencesWithFindings(findings)
        let file = LintedFile(
            path: filename, kinds: analysis.kinds,
            rules: engine.applicableRules(for: analysis.kinds, hasDiagnostics: !analysis.diagnostics.isEmpty))
        return LintReport(
            toolVersion: ImagelintInfo.version, findings: findings, files: [file], rules: engine.enabledDescriptions,
            diagnostics: analysis.diagnostics, summary: summary)
    }

    /// Lists every image occurrence, sorted by file, line, column.
    public static func images(_ options: LintOptions) -> ImageListing {
        var occurrences: [Occurrence] = []
        let (diagnostics, files) = images(options) { occurrences += $0 }
        return ImageListing(occurrences: occurrences, diagnostics: diagnostics, files: files)
    }

    /// Hands each file's image occurrences (sorted by line and column) to `each` on the calling thread, in
    /// path order, as files are done; returns the diagnostics (sorted) and the number of files read.
    public static func images(
        _ options: LintOptions, each: ([Occurrence]) -> Void
    ) -> (diagnostics: [Diagnostic], files: Int) {
        let (source, jobs, walker) = work(options)
        defer { walker?.join() }
        var diagnostics: [Diagnostic] = []
        var files = 0
        forEachInOrder(jobs: jobs, source: source, { _, item -> (occurrences: [Occurrence], diagnostics: [Diagnostic], read: Bool) in
            switch item {
            case .problem(let p):
                return ([], [Diagnostic(file: p.path, line: 1, message: p.message, severity: p.severity)], false)
            case .input(let input):
                let (analysis, text) = analyze(input, options: options)
                let sorted = analysis.occurrences.sorted { ($0.span.line, $0.span.column) < ($1.span.line, $1.span.column) }
                return (sorted, analysis.diagnostics, text != nil)
            }
        }) { result in
            if result.read { files += 1 }
            diagnostics += result.diagnostics
            if !result.occurrences.isEmpty { each(result.occurrences) }
        }
        diagnostics.sort(by: diagnosticOrder)
        return (diagnostics, files)
    }

    static func isSorted<T>(_ items: [T], by areInIncreasingOrder: (T, T) -> Bool) -> Bool {
        var i = 1
        while i < items.count {
            if areInIncreasingOrder(items[i], items[i - 1]) { return false }
            i += 1
        }
        return true
    }

    static func diagnosticOrder(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        if a.file != b.file { return a.file.utf8.lexicographicallyPrecedes(b.file.utf8) }
        return (a.line, a.column, a.message) < (b.line, b.column, b.message)
    }
}

/// `Engine.applicableRules` per (kinds, has diagnostics), computed once and shared by every file.
final class RuleListCache: @unchecked Sendable {
    private let engine: Engine
    private let cache = Mutex<[Key: [String]]>([:])

    struct Key: Hashable {
        var kinds: Set<FileKind>
        var hasDiagnostics: Bool
    }

    init(engine: Engine) { self.engine = engine }

    func rules(for kinds: Set<FileKind>, hasDiagnostics: Bool) -> [String] {
        let key = Key(kinds: kinds, hasDiagnostics: hasDiagnostics)
        if let hit = cache.withLock({ $0[key] }) { return hit }
        let rules = engine.applicableRules(for: kinds, hasDiagnostics: hasDiagnostics)
        cache.withLock { $0[key] = rules }
        return rules
    }
}
