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
        if output.count > max(format.count, 1) {
            throw ValidationError("each --output needs its own --format (\(output.count) outputs, \(format.count) formats)")
        }
    }

    /// Each report's format and file (nil: standard output), from the parsed `--format`/`--output` pairs.
    var destinations: [ReportDestination] { ReportDestination.pair(formats: format, outputs: output) }

    func run() throws {
        var options = try input.lintOptions()
        for setting in ruleSettings { options.configuration.ruleSeverities[setting.id] = .some(setting.severity) }
        if let failOn { options.configuration.failOn = failOn }
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
                    outputs.append((ReportStream(fmt.reporter(color: false), frame: start, to: file), file, nil))
                } catch {
                    Console.problem("\(error)")
                    writeFailed = true
                }
            } else {
                if fmt == .text { textOnStdout = true }
                let reporter = fmt.reporter(color: useColor && fmt == .text)
                if outputs.contains(where: { $0.file == nil }) {
                    let held = HeldOutput()
                    outputs.append((ReportStream(reporter, frame: start, to: held), nil, held))
                } else {
                    outputs.append((ReportStream(reporter, frame: start, to: stdout), nil, nil))
                }
            }
        }

        let frame = Pipeline.lint(options) { file in
            for output in outputs { output.stream.add(file) }
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
        if writeFailed || !registryProblems.isEmpty { throw ExitCode(2) }
        if frame.summary.files == 0 && !frame.diagnostics.isEmpty { throw ExitCode(2) }
        if let threshold = options.configuration.failOn.threshold, frame.summary.hasFindings(atOrAbove: threshold) {
            throw ExitCode(1)
        }
    }
}
