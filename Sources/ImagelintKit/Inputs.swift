import Dispatch
import DockerfileParser
import ImagelintCore
import ManifestParser
import Synchronization

/// The pipeline's inputs: the paths walked (on a thread of their own when their walk comes in path order),
/// standard input, and the reading and parsing of one input by its front end.
extension Pipeline {
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

    /// How the YAML front end reads context files (a chart's `Chart.yaml`, a compose `.env`), and how the
    /// kustomize builds read their resources.
    static func manifestOptions(_ options: LintOptions) -> ManifestOptions {
        let limit = options.maxFileSize
        return ManifestOptions(
            composeEnvironment: options.composeEnvironmentLookup,
            readFile: { path in
                if case .success(let bytes) = FileSystem.read(path, limit: limit) { return bytes }
                return nil
            }, disabledInputs: options.configuration.disabledInputs)
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
