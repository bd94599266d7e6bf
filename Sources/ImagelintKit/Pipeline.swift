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

    public init() {}
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

    /// Lints every input. Deterministic whatever `jobs` is.
    public static func lint(_ options: LintOptions, rules: [any Rule.Type] = BuiltinRules.all) -> LintReport {
        let engine = Engine(rules: rules, configuration: options.configuration, noIgnore: options.noIgnore)
        let facts = LintFacts(configuration: options.configuration)
        let inputs = collectInputs(options)

        struct PerFile: Sendable {
            var file: LintedFile?
            var result: Engine.FileResult
            var diagnostics: [Diagnostic]
            var serviceAccounts: [ServiceAccountInfo]
            var read: Bool
        }
        // Files with the same kinds get the same rule list: share one array instead of one per file.
        let ruleLists = RuleListCache(engine: engine)
        let interners = FindingInterners(count: max(1, options.jobs))
        var results: [PerFile] = parallelMap(inputs.files, jobs: options.jobs) { worker, input in
            let (analysis, text) = analyze(input, options: options)
            var result = engine.check(analysis, text: text, facts: facts)
            // Sorted here, in parallel: files arrive in path order, so the merged list is usually sorted.
            result.findings.sort(by: Finding.reportOrder)
            interners.intern(&result.findings, worker: worker)
            var linted: LintedFile? = nil
            if !analysis.kinds.isEmpty || !analysis.diagnostics.isEmpty {
                linted = LintedFile(
                    path: analysis.file, kinds: analysis.kinds,
                    rules: ruleLists.rules(for: analysis.kinds, hasDiagnostics: !analysis.diagnostics.isEmpty))
            }
            return PerFile(
                file: linted, result: result, diagnostics: analysis.diagnostics,
                serviceAccounts: analysis.serviceAccounts, read: text != nil)
        }

        var findings: [Finding] = []
        var files: [LintedFile] = []
        var diagnostics: [Diagnostic] = []
        var deferred: [Engine.DeferredCheck] = []
        var serviceAccounts: [ServiceAccountInfo] = []
        var references = 0
        var filesRead = 0
        // Move each file's findings into one list of the right size and free them as we go: the findings
        // are the one thing a run keeps in proportion to the corpus, so never hold them twice.
        findings.reserveCapacity(results.reduce(0) { $0 + $1.result.findings.count })
        for i in results.indices {
            let r = results[i]
            results[i].result.findings = []
            if r.read { filesRead += 1 }
            findings += r.result.findings
            if let f = r.file { files.append(f) }
            diagnostics += r.diagnostics
            deferred += r.result.deferred
            serviceAccounts += r.serviceAccounts
            references += r.result.references
        }
        // Problems of the inputs themselves (unreadable paths, special files, loops).
        let problemEngine = engine
        for p in inputs.problems {
            let d = Diagnostic(file: p.path, line: 1, column: 1, message: p.message)
            diagnostics.append(d)
            let analysis = FileAnalysis(file: p.path, diagnostics: [d])
            findings += problemEngine.check(analysis, text: nil, facts: facts).findings
            files.append(
                LintedFile(path: p.path, kinds: [], rules: engine.applicableRules(for: [], hasDiagnostics: true)))
        }
        if !deferred.isEmpty {
            var allFacts = facts
            allFacts.serviceAccounts = serviceAccounts
            findings += engine.finish(deferred, facts: allFacts)
        }
        // Each file's findings are sorted already; sort again only when the merge broke the order (files
        // not walked in path order, deferred or input-problem findings). Equal findings always share a
        // file, so this gives the order a single stable sort would.
        if !isSorted(findings, by: Finding.reportOrder) {
            findings.sort(by: Finding.reportOrder)
        }
        files.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        diagnostics.sort(by: diagnosticOrder)

        var summary = Summary(files: filesRead, references: references, findings: findings.count)
        for f in findings {
            switch f.severity {
            case .error: summary.errors += 1
            case .warning: summary.warnings += 1
            case .info: summary.infos += 1
            }
        }
        return LintReport(
            toolVersion: ImagelintInfo.version, findings: findings, files: files, rules: engine.enabledDescriptions,
            diagnostics: diagnostics, summary: summary)
    }

    /// Lints one in-memory file (the rule examples, editors, tests). `filename` picks the front end.
    public static func lint(
        contents: [UInt8], filename: String, options: LintOptions, rules: [any Rule.Type] = BuiltinRules.all
    ) -> LintReport {
        let engine = Engine(rules: rules, configuration: options.configuration, noIgnore: options.noIgnore)
        let kind = FileSystem.kind(ofFileName: FileSystem.baseName(filename)) ?? sniff(contents)
        let (analysis, text) = analyze(Input(file: InputFile(path: filename, kind: kind), stdin: contents), options: options)
        var facts = LintFacts(configuration: options.configuration)
        var result = engine.check(analysis, text: text, facts: facts)
        facts.serviceAccounts = analysis.serviceAccounts
        var findings = result.findings + engine.finish(result.deferred, facts: facts)
        result.deferred = []
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
        let inputs = collectInputs(options)
        let results: [(FileAnalysis, Bool)] = parallelMap(inputs.files, jobs: options.jobs) { input in
            let (analysis, text) = analyze(input, options: options)
            return (analysis, text != nil)
        }
        var occurrences: [Occurrence] = []
        var diagnostics: [Diagnostic] = []
        var filesRead = 0
        for (r, read) in results {
            if read { filesRead += 1 }
            occurrences += r.occurrences
            diagnostics += r.diagnostics
        }
        diagnostics += inputs.problems.map { Diagnostic(file: $0.path, line: 1, message: $0.message) }
        occurrences.sort {
            if $0.file != $1.file { return $0.file.utf8.lexicographicallyPrecedes($1.file.utf8) }
            return ($0.span.line, $0.span.column) < ($1.span.line, $1.span.column)
        }
        diagnostics.sort(by: diagnosticOrder)
        return ImageListing(occurrences: occurrences, diagnostics: diagnostics, files: filesRead)
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
        let walked = FileSystem.walk(paths, exclude: options.configuration.exclude)
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
            switch FileSystem.read(path, limit: options.maxFileSize) {
            case .success(let b): bytes = b
            case .failure(let p):
                return (FileAnalysis(file: path, diagnostics: [Diagnostic(file: path, line: 1, message: p.message)]), nil)
            }
        }
        let text = SourceText(bytes)
        switch input.file.kind {
        case .dockerfile:
            let analysis = DockerfileFrontEnd.analyze(
                path: path, text: text, options: DockerfileOptions(buildArgs: options.configuration.buildArgs))
            return (analysis, text)
        case .yaml:
            return (ManifestFrontEnd.analyze(path: path, text: text, options: ManifestOptions()), text)
        }
    }

    /// Maps `items` on `jobs` threads; results keep the input order.
    static func parallelMap<T: Sendable, R: Sendable>(_ items: [T], jobs: Int, _ body: @Sendable (T) -> R) -> [R] {
        parallelMap(items, jobs: jobs) { _, item in body(item) }
    }

    /// Maps `items` on `jobs` threads; `body` also gets the worker's number (0..<jobs), so per-worker state
    /// needs no lock. Results keep the input order.
    static func parallelMap<T: Sendable, R: Sendable>(
        _ items: [T], jobs: Int, _ body: @Sendable (_ worker: Int, T) -> R
    ) -> [R] {
        let n = items.count
        if n == 0 { return [] }
        let workers = max(1, min(jobs, n))
        if workers == 1 { return items.map { body(0, $0) } }
        let slots = ResultSlots<R>(count: n)
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while true {
                let i = next.add(1, ordering: .relaxed).oldValue
                if i >= n { break }
                slots.set(i, body(worker, items[i]))
            }
        }
        return slots.values()
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

/// Result storage written by one worker per slot.
final class ResultSlots<R: Sendable>: @unchecked Sendable {
    private var storage: [R?]
    private let lock = Mutex(())

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: R) {
        lock.withLock { _ in storage[i] = value }
    }

    func values() -> [R] { lock.withLock { _ in storage.map { $0! } } }
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
