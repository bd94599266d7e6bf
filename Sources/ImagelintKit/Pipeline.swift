import BuiltinRules
import Dispatch
import DockerfileParser
import ImagelintCore
import ManifestParser
import Synchronization

/// What to lint and how.
public struct LintOptions: Sendable {
    /// Files and directories; empty means the current directory.
    public var paths: [String] = []
    /// Read standard input as one file (the path `-`), named `stdinFilename` when given.
    public var stdinFilename: String? = nil
    public var configuration = Configuration()
    public var noIgnore = false
    /// Worker threads; default: the number of cores.
    public var jobs: Int = FileSystem.processorCount
    /// Files larger than this are skipped with a diagnostic.
    public var maxFileSize: Int = 16 * 1024 * 1024
    /// The variables compose files interpolate from, read from `--env-file` files; nil: each compose
    /// file's own `.env` (the one beside it), as `docker compose` reads it.
    public var composeEnvironment: ComposeEnvironment? = nil
    /// The registries' answers for the online rules (`lint --online`), computed before linting.
    public var registryFacts: RegistryFacts? = nil
    /// Image references checked per file; past it the rest are dropped with a diagnostic (a file of a
    /// few kilobytes can name an image hundreds of thousands of times through YAML aliases).
    public var maxOccurrencesPerFile: Int = 20_000
    /// Follow symbolic links whose target lies outside the walked paths (off: they are noted and skipped).
    public var followExternalLinks = false

    public init() {}

    /// Reads `--env-file` files into `composeEnvironment` (later files override earlier ones).
    public mutating func readEnvFiles(_ paths: [String]) throws(InputProblem) {
        guard !paths.isEmpty else { return }
        var environment = ComposeEnvironment()
        for path in paths {
            switch FileSystem.read(path, limit: maxFileSize) {
            case .success(let bytes): environment.add(dotEnv: bytes, file: path)
            case .failure(let problem): throw problem
            }
        }
        composeEnvironment = environment
    }

    /// What compose files interpolate from: the `--env-file` variables, else the `.env` beside the file.
    var composeEnvironmentLookup: @Sendable (String) -> ComposeEnvironment {
        if let fixed = composeEnvironment { return { _ in fixed } }
        let limit = maxFileSize
        return { composeFile in
            let dir = composeFile.lastIndex(of: "/").map { String(composeFile[...$0]) } ?? ""
            var environment = ComposeEnvironment()
            if case .success(let bytes) = FileSystem.read(dir + ".env", limit: limit) {
                environment.add(dotEnv: bytes, file: dir + ".env")
            }
            return environment
        }
    }
}

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

    /// Lints every input and returns the whole report. Deterministic whatever `jobs` is. Holds every finding
    /// (shared strings interned); a run that only writes reports should stream with `lint(_:rules:each:)`.
    public static func lint(_ options: LintOptions, rules: [any Rule.Type] = BuiltinRules.all) -> LintReport {
        var files: [FileReport] = []
        let frame = run(options, rules: rules, intern: true) { files.append($0) }
        return LintReport(frame: frame, files: files)
    }

    /// Lints every input and hands each file's part of the report to `each` as soon as it and every file
    /// before it are done: on the calling thread, in path order (the order of `LintReport.fileReports`).
    /// Returns the frame, with the final summary and diagnostics. Deterministic whatever `jobs` is.
    ///
    /// Memory stays flat however large the run: findings are dropped once `each` returns, and only a
    /// window of finished files waits for a slower one before it. The exception is a rule that needs every
    /// file's ServiceAccounts (`missing-pull-secret`, when configured): then every file waits for the last.
    public static func lint(
        _ options: LintOptions, rules: [any Rule.Type] = BuiltinRules.all, each: (FileReport) -> Void
    ) -> ReportFrame {
        run(options, rules: rules, intern: false, each: each)
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
        _ options: LintOptions, rules: [any Rule.Type], intern: Bool, each: (FileReport) -> Void
    ) -> ReportFrame {
        let engine = Engine(rules: rules, configuration: options.configuration, noIgnore: options.noIgnore)
        let facts = LintFacts(configuration: options.configuration, registry: options.registryFacts)
        let (source, jobs, walker) = work(options)
        defer { walker?.join() }
        // The kustomize builds and the objects around pods, from disk (standard input alone has no project).
        let context = options.paths == [stdinPath] ? nil : ProjectContext.load(options, manifestOptions: manifestOptions(options))

        // Files with the same kinds get the same rule list: share one array instead of one per file.
        let ruleLists = RuleListCache(engine: engine)
        let interners = intern ? FindingInterners(count: max(1, options.jobs)) : nil
        let process: @Sendable (Int, Work) -> PerFile = { worker, item in
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
                var (analysis, text) = analyze(input, options: options)
                var result: Engine.FileResult
                if input.stdin == nil, let context,
                    let checked = context.check(path: input.file.path, analysis: analysis, text: text, engine: engine, facts: facts)
                {
                    result = checked.result
                    analysis.diagnostics = checked.diagnostics
                } else {
                    result = engine.check(analysis, text: text, facts: facts)
                    finishDeferred(&result, analysis: analysis, stdin: input.stdin != nil, context: context, engine: engine, facts: facts)
                }
                result.findings.sort(by: Finding.reportOrder)
                interners?.intern(&result.findings, worker: worker)
                var linted: LintedFile? = nil
                if !analysis.kinds.isEmpty || !analysis.diagnostics.isEmpty {
                    linted = LintedFile(
                        path: analysis.file, kinds: analysis.kinds,
                        rules: ruleLists.rules(for: analysis.kinds, hasDiagnostics: !analysis.diagnostics.isEmpty))
                }
                return PerFile(
                    path: input.file.path, linted: linted, findings: result.findings,
                    diagnostics: analysis.diagnostics, references: result.references, read: text != nil)
            }
        }

        var collector = ReportCollector()
        forEachInOrder(jobs: jobs, source: source, process) { collector.add($0, each) }
        collector.finish(each)
        return ReportFrame(rules: engine.enabledDescriptions, summary: collector.summary, diagnostics: collector.diagnostics)
    }

    /// The work of a run, in path order (the report's); problems (unreadable paths, special files, loops)
    /// take their place in it. Paths whose walks come in that order are walked on a thread of their own
    /// (`walker`, to be joined) while the first files are linted; others are walked whole, then sorted.
    /// `jobs`: the threads worth starting.
    static func work(_ options: LintOptions) -> (source: @Sendable (Int) -> Work?, jobs: Int, walker: WorkerThreads?) {
        if let roots = orderedRoots(options) {
            let queue = WorkQueue<Work>()
            let exclude = options.configuration.exclude
            let follow = options.followExternalLinks
            let walker = WorkerThreads(count: 1) { _ in
                for root in roots {
                    FileSystem.walk(root: root, exclude: exclude, followExternalLinks: follow) { entry in
                        switch entry {
                        case .file(let f): queue.append(.input(Input(file: f, stdin: nil)))
                        case .problem(let p): queue.append(.problem(p))
                        }
                    }
                }
                queue.finish()
            }
            if walker.startedCount == 0 {
                // No thread could be created (`ulimit -u`, a full pids cgroup): walk here, whole, rather than
                // wait for a walk that never runs.
                walker.join()
                return ({ queue.item($0) }, options.jobs, nil)
            }
            return ({ queue.item($0) }, options.jobs, walker)
        }
        let inputs = collectInputs(options)
        let work = (inputs.files.map { Work.input($0) } + inputs.problems.map { Work.problem($0) })
            .enumerated().sorted { a, b in
                let (pa, pb) = (a.element.path, b.element.path)
                if pa != pb { return pa.utf8.lexicographicallyPrecedes(pb.utf8) }
                return a.offset < b.offset
            }.map(\.element)
        return ({ $0 < work.count ? work[$0] : nil }, min(options.jobs, max(1, work.count)), nil)
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
            facts.objects.elsewhere = context.objects(inProjectOf: key)
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
        var summary = Summary(files: 1, references: result.references, findings: findings.count)
        summary.errors = findings.filter { $0.severity == .error }.count
        summary.warnings = findings.filter { $0.severity == .warning }.count
        summary.infos = findings.filter { $0.severity == .info }.count
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

    /// An input: a walked file, or standard input with its bytes already read.
    struct Input: Sendable {
        var file: InputFile
        var stdin: [UInt8]?
    }

    /// The paths to walk on a thread of their own, in the order to walk them, when their walks joined come
    /// in path order: every entry under one path sorts before every entry under the next. True when no path
    /// lies inside another (then each one's entries share a prefix no other has) and `.` is not among several
    /// (its entries have no prefix). Nil otherwise, when standard input is read, or when no path is a
    /// directory (files named one by one, as a pre-commit hook does, need no walk): the inputs are then walked
    /// whole and sorted.
    static func orderedRoots(_ options: LintOptions) -> [String]? {
        let given = options.paths.isEmpty ? ["."] : options.paths
        guard !given.contains(stdinPath) else { return nil }
        var roots: [(path: String, key: String)] = []
        for raw in given {
            let path = FileSystem.normalizedRoot(raw)
            if path == ".", given.count > 1 { return nil }
            // A directory's entries all start with `path/`; a file or a missing path is itself.
            roots.append((path, FileSystem.isDirectory(path) ? (path == "/" ? "/" : path + "/") : path))
        }
        guard roots.contains(where: { $0.key.hasSuffix("/") }) else { return nil }
        roots.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        for (a, b) in zip(roots, roots.dropFirst()) where b.path == a.path || b.key.hasPrefix(a.key) && a.key.hasSuffix("/") {
            return nil
        }
        return roots.map(\.path)
    }

    static func collectInputs(_ options: LintOptions) -> (files: [Input], problems: [InputProblem]) {
        var paths = options.paths
        var inputs: [Input] = []
        var problems: [InputProblem] = []
        if paths.contains(stdinPath) {
            paths.removeAll { $0 == stdinPath }
            switch FileSystem.readStandardInput(limit: options.maxFileSize) {
            case .success(let bytes):
                let name = options.stdinFilename ?? stdinPath
                let kind = FileSystem.kind(ofFileName: FileSystem.baseName(name)) ?? sniff(bytes)
                inputs.append(Input(file: InputFile(path: name, kind: kind), stdin: bytes))
            case .failure(let p):
                problems.append(p)
            }
            if paths.isEmpty {
                return (inputs, problems)
            }
        }
        if paths.isEmpty { paths = ["."] }
        let walked = FileSystem.walk(
            paths, exclude: options.configuration.exclude, followExternalLinks: options.followExternalLinks)
        inputs += walked.files.map { Input(file: $0, stdin: nil) }
        problems += walked.problems
        return (inputs, problems)
    }

    /// Standard input without a name: YAML if it looks like a mapping document, else a Dockerfile.
    static func sniff(_ bytes: [UInt8]) -> InputKind {
        let text = SourceText(bytes)
        for line in 1...min(text.lineCount, 200) {
            let s = text.text(ofLine: line).trimmingBlanks
            if s.isEmpty || s.hasPrefix("#") { continue }
            if s == "---" || s.hasPrefix("apiVersion:") || s.hasPrefix("kind:") || s.hasPrefix("services:")
                || s.hasPrefix("images:") || s.hasPrefix("resources:") || s.hasPrefix("version:")
            {
                return .yaml
            }
            return .dockerfile
        }
        return .dockerfile
    }

    /// Reads and parses one input.
    static func analyze(_ input: Input, options: LintOptions) -> (FileAnalysis, SourceText?) {
        let path = input.file.path
        let bytes: [UInt8]
        if let b = input.stdin {
            bytes = b
        } else {
            switch FileSystem.read(input.file, limit: options.maxFileSize) {
            case .success(let b): bytes = b
            case .failure(let p):
                return (FileAnalysis(file: path, diagnostics: [Diagnostic(file: path, line: 1, message: p.message)]), nil)
            }
        }
        let text = SourceText(bytes)
        var analysis: FileAnalysis
        switch input.file.kind {
        case .dockerfile:
            analysis = DockerfileFrontEnd.analyze(
                path: path, text: text, options: DockerfileOptions(buildArgs: options.configuration.buildArgs))
        case .yaml:
            analysis = ManifestFrontEnd.analyze(path: path, text: text, options: manifestOptions(options))
        }
        limitOccurrences(&analysis, to: options.maxOccurrencesPerFile)
        return (analysis, text)
    }

    /// How the YAML front end reads context files (a chart's `Chart.yaml`, a compose `.env`).
    static func manifestOptions(_ options: LintOptions) -> ManifestOptions {
        let limit = options.maxFileSize
        return ManifestOptions(
            composeEnvironment: options.composeEnvironmentLookup,
            readFile: { path in
                if case .success(let bytes) = FileSystem.read(path, limit: limit) { return bytes }
                return nil
            }, disabledInputs: options.configuration.disabledInputs)
    }

    /// Keeps the first `limit` occurrences of a file (in file order) and says how many were dropped.
    static func limitOccurrences(_ analysis: inout FileAnalysis, to limit: Int) {
        guard analysis.occurrences.count > limit else { return }
        let dropped = analysis.occurrences.count - limit
        analysis.occurrences.sort { $0.span < $1.span }
        let first = analysis.occurrences[limit].span
        analysis.occurrences.removeSubrange(limit...)
        analysis.diagnostics.append(
            Diagnostic(
                file: analysis.file, line: first.line, column: first.column,
                message: "more than \(limit) image references in this file; the other \(dropped) are not checked"))
        analysis.diagnostics.sort { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    /// Runs `body` over `items` on `jobs` threads and hands the results to `consume` on the calling thread,
    /// in input order, each as soon as it and those before it are done.
    static func forEachInOrder<T: Sendable, R: Sendable>(
        _ items: [T], jobs: Int, window: Int? = nil, _ body: @escaping @Sendable (_ worker: Int, T) -> R,
        _ consume: (R) -> Void
    ) {
        forEachInOrder(
            jobs: min(jobs, max(1, items.count)), window: window, source: { $0 < items.count ? items[$0] : nil }, body,
            consume)
    }

    /// Runs `body` over the items `source` gives (item `i`, waiting for it if need be; nil past the last) on
    /// `jobs` threads and hands the results to `consume` on the calling thread, in order, each as soon as it
    /// and those before it are done. At most `window` results (default: 32 per thread) wait for a slower one
    /// before them. `body` gets the worker's number (0..<jobs).
    static func forEachInOrder<T: Sendable, R: Sendable>(
        jobs: Int, window: Int? = nil, source: @escaping @Sendable (Int) -> T?,
        _ body: @escaping @Sendable (_ worker: Int, T) -> R, _ consume: (R) -> Void
    ) {
        let workers = max(1, jobs)
        if workers == 1 {
            var i = 0
            while let item = source(i) {
                consume(body(0, item))
                i += 1
            }
            return
        }
        // A nil result marks the end: the worker that claims the first index past the last item leaves it.
        let ring = OrderedRing<R?>(capacity: max(window ?? 32 * workers, workers))
        let claims = Claims()
        let threads = WorkerThreads(count: workers) { worker in
            while true {
                ring.space.wait()
                let i = claims.claim()
                guard let item = source(i) else {
                    ring.put(i, nil)
                    return
                }
                ring.put(i, body(worker, item))
            }
        }
        if threads.startedCount == 0 {
            // No thread could be created: the work runs here, in order (waiting for the ring would be forever).
            threads.discardNotStarted()
            var i = 0
            while let item = source(i) {
                consume(body(0, item))
                i += 1
            }
            return
        }
        var i = 0
        while let result = ring.take(i) {
            consume(result)
            i += 1
        }
        // Workers still waiting for room claim past the end too, and stop.
        for _ in 0..<workers { ring.space.signal() }
        threads.join()
    }
}

/// Items appended by one thread (the walker) and each taken once, by index, by another (a worker), who waits
/// for an item not there yet. Taken items are dropped, so the queue holds only what the walk is ahead by.
final class WorkQueue<T: Sendable>: Sendable {
    private struct State: ~Copyable {
        /// Item `base + k` is `items[k]`; nil once taken.
        var items: [T?] = []
        var base = 0
        /// `items[..<front]` are all taken.
        var front = 0
        var finished = false
        var waiting: [DispatchSemaphore] = []
    }

    private let state = Mutex(State())

    func append(_ item: T) {
        let wake = state.withLock { s in
            s.items.append(item)
            defer { s.waiting = [] }
            return s.waiting
        }
        for w in wake { w.signal() }
    }

    /// No more items.
    func finish() {
        let wake = state.withLock { s in
            s.finished = true
            defer { s.waiting = [] }
            return s.waiting
        }
        for w in wake { w.signal() }
    }

    /// Takes item `i` (each index once), waiting until it is appended; nil when the queue finished without it.
    func item(_ i: Int) -> T? {
        while true {
            let (item, waiter): (T?, DispatchSemaphore?) = state.withLock { s in
                let k = i - s.base
                if k < 0 { return (nil, nil) }  // taken already (each index is asked for once)
                if k < s.items.count {
                    let item = s.items[k]
                    s.items[k] = nil
                    // Drop the taken run at the front once it is most of the array.
                    while s.front < s.items.count, s.items[s.front] == nil { s.front += 1 }
                    if s.front >= 1024, s.front * 2 >= s.items.count {
                        s.items.removeFirst(s.front)
                        s.base += s.front
                        s.front = 0
                    }
                    return (item, nil)
                }
                if s.finished { return (nil, nil) }
                let w = DispatchSemaphore(value: 0)
                s.waiting.append(w)
                return (nil, w)
            }
            guard let waiter else { return item }
            waiter.wait()
        }
    }
}

/// Consecutive indices for workers to claim.
final class Claims: Sendable {
    private let next = Atomic<Int>(0)

    func claim() -> Int { next.add(1, ordering: .relaxed).oldValue }
}

/// Results of an ordered parallel loop, waiting for their turn: slot `i % capacity` holds result `i`. A
/// worker takes a `space` token before claiming an index and the consumer returns it after taking that
/// index's result, so at most `capacity` results wait and a slot is always free when its index is claimed.
final class OrderedRing<R: Sendable>: @unchecked Sendable {
    let space: DispatchSemaphore
    private let capacity: Int
    private var slots: [R?]
    private let ready: [DispatchSemaphore]
    private let lock = Mutex(())

    init(capacity: Int) {
        self.capacity = capacity
        space = DispatchSemaphore(value: capacity)
        slots = Array(repeating: nil, count: capacity)
        ready = (0..<capacity).map { _ in DispatchSemaphore(value: 0) }
    }

    func put(_ i: Int, _ value: R) {
        lock.withLock { _ in slots[i % capacity] = value }
        ready[i % capacity].signal()
    }

    /// Waits for result `i`, takes it out of its slot and frees the slot.
    func take(_ i: Int) -> R {
        ready[i % capacity].wait()
        let value = lock.withLock { _ in
            let v = slots[i % capacity]!
            slots[i % capacity] = nil
            return v
        }
        space.signal()
        return value
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

extension Substring {
    var trimmingBlanks: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return s
    }
}

extension String {
    var trimmingBlanks: Substring { Substring(self).trimmingBlanks }
}

/// One `FindingInterner` per worker thread: each is used by one thread only, so none needs a lock.
final class FindingInterners: @unchecked Sendable {
    private var pools: [FindingInterner]

    init(count: Int) { pools = (0..<count).map { _ in FindingInterner() } }

    func intern(_ findings: inout [Finding], worker: Int) {
        pools[worker].intern(&findings)
    }
}
