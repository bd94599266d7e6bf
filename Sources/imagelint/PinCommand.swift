import ArgumentParser
import Dispatch
import ImagelintCore
import ImagelintKit
import ImagelintOnline
import RegistryClient
import Synchronization

/// How `pin` and `lint --online` reach registries.
struct RegistryOptions: ParsableArguments {
    @Option(
        name: .customLong("insecure-registry"),
        help: ArgumentHelp("Reach this registry over plain HTTP (repeatable).", valueName: "host[:port]"))
    var insecureRegistries: [String] = []

    @Option(name: .customLong("registry-timeout"), help: ArgumentHelp("Seconds a registry request may take.", valueName: "s"))
    var timeout: Int = 10

    @Flag(name: .long, help: "Print the number of registry requests and the wall time to standard error.")
    var stats = false

    func validate() throws {
        if timeout < 1 { throw ValidationError("--registry-timeout must be at least 1") }
    }

    func clientOptions(_ configuration: Configuration) -> RegistryClientOptions {
        var o = RegistryClientOptions()
        o.insecureRegistries = Set(insecureRegistries + configuration.insecureRegistries)
        o.timeoutSeconds = timeout
        return o
    }

    func printStatistics(_ client: RegistryClient, since start: ContinuousClock.Instant) {
        guard stats else { return }
        let s = client.statistics
        let elapsed = ContinuousClock.now - start
        let ms = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        Console.error(
            "registry requests: \(s.manifestRequests) manifest, \(s.tokenRequests) token, \(s.tagListRequests) tag list, "
                + "\(s.retries) retried; wall time \(ms) ms")
    }
}

/// Runs async work from a synchronous command and waits for it (the commands stay `ParsableCommand`, so the
/// offline ones never start the concurrency machinery).
func runAsync<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let box = Mutex<T?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        let value = await body()
        box.withLock { $0 = value }
        done.signal()
    }
    done.wait()
    return box.withLock { $0! }
}

struct PinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin",
        abstract: "Pin every tagged image reference to the digest its tag resolves to now.",
        discussion: """
            Rewrites `TAG` to `TAG@sha256:…` (the index digest for multi-platform images) in Dockerfiles \
            (FROM, COPY --from, RUN --mount from=, # syntax=, and the ARG default behind FROM ${BASE}), \
            Kubernetes and CI manifests, compose files and kustomize `images:` entries. Only the reference text \
            changes; files are written atomically. References without a tag, unresolved ones and stage names are \
            left alone and listed as skipped.

            EXAMPLES
              imagelint pin                          pin everything under the current directory
              imagelint pin --dry-run                the diff, exit 1 when something is not pinned (CI check)
              imagelint pin --update deploy/         also move digests whose tag moved
              imagelint pin --insecure-registry localhost:5000 Dockerfile

            EXIT CODES
              0   nothing left to pin (or everything pinned)
              1   --dry-run: something to pin
              2   a reference could not be resolved (the others are still pinned), bad configuration or input
              64  usage error
            """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var registry: RegistryOptions

    @Flag(name: .customLong("dry-run"), help: "Print a unified diff of the changes; write nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Also re-resolve references that carry a digest and replace digests whose tag moved.")
    var update = false

    @Option(name: [.short, .long], help: ArgumentHelp("Output format.", valueName: "text|json"))
    var format: String = "text"

    func validate() throws {
        guard ["text", "json"].contains(format) else { throw ValidationError("--format takes text or json") }
    }

    func run() throws {
        let start = ContinuousClock.now
        var options = PinOptions()
        options.lint = try input.lintOptions()
        options.update = update
        let client = RegistryClient(options: registry.clientOptions(options.lint.configuration))
        let frozen = options
        let plan = runAsync {
            let plan = await Pinner.plan(frozen, client: client)
            await client.shutdown()
            return plan
        }
        var writeFailed = false
        if !dryRun {
            do {
                try Pinner.write(plan)
            } catch {
                Console.problem("\(error)")
                writeFailed = true
            }
        }
        if format == "json" {
            Console.out(plan.json(dryRun: dryRun).serialized())
        } else if dryRun {
            if plan.hasChanges { Console.out(plan.diff) }
            for line in plan.changeLines + plan.skippedLines { Console.error(line) }
            for line in plan.failureLines { Console.error(line) }
            Console.error(plan.summary(dryRun: true))
        } else {
            for line in plan.changeLines + plan.skippedLines { Console.out(line) }
            for line in plan.failureLines { Console.error(line) }
            Console.out(plan.summary(dryRun: false))
        }
        for d in plan.diagnostics { Console.error("\(d.file):\(d.line):\(d.column): \(d.message)") }
        registry.printStatistics(client, since: start)
        if writeFailed || !plan.failed.isEmpty { throw ExitCode(2) }
        if dryRun, plan.hasChanges { throw ExitCode(1) }
    }
}
