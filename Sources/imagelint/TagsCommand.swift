import ArgumentParser
import Foundation
import ImagelintCore
import ImagelintKit
import ImagelintOnline
import RegistryClient
import ReleaseTags
import SystemPackage


struct TagsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tags",
        abstract: "Print the release tags a build gets: the fixed X.Y.Z and the floating X.Y, X, latest; or push them.",
        discussion: """
            The patch tag X.Y.Z is fixed and never overwritten; X.Y, X and latest float to the newest \
            release. With --existing or --existing-from, a floating tag is left out when a newer release \
            already holds it (backports), and an existing patch tag is an error. Pre-releases get only their \
            own tag, plus the --prerelease-tag channel. Build metadata is dropped (tags cannot hold `+`).

            The version comes from VERSION, from --ref (refs/tags/T, refs/heads/B, refs/pull/N/merge), or, \
            with neither, from the CI environment (GITHUB_REF and GITHUB_SHA; CI_COMMIT_TAG, \
            CI_MERGE_REQUEST_IID, CI_COMMIT_BRANCH and CI_COMMIT_SHA). A branch gets its name as a tag (and \
            edge on the default branch), a pull or merge request pr-N; neither gets version tags or latest.

            EXAMPLES
              imagelint tags 2.1.5                      # 2.1.5 2.1 2 latest
              imagelint tags v0.4.1                     # 0.4.1 0.4 latest
              imagelint tags 2.1.5 --prefix v           # v2.1.5 v2.1 v2 latest
              imagelint tags 2.1.5 --suffix -alpine     # 2.1.5-alpine 2.1-alpine
                                                        # 2-alpine alpine
              imagelint tags 2.1.5-rc.1 --prerelease-tag next
                                                        # 2.1.5-rc.1 next
              imagelint tags 1.1.1 --existing tags.txt  # 1.1.1 1.1 1, and on stderr:
                                                        # skipped latest: 2.0.1 is newer
              imagelint tags --ref refs/heads/main --sha 4f1c9e2d   # main edge sha-4f1c9e2
              imagelint tags api/v1.4.2 --match '^api/v(.+)$'       # 1.4.2 1.4 1 latest
              imagelint tags 2024.05.1 --scheme calver  # 2024.05.1 2024.05 latest
              imagelint tags --existing-from ghcr.io/a/app --format github
                                                        # tags, labels… to $GITHUB_OUTPUT
              imagelint tags 2.1.5 --image ghcr.io/a/app --push ghcr.io/a/app@sha256:…

            --existing reads skopeo's {"Repository": …, "Tags": [...]}, the registry's {"name": …, "tags": \
            [...]}, a JSON array of strings, or plain lines that are each a tag; anything else (an error page, \
            an error message, whitespace) is exit 2. Only an empty file means "no tags yet".

            EXIT CODES
              0   tags printed (or pushed)
              1   the patch tag already exists (see --allow-overwrite)
              2   a bad version, ref, pattern, label, image or --existing; a registry error
              64  usage error
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, csv, github, bake
    }

    enum Latest: String, ExpressibleByArgument, CaseIterable {
        case auto, always, never
    }

    enum Scheme: String, ExpressibleByArgument, CaseIterable {
        case semver, calver
    }

    @Argument(help: "The version: semver 2.0.0 with an optional leading `v` (2.1.5, v2.1.5-rc.1, 2.1.5+build.7), or a tag --match reads.")
    var version: String?

    @Option(help: ArgumentHelp("A git ref: refs/tags/T, refs/heads/B or refs/pull/N/merge (default: the CI environment's).", valueName: "ref"))
    var ref: String?

    @Option(help: ArgumentHelp("The commit: adds sha-XXXXXXX and the revision label.", valueName: "sha"))
    var sha: String?

    @Option(help: ArgumentHelp("A release tag must match this pattern; its first capture group is the version.", valueName: "regex"))
    var match: String?

    @Option(help: ArgumentHelp("The branch that gets edge (default: GitLab's CI_DEFAULT_BRANCH, else main).", valueName: "branch"))
    var defaultBranch: String?

    @Option(help: "How versions are written: semver (X.Y.Z) or calver (YYYY.MM.MICRO, YY.0M.MICRO).")
    var scheme: Scheme = .semver

    @Flag(help: "With --scheme calver, also the year tag YYYY.")
    var calverYear = false

    @Option(parsing: .unconditional, help: "Put before each version tag (not before latest or the channel tag).")
    var prefix: String = ""

    @Option(parsing: .unconditional, help: "Put after each tag; latest becomes the bare variant name (-alpine gives alpine).")
    var suffix: String = ""

    @Option(help: "When to add latest: auto (only for the highest known release), always or never.")
    var latest: Latest = .auto

    @Flag(help: "Add the major tag 0 for 0.y.z releases.")
    var majorZero = false

    @Flag(help: "Leave out the major tag X.")
    var noMajor = false

    @Flag(help: "Leave out the minor tag X.Y.")
    var noMinor = false

    @Option(help: ArgumentHelp("Floating channel tag for pre-releases (e.g. next).", valueName: "name"))
    var prereleaseTag: String?

    @Flag(help: "Also add the fixed tag with build metadata, + written as _ (2.1.5_build.7).")
    var keepBuildMetadata = false

    @Option(parsing: .unconditional, help: ArgumentHelp("The repository's current tags: skopeo or registry JSON, a JSON array or plain lines; - for stdin.", valueName: "file"))
    var existing: String?

    @Option(help: ArgumentHelp("Read the repository's current tags from the registry.", valueName: "image"))
    var existingFrom: String?

    @Option(help: ArgumentHelp("Tags asked for per tag-list page.", valueName: "n"))
    var tagsPageSize: Int = 1000

    @Flag(help: "Allow the patch tag to exist already.")
    var allowOverwrite = false

    @Option(help: ArgumentHelp("Print full references NAME:TAG for this image (repeatable).", valueName: "name"))
    var image: [String] = []

    @Option(help: ArgumentHelp("A label (and annotation) beyond the OCI ones (repeatable).", valueName: "key=value"))
    var label: [String] = []

    @Option(help: ArgumentHelp("The source repository URL (default: from GITHUB_SERVER_URL/GITHUB_REPOSITORY or CI_PROJECT_URL).", valueName: "url"))
    var source: String?

    @Option(help: ArgumentHelp("Put SOURCE's manifest, bytes unchanged, under each tag in --image's repository.", valueName: "source"))
    var push: String?

    @Flag(help: "With --push, print what would move where; push nothing.")
    var dryRun = false

    @Option(help: "Output format: text, json, csv, github ($GITHUB_OUTPUT) or bake (a docker buildx bake file).")
    var format: Format = .text

    @OptionGroup var registry: RegistryOptions

    func validate() throws {
        if version != nil, ref != nil { throw ValidationError("give VERSION or --ref, not both") }
        if existing != nil, existingFrom != nil { throw ValidationError("give --existing or --existing-from, not both") }
        if calverYear, scheme != .calver { throw ValidationError("--calver-year needs --scheme calver") }
        if dryRun, push == nil { throw ValidationError("--dry-run needs --push") }
        if tagsPageSize < 1 { throw ValidationError("--tags-page-size must be at least 1") }
        if push != nil {
            if image.count != 1 { throw ValidationError("--push needs exactly one --image, the repository to tag in") }
            if existing != nil || existingFrom != nil {
                throw ValidationError("--push reads the tags of --image's repository itself; leave out --existing and --existing-from")
            }
        }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        if format == .github, environment["GITHUB_OUTPUT", default: ""].isEmpty {
            // Before anything is read or pushed.
            throw Self.fail("--format github appends to $GITHUB_OUTPUT, which is not set (run it in a GitHub Actions step)", code: 2)
        }
        var input = ReleaseInput()
        input.version = version
        input.ref = ref
        input.sha = sha
        input.match = match
        input.defaultBranch = defaultBranch
        input.scheme = VersionScheme(rawValue: scheme.rawValue) ?? .semver
        input.calverYear = calverYear
        input.policy = TagPolicy(
            prefix: prefix, suffix: suffix, latest: LatestPolicy(rawValue: latest.rawValue) ?? .auto,
            majorZero: majorZero, includeMajor: !noMajor, includeMinor: !noMinor, prereleaseTag: prereleaseTag,
            keepBuildMetadata: keepBuildMetadata, allowOverwrite: allowOverwrite)
        input.labels = label
        input.source = source
        input.environment = environment
        let release: Release
        do {
            release = try Release.resolve(input, now: time(nil))
        } catch {
            throw Self.fail(error.description, code: 2)
        }
        for name in image + (existingFrom.map { [$0] } ?? []) {
            do {
                try ReleaseTags.validateImageName(name)
            } catch {
                throw Self.fail(error.description, code: 2)
            }
        }

        let plan: ReleasePlan
        if let push {
            plan = try pushTags(release, source: push)
        } else {
            var current: [String] = []
            if let existing {
                let text: String
                do {
                    text = try Self.readInput(existing)
                } catch {
                    throw Self.fail(error.message, code: 2)
                }
                if existing == "-", text.isEmpty {
                    Console.problem(
                        "warning: --existing - read nothing: no tags yet (a failed listing piped in reads the same; "
                            + "use `set -o pipefail` or --existing-from)")
                }
                do {
                    current = try ExistingTags.parse(text)
                } catch {
                    throw Self.fail("--existing \(existing == "-" ? "(stdin)" : existing): \(error)", code: 2)
                }
            } else if let existingFrom {
                current = try readRegistry { client in
                    try await TagPush.existingTags(existingFrom, client: client, pageSize: tagsPageSize)
                }
            }
            do {
                plan = try release.plan(existing: current)
            } catch {
                switch error {
                case .patchTagExists: throw Self.fail(error.description, code: 1)
                case .invalidTag: throw Self.fail(error.description, code: 2)
                }
            }
        }
        try output(plan, release: release, environment: environment, quiet: push != nil)
    }

    /// Runs registry work with a client made from the registry options; a failure is exit 2 (or its own code).
    private func readRegistry<T: Sendable>(_ body: @escaping @Sendable (RegistryClient) async throws -> T) throws -> T {
        let client = RegistryClient(options: registry.clientOptions(Configuration()))
        let start = ContinuousClock.now
        let result: Result<T, TagPush.Failure> = runAsync {
            let r: Result<T, TagPush.Failure>
            do {
                r = .success(try await body(client))
            } catch let e as TagPush.Failure {
                r = .failure(e)
            } catch {
                r = .failure(TagPush.Failure("\(error)"))
            }
            await client.shutdown()
            return r
        }
        registry.printStatistics(client, since: start)
        switch result {
        case .success(let v): return v
        case .failure(let e): throw Self.fail(e.message, code: e.exitCode)
        }
    }

    private func pushTags(_ release: Release, source: String) throws -> ReleasePlan {
        let (target, allowOverwrite, dryRun, pageSize) = (image[0], allowOverwrite, dryRun, tagsPageSize)
        let result = try readRegistry { client in
            try await TagPush.push(
                release: release, image: target, source: source, client: client, allowOverwrite: allowOverwrite,
                dryRun: dryRun, pageSize: pageSize)
        }
        let lines = result.outcomes.map { $0.description }.joined(separator: "\n") + "\n"
        Console.writeAll(format == .text ? 1 : 2, lines)
        for skipped in result.plan.skipped { Console.writeAll(2, "skipped \(skipped)\n") }
        if dryRun { Console.writeAll(2, "dry run: nothing pushed\n") }
        return result.plan
    }

    private func output(_ plan: ReleasePlan, release: Release, environment: [String: String], quiet: Bool) throws {
        let references = ReleaseTags.references(images: image, tags: plan.tags)
        let lines = image.isEmpty ? plan.tags : references
        switch format {
        case .text, .csv:
            if quiet { return }
            let out = format == .text ? lines.joined(separator: "\n") : lines.joined(separator: ",")
            Console.writeAll(1, out + "\n")
            for skipped in plan.skipped {
                Console.writeAll(2, "skipped \(skipped)\n")
            }
        case .json:
            let json = ReleaseOutput.json(plan, references: references, metadata: release.metadata)
            Console.writeAll(1, json.serialized(indent: 2) + "\n")
        case .bake:
            Console.writeAll(1, ReleaseOutput.bake(tags: lines, metadata: release.metadata))
        case .github:
            let path = environment["GITHUB_OUTPUT", default: ""]
            let text = ReleaseOutput.github(ReleaseOutput.githubOutputs(plan, references: references, metadata: release.metadata))
            if let problem = Self.append(text, to: path) {
                throw Self.fail("cannot append to $GITHUB_OUTPUT \(path): \(problem)", code: 2)
            }
            Console.writeAll(1, lines.joined(separator: "\n") + "\n")
            if !quiet { for skipped in plan.skipped { Console.writeAll(2, "skipped \(skipped)\n") } }
        }
    }

    /// Appends `text` to the file at `path` (O_APPEND, every byte written), so steps writing outputs at once
    /// do not interleave; nil when done, else why not.
    private static func append(_ text: String, to path: String) -> String? {
        do {
            let fd = try FileDescriptor.open(
                FilePath(path), .writeOnly, options: [.append, .create, .closeOnExec], permissions: [.ownerReadWrite, .groupRead, .otherRead])
            try fd.closeAfter {
                _ = try fd.writeAll(Array(text.utf8))
            }
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Reports `message` the way every command does and returns the exit code to throw.
    private static func fail(_ message: String, code: Int32) -> ExitCode {
        Console.fail(message, exitCode: code)
    }

    /// The most `--existing` may hold: a registry's tag list of 100,000 tags is about 2 MiB.
    static let existingLimit = 16 << 20

    /// Reads a whole file (a FIFO too), or standard input for `-`, up to `existingLimit` bytes (`/dev/zero` or
    /// an endless pipe is refused when it gets there).
    private static func readInput(_ path: String) throws(InputProblem) -> String {
        let read = path == "-" ? FileSystem.readStandardInput(limit: existingLimit) : FileSystem.readList(path, limit: existingLimit)
        switch read {
        case .success(let bytes):
            return String(decoding: bytes, as: UTF8.self)
        case .failure(let problem):
            var message = problem.message
            if message.hasSuffix("; skipped") { message.removeLast(9) }
            throw InputProblem(path: path, message: "cannot read --existing \(path == "-" ? "(stdin)" : path): \(message)")
        }
    }
}
