import ArgumentParser
import BuiltinRules
import ImagelintCore
import ImagelintKit
import ImagelintOnline
import RegistryClient
import Reporters

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check image references in Dockerfiles, Kubernetes manifests, compose and kustomize files.",
        discussion: """
            Walks the given files and directories (default: the current directory), finds every image a \
            build pulls or a deployment runs, and reports problems with exact line and column.

            EXAMPLES
              imagelint lint                              lint the current directory
              imagelint lint Dockerfile k8s/              lint a file and a directory
              imagelint Examples                          `lint` is the default command
              helm template chart | imagelint lint - --stdin-filename rendered.yaml
              imagelint lint --format sarif --output imagelint.sarif --format text
              imagelint lint --rule floating-tag=off --fail-on warning
              imagelint lint --build-arg BASE=python:3.12.1 docker/
              imagelint lint --online                     also ask the registries (tag-not-found, digest-mismatch, platform-digest)

            EXIT CODES
              0   no finding at or above --fail-on
              1   findings at or above --fail-on
              2   bad configuration, unwritable --output, no readable input, or (--online) a registry that cannot be reached
              64  usage error
            """
    )

    @OptionGroup var input: InputOptions

    @Flag(
        name: .long,
        help: "Ask the registries about every tagged reference: enables tag-not-found, digest-mismatch and platform-digest.")
    var online = false

    @OptionGroup(title: "Registry options (with --online)") var registry: RegistryOptions

    @Option(
        name: [.short, .long],
        help: ArgumentHelp(
            "Output format (repeatable, each with its own --output).", valueName: ReportFormat.allCases.map(\.rawValue).joined(separator: "|")))
    var format: [Placed<ReportFormat>] = []

    @Option(name: [.short, .long], help: ArgumentHelp("Write the preceding --format's report to this file (atomically).", valueName: "file"))
    var output: [Placed<String>] = []

    @Option(name: .customLong("fail-on"), help: "Lowest severity that makes the exit code 1 (default: error).")
    var failOn: FailOn?

    @Option(
        name: .customLong("rule"), help: ArgumentHelp("Set a rule's severity (repeatable).", valueName: "id=error|warning|info|off"),
        transform: RuleSetting.init(parsing:))
    var ruleSettings: [RuleSetting] = []

    @Option(
        name: .customLong("baseline"),
        help: ArgumentHelp("Report only findings not in this baseline (matched by rule, file and reference, not line).", valueName: "file"))
    var baselinePath: String?

    @Option(
        name: .customLong("write-baseline"),
        help: ArgumentHelp("Record this run's findings as a baseline (sorted JSON, written atomically).", valueName: "file"))
    var writeBaselinePath: String?

    @Flag(name: .customLong("no-ignore"), help: "Ignore inline suppression comments and annotations (for audits).")
    var noIgnore = false

    @Option(name: .long, help: "Colour in text output (`auto`: on a terminal, unless NO_COLOR is set).")
    var color: ColorMode = .auto

    func validate() throws {
        let ids = Set(BuiltinRules.descriptions.map(\.id))
        for setting in ruleSettings where !ids.contains(setting.id) {
            var m = "--rule: unknown rule `\(setting.id)`"
            if let guess = Engine.closest(to: setting.id, in: ids) { m += "; did you mean `\(guess)`?" }
            throw ValidationError(m)
        }
        if !format.isEmpty, output.count > format.count {
            throw ValidationError("each --output needs its own --format (\(output.count) outputs, \(format.count) formats)")
        }
    }

    /// The format an `--output` file's name implies, for `--output` without `--format`.
    static func format(forOutput path: String) -> ReportFormat? {
        let name = String(path.split(separator: "/").last ?? Substring(path)).lowercased()
        let table: [(String, ReportFormat)] = [
            (".sarif", .sarif), (".sarif.json", .sarif), (".gitlab.json", .gitlab), (".codequality.json", .gitlab),
            (".checkstyle.xml", .checkstyle), (".junit.xml", .junit), (".json", .json), (".xml", .junit),
            (".txt", .text), (".log", .text),
        ]
        return table.first { name.hasSuffix($0.0) }?.1
    }

    /// The subcommands a mistyped first argument may have meant.
    static let subcommandNames = ["lint", "images", "ref", "tags", "pin", "rules", "config"]

    /// Usage problems the argument parser cannot see (exit 64): a first argument that is no path but nearly a
    /// subcommand (`imagelint lnt .`), `--output` without `--format` whose name says no format, two reports
    /// to one file.
    func checkUsage(_ destinations: [ReportDestination]) throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let first = arguments.first, first == input.paths.first, !first.hasPrefix("-"), !FileSystem.exists(first),
            !first.contains("/"), !first.contains("."),
            let guess = Engine.closest(to: first, in: Self.subcommandNames), Engine.editDistance(first, guess) <= 2
        {
            throw Console.fail("`\(first)` is neither a file nor a command; did you mean `\(guess)`?", exitCode: 64)
        }
        var seen: [String: ReportFormat] = [:]
        for d in destinations {
            guard let path = d.path else { continue }
            var key = Substring(path)
            while key.hasPrefix("./") { key = key.dropFirst(2) }
            if let other = seen[String(key)] {
                throw Console.fail(
                    "two reports (\(other.rawValue) and \(d.format.rawValue)) would be written to \(path)", exitCode: 64)
            }
            seen[String(key)] = d.format
        }
    }

    /// Each report's format and file (nil: standard output), from the parsed `--format`/`--output` pairs.
    var destinations: [ReportDestination] {
        get throws {
            // `--output x.sarif` without `--format`: the format comes from the file name, or is asked for.
            if format.isEmpty, !output.isEmpty {
                return try output.sorted { $0.position < $1.position }.map { o in
                    guard let f = Self.format(forOutput: o.value) else {
                        throw Console.fail(
                            "cannot tell the format of --output \(o.value) from its name; add --format (\(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")))",
                            exitCode: 64)
                    }
                    return ReportDestination(format: f, path: o.value)
                }
            }
            return ReportDestination.pair(formats: format, outputs: output)
        }
    }

    func run() throws {
        let destinations = try self.destinations
        try checkUsage(destinations)
        var options = try input.lintOptions()
        for setting in ruleSettings {
            options.configuration.ruleSeverities[setting.id] = .some(setting.severity)
            options.commandLine.ruleSeverities[setting.id] = .some(setting.severity)
        }
        if let failOn {
            options.configuration.failOn = failOn
            options.commandLine.failOn = failOn
        }
        options.noIgnore = noIgnore

        for case let path? in destinations.map(\.path) {
            if let input = FileSystem.inputNamed(
                by: path, paths: options.paths, exclude: options.configuration.exclude,
                configuration: options.configuration.source)
            {
                throw Console.fail("--output \(path) is one of the inputs (\(input)); it would be overwritten", exitCode: 64)
            }
        }

        // The registries' answers, as facts for the online rules; nothing here touches the network without --online.
        var registryProblems: [String] = []
        if online {
            options.configuration.online = true
            let client = RegistryClient(options: registry.clientOptions(options.configuration))
            let frozen = options
            let started = ContinuousClock.now
            let result = runAsync {
                let r = await OnlineCheck.facts(frozen, client: client)
                await client.shutdown()
                return r
            }
            options.registryFacts = result.facts
            registryProblems = result.problems
            registry.printStatistics(client, since: started)
        }

        let workspace = Terminal.environment("GITHUB_WORKSPACE")
        let currentDirectory = workspace == nil ? nil : FileSystem.currentDirectory()
        let useColor = color.forStandardOutput
        // Reports are written as the files are linted: nothing holds every finding. The first report bound for
        // standard output streams there; later ones for it are held and follow it; files are written atomically.
        let start = Pipeline.frame(options)
        var outputs: [(stream: ReportStream, file: AtomicFile?, held: HeldOutput?)] = []
        var textOnStdout = false
        var writeFailed = false
        let stdout = Output.standard
        for destination in destinations {
            let (fmt, path) = (destination.format, destination.path)
            if let path {
                do {
                    let file = try AtomicFile(path: path)
                    outputs.append((ReportStream(fmt.reporter(
                            color: false, failThreshold: options.configuration.failOn.threshold,
                            workspace: workspace, currentDirectory: currentDirectory), frame: start, to: file), file, nil))
                } catch {
                    Console.problem("\(error)")
                    writeFailed = true
                }
            } else {
                if fmt == .text { textOnStdout = true }
                let reporter = fmt.reporter(
                    color: useColor && fmt == .text, failThreshold: options.configuration.failOn.threshold,
                    workspace: workspace, currentDirectory: currentDirectory)
                if outputs.contains(where: { $0.file == nil }) {
                    let held = HeldOutput()
                    outputs.append((ReportStream(reporter, frame: start, to: held), nil, held))
                } else {
                    outputs.append((ReportStream(reporter, frame: start, to: stdout), nil, nil))
                }
            }
        }

        let resolver = ConfigResolver(options: options, rules: BuiltinRules.all)
        options.resolver = resolver
        var baseline: Baseline? = nil
        if let baselinePath {
            do {
                baseline = try Baseline.load(path: baselinePath)
            } catch {
                throw Console.fail("\(error)", exitCode: 2)
            }
        }
        var recorded = Baseline()
        var absorbed = Summary()
        var frame = Pipeline.lint(options) { file in
            var file = file
            if writeBaselinePath != nil { for f in file.findings { recorded.record(f) } }
            if baseline != nil {
                let before = Summary.referencesWithFindings(file.findings)
                file.findings.removeAll { f in
                    guard !f.isSuppressed, baseline!.absorb(f) else { return false }
                    absorbed.count(f)
                    return true
                }
                absorbed.referencesWithFindings += before - Summary.referencesWithFindings(file.findings)
            }
            for output in outputs { output.stream.add(file) }
        }
        if let baseline {
            frame.summary.usesBaseline = true
            frame.summary.baselined = absorbed.findings
            frame.summary.staleBaseline = baseline.remaining
            frame.summary.findings -= absorbed.findings
            frame.summary.errors -= absorbed.errors
            frame.summary.warnings -= absorbed.warnings
            frame.summary.infos -= absorbed.infos
            frame.summary.referencesWithFindings -= absorbed.referencesWithFindings
        }
        if let writeBaselinePath {
            do {
                try recorded.write(to: writeBaselinePath)
            } catch {
                Console.problem("--write-baseline \(error)")
                writeFailed = true
            }
        }

        for output in outputs {
            do {
                try output.stream.finish(frame)
                try output.held?.release(to: stdout)
                try output.file?.commit()
            } catch {
                output.file?.abort()
                Console.problem("\(error)")
                writeFailed = true
            }
        }
        if !textOnStdout {
            Console.error(TextReporter.summaryLine(frame.summary))
        }
        for problem in registryProblems { Console.problem("\(problem)") }
        // A nested configuration file that could not be read: its directories fell back to their parents'.
        for problem in resolver.problems { Console.problem("\(problem)") }
        if writeFailed || !registryProblems.isEmpty || !resolver.problems.isEmpty { throw ExitCode(2) }
        // No silent passes: a path that does not exist fails the run whatever --fail-on says, and a run that
        // linted nothing says so.
        let missing = options.paths.filter { $0 != Pipeline.stdinPath && !FileSystem.exists($0) }
        for path in missing { Console.problem("\(path): no such file or directory") }
        if frame.summary.files == 0 {
            let what = options.paths.isEmpty ? "." : options.paths.joined(separator: " ")
            Console.problem("no file was linted in \(what): no Dockerfile, Kubernetes manifest, compose, kustomize, CI or Helm values file found")
        }
        if !missing.isEmpty { throw ExitCode(2) }
        if frame.summary.files == 0 && !frame.diagnostics.isEmpty { throw ExitCode(2) }
        if let threshold = options.configuration.failOn.threshold, frame.summary.hasFindings(atOrAbove: threshold) {
            throw ExitCode(1)
        }
    }
}
