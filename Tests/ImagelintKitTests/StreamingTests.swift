import Foundation
import ImagelintCore
import Reporters
import Testing

@testable import ImagelintKit

/// A streamed run (`Pipeline.lint(_:each:)` into `ReportStream`s) must write exactly the bytes of the report
/// rendered whole, in every format, whatever the thread count and wherever the body is held.
@Suite struct StreamingTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Collects what a stream writes.
    final class Bytes: ByteSink {
        var data: [UInt8] = []
        func write(_ bytes: UnsafeRawBufferPointer) throws(InputProblem) { data += bytes }
        var text: String { String(decoding: data, as: UTF8.self) }
    }

    /// A sink that fails after `limit` bytes, like a full disk.
    final class Full: ByteSink {
        var written = 0
        let limit: Int
        init(limit: Int) { self.limit = limit }
        func write(_ bytes: UnsafeRawBufferPointer) throws(InputProblem) {
            if written + bytes.count > limit { throw InputProblem(path: "disk", message: "cannot write: No space left on device") }
            written += bytes.count
        }
    }

    static func options(_ paths: [String], jobs: Int, configure: (inout Configuration) -> Void = { _ in }) -> LintOptions {
        var o = LintOptions()
        o.paths = paths
        o.jobs = jobs
        configure(&o.configuration)
        return o
    }

    /// Streams `options` into one `ReportStream` per format and returns what each wrote.
    static func streamed(_ options: LintOptions, spoolMemory: Int) throws -> [ReportFormat: String] {
        let start = Pipeline.frame(options)
        var outputs: [(ReportFormat, ReportStream, Bytes)] = []
        for format in ReportFormat.allCases {
            let sink = Bytes()
            outputs.append((format, ReportStream(format.reporter(color: false), frame: start, to: sink, spoolMemory: spoolMemory), sink))
        }
        let frame = Pipeline.lint(options) { file in
            for (_, stream, _) in outputs { stream.add(file) }
        }
        var result: [ReportFormat: String] = [:]
        for (format, stream, sink) in outputs {
            try stream.finish(frame)
            result[format] = sink.text
        }
        return result
    }

    @Test(arguments: [1, 2, 3])
    func examplesStreamAsTheyRender(jobs: Int) throws {
        let options = Self.options([Self.root + "/Examples"], jobs: jobs)
        let whole = Pipeline.lint(options)
        #expect(whole.findings.count > 20)
        // 64 bytes of memory: JSON's body goes through the temporary file.
        for spoolMemory in [64, 8 << 20] {
            let streamed = try Self.streamed(options, spoolMemory: spoolMemory)
            for format in ReportFormat.allCases {
                let expected = format.reporter(color: false).render(whole)
                #expect(streamed[format] == expected, "\(format), --jobs \(jobs), spool memory \(spoolMemory)")
            }
        }
    }

    @Test func filesArriveInPathOrderOnTheCallingThread() throws {
        let scratch = try Scratch()
        // Names chosen so that walk order, creation order and path order differ.
        for name in ["b/Dockerfile", "a.yaml", "B.yaml", "a/Dockerfile", "c.yml", "a-b/compose.yaml"] {
            try scratch.write(name, name.hasSuffix("Dockerfile") ? "FROM nginx\n" : "services:\n  web:\n    image: nginx\n")
        }
        var paths: [String] = []
        let caller = pthread_self()
        var sameThread = true
        let options = Self.options([scratch.path + "/c.yml", scratch.path], jobs: 4)
        _ = Pipeline.lint(options) { file in
            paths.append(file.path)
            sameThread = sameThread && pthread_equal(pthread_self(), caller) != 0
        }
        #expect(sameThread)
        #expect(paths == paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(paths.count == 6, "c.yml named twice is linted once: \(paths)")
    }

    /// Several paths are walked one after the other while linting when their walks join in path order, and
    /// walked whole then sorted when they overlap; both give the report of the same files in path order.
    @Test func severalPathsInAnyOrder() throws {
        let scratch = try Scratch()
        for name in ["z/Dockerfile", "m/a.yaml", "m/b/Dockerfile", "a.yaml", "m-x.yaml", "m0/Dockerfile"] {
            try scratch.write(name, name.hasSuffix("Dockerfile") ? "FROM nginx\n" : "services:\n  web:\n    image: nginx\n")
        }
        let p = { (name: String) in scratch.path + "/" + name }
        let disjoint = [p("z"), p("m0"), p("a.yaml"), p("m"), p("m-x.yaml"), p("missing")]
        let overlapping = disjoint + [p("m/a.yaml")]
        #expect(Pipeline.orderedRoots(Self.options(disjoint, jobs: 2)) != nil)
        #expect(Pipeline.orderedRoots(Self.options(overlapping, jobs: 2)) == nil)
        #expect(Pipeline.orderedRoots(Self.options([".", p("z")], jobs: 2)) == nil)
        var order: [String] = []
        let frame = Pipeline.lint(Self.options(disjoint, jobs: 2)) { order.append($0.path) }
        #expect(order == order.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(order.count == 7, "\(order)")
        #expect(frame.diagnostics.map(\.file) == [p("missing")])
        for jobs in [1, 2] {
            #expect(
                try Self.streamed(Self.options(disjoint, jobs: jobs), spoolMemory: 64)[.json]
                    == JSONReporter().render(Pipeline.lint(Self.options(overlapping, jobs: jobs))))
        }
    }

    /// missing-pull-secret needs every file's ServiceAccounts: its findings still land in their file, in order.
    @Test(arguments: [1, 2])
    func serviceAccountsFromLaterFiles(jobs: Int) throws {
        let scratch = try Scratch()
        let deployment = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
              namespace: shop
            spec:
              template:
                spec:
                  serviceAccountName: api
                  containers:
                    - name: api
                      image: registry.acme.io/api:latest

            """
        try scratch.write("a-deploy.yaml", deployment)
        try scratch.write("b-deploy.yaml", deployment.replacingOccurrences(of: "serviceAccountName: api", with: "serviceAccountName: other"))
        try scratch.write(
            "z-account.yaml",
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n  namespace: shop\nimagePullSecrets:\n  - name: acme\n")
        let options = Self.options([scratch.path], jobs: jobs) { $0.privateRegistries = ["registry.acme.io"] }
        var files: [FileReport] = []
        let frame = Pipeline.lint(options) { files.append($0) }
        let byFile = Dictionary(uniqueKeysWithValues: files.map { (FileSystem.baseName($0.path), $0.findings.map(\.rule)) })
        #expect(byFile["a-deploy.yaml"]?.contains("missing-pull-secret") == false)
        #expect(byFile["b-deploy.yaml"]?.contains("missing-pull-secret") == true)
        for f in files { #expect(f.findings == f.findings.sorted(by: Finding.reportOrder)) }
        #expect(frame.summary.findings == files.reduce(0) { $0 + $1.findings.count })
        let streamed = try Self.streamed(options, spoolMemory: 1 << 20)
        #expect(streamed[.json] == JSONReporter().render(Pipeline.lint(options)))
    }

    /// A directory's walk feeds the workers as it goes, so it must come in the report's order by itself:
    /// byte order of whole paths, where `a-b` and `a.yaml` sort before everything under `a/`, and problems
    /// (a symbolic link loop, an unreadable folder) sit where their path sorts.
    @Test func aWalkComesInPathOrder() throws {
        let scratch = try Scratch()
        for name in [
            "a/Dockerfile", "a/b/x.yaml", "a-b/Dockerfile", "a.yaml", "a b.yaml", "a/B.yaml", "a0/c.yml", "Z.yaml",
            "é/Dockerfile", "loop-x.yaml", "sub/deeper/still/Dockerfile", "sub.yaml", "locked/Dockerfile", "locked-b.yaml",
        ] {
            try scratch.write(name, "FROM nginx\n")
        }
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/loop", withDestinationPath: scratch.path)
        let unreadable = getuid() != 0
        if unreadable { chmod(scratch.path + "/locked", 0) }
        defer { chmod(scratch.path + "/locked", 0o755) }
        var walked: [String] = []
        FileSystem.walk(root: scratch.path, exclude: []) { walked.append($0.path) }
        #expect(walked == walked.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(walked.contains(scratch.path + "/loop"))
        if unreadable { #expect(walked.contains(scratch.path + "/locked")) }
        #expect(walked.count >= 14)
        // The run over the directory (walked as it goes) and over two paths naming the same files (walked
        // whole, then sorted) give the same report.
        let streamedRoot = try Self.streamed(Self.options([scratch.path], jobs: 2), spoolMemory: 1 << 20)
        let whole = Pipeline.lint(Self.options([scratch.path + "/a.yaml", scratch.path], jobs: 1))
        #expect(streamedRoot[.json] == JSONReporter().render(whole))
        #expect(whole.diagnostics.contains { $0.file == scratch.path + "/loop" })
        if !unreadable {
            try Test.cancel("the unreadable folder's place skipped: running as root, which reads every folder")
        }
    }

    /// The walker's queue: items taken by index while they are still being appended, each exactly once,
    /// across the compactions that drop taken items; nil past the end once finished.
    @Test func workQueueHandsOutEveryItemOnce() {
        let n = 5000
        let queue = WorkQueue<Int>()
        let producer = WorkerThreads(count: 1) { _ in
            for i in 0..<n {
                queue.append(i * 3)
                if i % 700 == 0 { usleep(200) }
            }
            queue.finish()
        }
        var seen: [Int] = []
        Pipeline.forEachInOrder(jobs: 3, window: 8, source: { queue.item($0) }, { _, v in v }) { seen.append($0) }
        producer.join()
        #expect(seen == (0..<n).map { $0 * 3 })
        #expect(queue.item(n) == nil)
    }

    @Test func orderedLoopKeepsOrderWithASmallWindow() {
        let n = 500
        var seen: [Int] = []
        Pipeline.forEachInOrder(Array(0..<n), jobs: 4, window: 4, { _, i in
            // Uneven work, so later items often finish first.
            usleep(UInt32((i * 7919) % 5) * 100)
            return i
        }) { seen.append($0) }
        #expect(seen == Array(0..<n))
    }

    @Test func spoolSpillsToAFileAndReplaysEveryByte() throws {
        let spool = Spool(memoryLimit: 1000)
        var expected: [UInt8] = []
        for i in 0..<3000 {
            let piece = "piece \(i) " + String(repeating: "é", count: i % 50) + "\n"
            expected += Array(piece.utf8)
            try spool.append(Array(piece.utf8))
        }
        #expect(spool.isSpilled)
        let out = Bytes()
        try spool.replay { bytes throws(InputProblem) in try out.write(bytes) }
        #expect(out.data == expected)
    }

    @Test func aFailedWriteIsReportedOnceAndTheRunGoesOn() throws {
        let options = Self.options([Self.root + "/Examples"], jobs: 2)
        let sink = Full(limit: 100)
        let stream = ReportStream(TextReporter(color: false), frame: Pipeline.frame(options), to: sink, pieceSize: 10)
        var files = 0
        let frame = Pipeline.lint(options) { file in
            files += 1
            stream.add(file)
        }
        #expect(files > 5)
        #expect(throws: InputProblem.self) { try stream.finish(frame) }
        #expect(sink.written <= 100)
    }

    @Test func atomicFileReplacesOnlyOnCommit() throws {
        let scratch = try Scratch()
        let path = try scratch.write("report.json", "old")
        let file = try AtomicFile(path: path)
        try file.write("new report")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
        file.abort()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["report.json"])
        let second = try AtomicFile(path: path)
        try second.write("new report")
        try second.commit()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new report")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["report.json"])
        #expect(throws: InputProblem.self) { _ = try AtomicFile(path: scratch.path + "/missing/dir/r.json") }
    }

    final class Scratch {
        let path: String
        init() throws {
            path = NSTemporaryDirectory() + "imagelint-stream-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        @discardableResult
        func write(_ name: String, _ text: String) throws -> String {
            let file = path + "/" + name
            try FileManager.default.createDirectory(
                atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: file, atomically: false, encoding: .utf8)
            return file
        }
    }
}
