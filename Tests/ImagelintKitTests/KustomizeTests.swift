import Foundation
import ImagelintCore
import ManifestParser
import Testing

@testable import ImagelintKit

/// kustomize trees linted as kustomize builds them (`KustomizeCase.all`), the images of each build checked
/// against `kubectl kustomize` where it is installed, and a file's findings the same whichever files are named.
@Suite struct KustomizeTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// A case's files in a fresh directory that is its own project (it holds `.git`).
    final class Tree {
        let path: String
        init(_ files: [String: String]) throws {
            path = NSTemporaryDirectory() + "imagelint-kustomize-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: path + "/.git", withIntermediateDirectories: true)
            for (name, text) in files {
                let file = path + "/" + name
                try FileManager.default.createDirectory(
                    atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try text.write(toFile: file, atomically: false, encoding: .utf8)
            }
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        func relative(_ p: String) -> String { p.hasPrefix(path + "/") ? String(p.dropFirst(path.count + 1)) : p }
    }

    static func lint(_ paths: [String], config: Configuration = Configuration()) -> LintReport {
        var options = LintOptions()
        options.paths = paths
        options.jobs = 2
        options.configuration = config
        return Pipeline.lint(options)
    }

    /// `path:line rule`, with `@roots` when the message names roots and `name→suggestion` for did-you-mean.
    static func summary(_ f: Finding, _ tree: Tree) -> String {
        var s = "\(tree.relative(f.file)):\(f.span.line) \(f.rule)"
        if f.message.hasSuffix(")"), let r = f.message.range(of: " (in ", options: .backwards) {
            s += "@" + f.message[r.upperBound...].dropLast().replacingOccurrences(of: ", ", with: ",")
        }
        let parts = f.message.split(separator: "`", omittingEmptySubsequences: false)
        if f.rule == "unused-image-override", f.message.contains("did you mean"), parts.count >= 7 { s += " \(parts[3])→\(parts[5])" }
        return s
    }

    @Test(arguments: KustomizeCase.all)
    func lintedAsBuilt(_ c: KustomizeCase) throws {
        let tree = try Tree(c.files)
        let report = Self.lint([tree.path])
        let found = Set(report.findings.filter { $0.rule != "parse-error" }.map { Self.summary($0, tree) })
        #expect(found == c.findings, "\(report.findings.map { "\(tree.relative($0.file)):\($0.span.line) \($0.rule) \($0.message)" })")
        let diagnostics = report.findings.filter { $0.rule == "parse-error" }
        for d in c.diagnostics {
            let (place, word) = (String(d.split(separator: " ")[0]), String(d.split(separator: " ")[1]))
            #expect(
                diagnostics.contains { "\(tree.relative($0.file)):\($0.span.line)" == place && $0.message.contains(word) },
                "\(d) among \(diagnostics.map { "\(tree.relative($0.file)):\($0.span.line) \($0.message)" })")
        }
        #expect(diagnostics.count == c.diagnostics.count, "\(diagnostics.map(\.message))")

        // Each file linted alone reports exactly its part of the whole run.
        for name in c.files.keys where name.hasSuffix(".yaml") {
            let alone = Self.lint([tree.path + "/" + name])
            #expect(
                alone.findings.map { FindingKey($0) } == report.findings.filter { $0.file == tree.path + "/" + name }.map { FindingKey($0) },
                "\(name) alone")
            #expect(alone.summary.files == 1)
        }

        // The images of each root's build.
        let context = ProjectContext.load(Self.options([tree.path]), manifestOptions: Pipeline.manifestOptions(Self.options([tree.path])))
        if c.builds {
            var built: [String: [String]] = [:]
            for r in context.roots { built[r.name] = r.build.containers.map(\.image).sorted() }
            #expect(built == c.images)
        }
    }

    struct FindingKey: Equatable, CustomStringConvertible {
        let rule: String, line: Int, column: Int, message: String, severity: Severity
        init(_ f: Finding) { (rule, line, column, message, severity) = (f.rule, f.span.line, f.span.column, f.message, f.severity) }
        var description: String { "\(line):\(column) \(rule) \(message)" }
    }

    static func options(_ paths: [String]) -> LintOptions {
        var o = LintOptions()
        o.paths = paths
        return o
    }

    // MARK: the oracle

    static let kubectl: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let p = String(dir) + "/kubectl"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }()

    /// The images of `kubectl kustomize DIR`'s output, sorted; nil when it fails.
    static func kustomize(_ dir: String) throws -> [String]? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: kubectl!)
        p.arguments = ["kustomize", dir]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        let a = ManifestFrontEnd.analyze(path: "build.yaml", text: SourceText(Array(data)))
        return a.occurrences.filter { $0.source.fileKind == .kubernetes }.map(\.written).sorted()
    }

    @Test(arguments: KustomizeCase.all.filter(\.builds))
    func kubectlKustomizeAgrees(_ c: KustomizeCase) throws {
        guard Self.kubectl != nil else {
            print("skipped: kubectl is not installed, so `kubectl kustomize` cannot be compared")
            return
        }
        let tree = try Tree(c.files)
        for (root, images) in c.images {
            #expect(try Self.kustomize(tree.path + "/" + root) == images, "\(root)")
        }
    }

    /// Every root of `Examples/`: imagelint's effective images are `kubectl kustomize`'s.
    @Test func kubectlKustomizeAgreesOnExamples() throws {
        guard Self.kubectl != nil else {
            print("skipped: kubectl is not installed, so `kubectl kustomize` cannot be compared")
            return
        }
        let examples = Self.packageRoot + "/Examples"
        let context = ProjectContext.load(Self.options([examples]), manifestOptions: Pipeline.manifestOptions(Self.options([examples])))
        #expect(context.roots.count >= 2)
        for r in context.roots {
            let dir = Kustomization.directory(of: r.file)
            #expect(try Self.kustomize(dir) == r.build.containers.map(\.image).sorted(), "\(r.name)")
        }
    }

    /// Other trees, e.g. checkouts of public repositories: `IMAGELINT_KUSTOMIZE_TREES=dir:dir swift test
    /// --filter kubectlKustomizeAgreesOnOtherTrees`. Roots kustomize itself cannot build are skipped.
    @Test func kubectlKustomizeAgreesOnOtherTrees() throws {
        guard Self.kubectl != nil, let trees = ProcessInfo.processInfo.environment["IMAGELINT_KUSTOMIZE_TREES"] else {
            print("skipped: needs kubectl and IMAGELINT_KUSTOMIZE_TREES")
            return
        }
        for tree in trees.split(separator: ":").map(String.init) {
            let context = ProjectContext.load(Self.options([tree]), manifestOptions: Pipeline.manifestOptions(Self.options([tree])))
            for r in context.roots {
                guard let built = try Self.kustomize(Kustomization.directory(of: r.file)) else {
                    print("kubectl kustomize cannot build \(r.file)")
                    continue
                }
                #expect(built == r.build.containers.map(\.image).sorted(), "\(r.file)")
                print("agrees: \(r.file) (\(built.count) images)")
            }
        }
    }

    // MARK: context loaded from disk

    /// pre-commit names only the staged file: its ServiceAccount beside it still counts.
    @Test func serviceAccountBesideTheFileCounts() throws {
        let deployment = KustomizeCase.deployment(["registry.acme.io/api:1.0.0"]).replacingOccurrences(
            of: "    spec:\n      containers", with: "    spec:\n      serviceAccountName: api\n      containers")
        let tree = try Tree([
            "k8s/deployment.yaml": deployment,
            "k8s/serviceaccount.yaml": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\nimagePullSecrets:\n  - name: acme\n",
            "other/deployment.yaml": deployment,
            "lost/deployment.yaml": deployment.replacingOccurrences(of: "serviceAccountName: api", with: "serviceAccountName: ghost"),
        ])
        var config = Configuration()
        config.privateRegistries = ["registry.acme.io"]
        #expect(Self.lint([tree.path + "/k8s/deployment.yaml"], config: config).findings.filter { $0.rule == "missing-pull-secret" }.isEmpty)
        // Elsewhere in the project: found, with its secret.
        #expect(Self.lint([tree.path + "/other/deployment.yaml"], config: config).findings.filter { $0.rule == "missing-pull-secret" }.isEmpty)
        // Nowhere in the project: info, and said so.
        let lost = Self.lint([tree.path + "/lost/deployment.yaml"], config: config).findings.filter { $0.rule == "missing-pull-secret" }
        #expect(lost.map(\.severity) == [.info])
        #expect(lost.first?.message.contains("nowhere in the project") == true)
        #expect(!(lost.first?.message.contains("linted files") ?? true))
    }
}

/// A file's findings do not depend on which other files were named: each file of `Examples/` and of a sample
/// of `../shared/corpus/` linted alone reports exactly what the whole tree's run reports for it.
@Suite struct FileIndependenceTests {
    static let packageRoot = KustomizeTests.packageRoot

    struct Key: Equatable, CustomStringConvertible {
        let rule: String, line: Int, column: Int, message: String, severity: Severity
        init(_ f: Finding) { (rule, line, column, message, severity) = (f.rule, f.span.line, f.span.column, f.message, f.severity) }
        var description: String { "\(line):\(column) \(rule) \(severity) \(message)" }
    }

    static func lint(_ paths: [String]) -> LintReport {
        var options = LintOptions()
        options.paths = paths
        options.jobs = 2
        // With private registries, so that missing-pull-secret (which reads ServiceAccounts around a pod) runs.
        options.configuration.privateRegistries = ["registry.acme.io", "ghcr.io/acme", "*.dkr.ecr.*.amazonaws.com", "gcr.io"]
        return Pipeline.lint(options)
    }

    static func check(tree: String, files: [String]) {
        let whole = lint([tree])
        var byFile: [String: [Key]] = [:]
        for f in whole.findings { byFile[f.file, default: []].append(Key(f)) }
        for file in files {
            let alone = lint([file])
            #expect(alone.findings.map(Key.init) == (byFile[file] ?? []), "\(file)")
            #expect(alone.summary.files <= 1, "\(file): only the named file is counted")
        }
    }

    @Test func examples() throws {
        let tree = Self.packageRoot + "/Examples"
        let files = Pipeline.collectInputs(Self.options([tree])).files.map(\.file.path)
        #expect(files.count >= 15)
        Self.check(tree: tree, files: files)
    }

    /// The sample: every file of `corpus/kustomize/` and every 15th of the other files in path order.
    @Test func corpusSample() throws {
        let corpus = Self.packageRoot + "/../shared/corpus"
        guard FileManager.default.fileExists(atPath: corpus) else {
            print("skipped: ../shared/corpus is absent")
            return
        }
        let all = Pipeline.collectInputs(Self.options([corpus])).files.map(\.file.path)
        let kustomize = all.filter { $0.contains("/kustomize/") }
        let others = all.filter { !$0.contains("/kustomize/") }.enumerated().filter { $0.offset % 15 == 0 }.map(\.element)
        #expect(kustomize.count >= 90)
        #expect(others.count >= 50)
        Self.check(tree: corpus, files: kustomize + others)
    }

    static func options(_ paths: [String]) -> LintOptions {
        var o = LintOptions()
        o.paths = paths
        return o
    }
}
