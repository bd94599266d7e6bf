import ArgumentParser
import ImagelintCore
import ReleaseTags

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

struct TagsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tags",
        abstract: "Print the release tags a build of VERSION gets: the fixed X.Y.Z and the floating X.Y, X, latest.",
        discussion: """
            The patch tag X.Y.Z is fixed and never overwritten; X.Y, X and latest float to the newest \
            release. With --existing, a floating tag is left out when a newer release already holds it \
            (backports), and an existing patch tag is an error. Pre-releases get only their own tag, plus \
            the --prerelease-tag channel. Build metadata is dropped (tags cannot hold `+`).

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
              skopeo list-tags docker://ghcr.io/acme/app \\
                | imagelint tags 2.1.5 --existing -
              imagelint tags 2.1.5 --image ghcr.io/acme/app --format json

            --existing reads plain lines, a JSON array of strings, or {"Tags": [...]} (skopeo list-tags).

            EXIT CODES
              0   tags printed
              1   the patch tag already exists (see --allow-overwrite)
              2   invalid version, prefix, suffix, image name or --existing input
              64  usage error
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, csv
    }

    enum Latest: String, ExpressibleByArgument, CaseIterable {
        case auto, always, never
    }

    @Argument(help: "The version: semver 2.0.0 with an optional leading `v` (2.1.5, v2.1.5-rc.1, 2.1.5+build.7).")
    var version: String

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

    @Option(parsing: .unconditional, help: ArgumentHelp("The repository's current tags: plain lines, a JSON array or {\"Tags\": [...]}; - for stdin.", valueName: "file"))
    var existing: String?

    @Flag(help: "Allow the patch tag to exist already.")
    var allowOverwrite = false

    @Option(help: ArgumentHelp("Print full references NAME:TAG for this image (repeatable).", valueName: "name"))
    var image: [String] = []

    @Option(help: "Output format.")
    var format: Format = .text

    func run() throws {
        let parsed: SemanticVersion
        do {
            parsed = try SemanticVersion.parse(version, allowLeadingV: true)
        } catch {
            throw Self.fail(error.description, code: 2)
        }
        for name in image {
            do {
                try ReleaseTags.validateImageName(name)
            } catch {
                throw Self.fail(error.description, code: 2)
            }
        }
        var current: [String] = []
        if let existing {
            let text: String
            do {
                text = try Self.readInput(existing)
            } catch {
                throw Self.fail(error.message, code: 2)
            }
            do {
                current = try ExistingTags.parse(text)
            } catch {
                throw Self.fail("--existing \(existing == "-" ? "(stdin)" : existing): \(error)", code: 2)
            }
        }
        let policy = TagPolicy(
            prefix: prefix, suffix: suffix, latest: LatestPolicy(rawValue: latest.rawValue) ?? .auto,
            majorZero: majorZero, includeMajor: !noMajor, includeMinor: !noMinor, prereleaseTag: prereleaseTag,
            keepBuildMetadata: keepBuildMetadata, allowOverwrite: allowOverwrite)
        let plan: TagPlan
        do {
            plan = try ReleaseTags.plan(for: parsed, policy: policy, existing: current)
        } catch {
            switch error {
            case .patchTagExists: throw Self.fail(error.description, code: 1)
            case .invalidTag: throw Self.fail(error.description, code: 2)
            }
        }
        let references = ReleaseTags.references(images: image, tags: plan.tags)
        let lines = image.isEmpty ? plan.tags : references

        switch format {
        case .text, .csv:
            let out = format == .text ? lines.joined(separator: "\n") : lines.joined(separator: ",")
            Console.writeAll(1, out + "\n")
            for skipped in plan.skipped {
                Console.writeAll(2, "skipped \(skipped)\n")
            }
        case .json:
            let json = JSONValue.object([
                ("version", .string(plan.version.description)),
                ("prerelease", .bool(plan.version.isPrerelease)),
                ("tags", .array(plan.tags.map { .string($0) })),
                ("references", .array(references.map { .string($0) })),
                ("skipped", .array(plan.skipped.map { .object([("tag", .string($0.tag)), ("reason", .string($0.reason))]) })),
            ])
            Console.writeAll(1, json.serialized(indent: 2) + "\n")
        }
    }

    /// Prints `error: message` to stderr and returns the exit code to throw.
    private static func fail(_ message: String, code: Int32) -> ExitCode {
        Console.writeAll(2, "error: \(message)\n")
        return ExitCode(code)
    }

    private struct InputError: Error {
        let message: String
    }

    /// The most `--existing` may hold: a registry's tag list of 100,000 tags is about 2 MiB.
    static let existingLimit = 16 << 20

    /// Reads a whole file, or standard input for `-`, up to `existingLimit` bytes (`/dev/zero` or an endless
    /// pipe is refused when it gets there).
    private static func readInput(_ path: String) throws(InputError) -> String {
        let fd: Int32 = path == "-" ? 0 : open(path, O_RDONLY)
        if fd < 0 {
            throw InputError(message: "cannot read --existing \(path): \(String(cString: strerror(errno)))")
        }
        defer { if fd != 0 { _ = close(fd) } }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let what = path == "-" ? "standard input" : path
                throw InputError(message: "cannot read --existing \(what): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            data.append(contentsOf: chunk[0..<n])
            if data.count > existingLimit {
                let what = path == "-" ? "standard input" : path
                throw InputError(message: "--existing \(what) is over the \(existingLimit >> 20) MiB limit")
            }
        }
        return String(decoding: data, as: UTF8.self)
    }
}

private func systemRead(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ n: Int) -> Int {
    read(fd, p, n)
}
