import ImageReference
import ImagelintCore
import ImagelintKit
import RegistryClient

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `imagelint pin` does.
public struct PinOptions: Sendable {
    public var lint = LintOptions()
    /// Also re-resolve references that carry a digest, replacing digests whose tag moved.
    public var update = false

    public init() {}
}

/// One reference rewritten (or to rewrite).
public struct PinChange: Sendable, Hashable {
    public var file: String
    /// Where the rewritten text starts: the reference, the `ARG` default that supplies it, or the kustomize
    /// entry's `name`.
    public var line: Int
    public var column: Int
    /// The reference as it resolves now, and as it will.
    public var from: String
    public var to: String
    /// True when a digest was replaced (`--update`), false when one was added.
    public var updated: Bool
}

/// A reference left alone, and why.
public struct PinSkip: Sendable, Hashable {
    public var file: String
    public var line: Int
    public var column: Int
    public var image: String
    public var reason: String
}

/// A reference the registry could not resolve, with its answer.
public struct PinFailure: Sendable, Hashable {
    public var file: String
    public var line: Int
    public var column: Int
    public var image: String
    public var error: String
}

/// A file's bytes before and after.
public struct PinnedFile: Sendable {
    public var path: String
    public var old: [UInt8]
    public var new: [UInt8]
}

/// The outcome of resolving every reference of a set of files.
public struct PinPlan: Sendable {
    public var changes: [PinChange] = []
    public var skipped: [PinSkip] = []
    public var failed: [PinFailure] = []
    /// Files that change, in path order.
    public var files: [PinnedFile] = []
    /// References that already carry the digest their tag resolves to (or any digest, without `--update`).
    public var alreadyPinned = 0
    /// Problems reading or parsing files.
    public var diagnostics: [Diagnostic] = []
}

/// `imagelint pin`: rewrites `TAG` to `TAG@sha256:…` in place, byte-exact, nothing else in the file changing.
public enum Pinner {
    /// An edit of one file: bytes `range` become `replacement`.
    struct Edit: Hashable {
        var range: Range<Int>
        var replacement: [UInt8]
    }

    /// Where a reference's text lives and how to give it a digest.
    struct Target {
        var occurrence: Occurrence
        var reference: ImageReference
        /// The bytes holding the reference text (for a kustomize entry without `digest:`, an empty range at the
        /// end of the `name:` line, where the new line goes).
        var range: Range<Int>
        var line: Int
        var column: Int
        /// The reference as shown in messages.
        var shown: String
        /// Builds the replacement from the digest.
        var rewrite: @Sendable (String) -> [UInt8]
    }

    /// Resolves every tagged reference and computes the new contents of each file. Writes nothing.
    public static func plan(_ options: PinOptions, client: RegistryClient) async -> PinPlan {
        var plan = PinPlan()
        var targets: [Target] = []
        var texts: [String: SourceText] = [:]
        var order: [String] = []
        let listing = Pipeline.images(options.lint)
        plan.diagnostics = listing.diagnostics
        for o in listing.occurrences {
            let text: SourceText
            if let t = texts[o.file] {
                text = t
            } else {
                guard case .success(let bytes) = FileSystem.read(o.file, limit: options.lint.maxFileSize) else { continue }
                text = SourceText(bytes)
                texts[o.file] = text
                order.append(o.file)
            }
            switch target(o, text: text, options: options) {
            case .pin(let t): targets.append(t)
            case .skip(let reason):
                plan.skipped.append(
                    PinSkip(file: o.file, line: o.span.line, column: o.span.column, image: o.written, reason: reason))
            case .alreadyPinned: plan.alreadyPinned += 1
            }
        }

        // One request per distinct tag, all at once (the client keeps at most 8 in flight).
        var distinct: [String: (Repository, String)] = [:]
        for t in targets {
            let r = t.reference
            distinct[r.name + ":" + r.tag!] = (Repository(registry: r.domain, path: r.path), r.tag!)
        }
        let answers = await withTaskGroup(of: (String, Result<String, RegistryError>).self) { group in
            for (key, (repo, tag)) in distinct {
                group.addTask {
                    do {
                        let digest = try await client.manifest(repo, reference: tag).digest
                        return (key, .success(digest))
                    } catch let e as RegistryError {
                        return (key, .failure(e))
                    } catch {
                        return (key, .failure(RegistryError(.local("\(error)"), registry: repo.registry)))
                    }
                }
            }
            var all: [String: Result<String, RegistryError>] = [:]
            for await (k, v) in group { all[k] = v }
            return all
        }

        var edits: [String: Set<Edit>] = [:]
        for t in targets {
            let r = t.reference
            let answer =
                answers[r.name + ":" + r.tag!]
                ?? .failure(RegistryError(.local("no answer for this reference"), registry: r.domain))
            switch answer {
            case .failure(let error):
                plan.failed.append(
                    PinFailure(
                        file: t.occurrence.file, line: t.line, column: t.column, image: t.shown,
                        error: failureText(error, r)))
            case .success(let digest):
                if r.digest == digest {
                    plan.alreadyPinned += 1
                    continue
                }
                let edit = Edit(range: t.range, replacement: t.rewrite(digest))
                if edits[t.occurrence.file, default: []].insert(edit).inserted {
                    let base = t.shown.split(separator: "@", maxSplits: 1)[0]
                    plan.changes.append(
                        PinChange(
                            file: t.occurrence.file, line: t.line, column: t.column, from: t.shown,
                            to: base + "@" + digest, updated: r.digest != nil))
                }
            }
        }
        for path in order {
            guard let set = edits[path], let text = texts[path] else { continue }
            var bytes = text.bytes
            for e in set.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
                bytes.replaceSubrange(e.range, with: e.replacement)
            }
            if bytes != text.bytes { plan.files.append(PinnedFile(path: path, old: text.bytes, new: bytes)) }
        }
        plan.changes.sort { a, b in
            if a.file != b.file { return a.file.utf8.lexicographicallyPrecedes(b.file.utf8) }
            return (a.line, a.column) < (b.line, b.column)
        }
        return plan
    }

    static func failureText(_ error: RegistryError, _ r: ImageReference) -> String {
        if error.isNotFound { return "tag `\(r.tag!)` not found in \(r.domain)/\(r.path): \(error)" }
        return error.description
    }

    /// Writes each changed file atomically, keeping its permissions. Stops at the first failure.
    public static func write(_ plan: PinPlan) throws(InputProblem) {
        for f in plan.files {
            var st = stat()
            let mode = stat(f.path, &st) == 0 ? st.st_mode & 0o7777 : 0o644
            let file = try AtomicFile(path: f.path)
            do throws(InputProblem) {
                try file.write(f.new)
                try file.commit()
            } catch {
                file.abort()
                throw error
            }
            if mode != 0o644 { chmod(f.path, mode) }
        }
    }
}
