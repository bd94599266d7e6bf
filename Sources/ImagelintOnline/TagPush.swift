import ImageReference
import RegistryClient
import ReleaseTags

/// Release tags read from and applied to the registry: `imagelint tags --existing-from` and `--push`.
public enum TagPush {
    /// What happened (or, with `dryRun`, would happen) to one tag.
    public struct Outcome: Sendable, Hashable, CustomStringConvertible {
        public enum Change: Sendable, Hashable {
            case created
            case moved(from: String)
            case unchanged
        }

        public let tag: String
        public let digest: String
        public let change: Change

        /// `TAG → DIGEST (created|moved from DIGEST|unchanged)`.
        public var description: String {
            let what: String
            switch change {
            case .created: what = "created"
            case .moved(let from): what = "moved from " + from
            case .unchanged: what = "unchanged"
            }
            return "\(tag) → \(digest) (\(what))"
        }
    }

    public struct Result: Sendable {
        /// The plan made from the tags read right before pushing.
        public let plan: ReleasePlan
        /// One per tag of the plan, in its order.
        public let outcomes: [Outcome]
        /// The tags the registry held at the first and at the second read.
        public let firstRead: [String]
        public let secondRead: [String]
    }

    /// Why nothing (more) could be pushed. `exitCode`: 1 for an existing patch tag, 2 otherwise.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let message: String
        public let exitCode: Int32

        public init(_ message: String, exitCode: Int32 = 2) {
            self.message = message
            self.exitCode = exitCode
        }

        public var description: String { message }
    }

    /// Test hooks: `afterFirstRead` runs between computing the plan and re-reading the tags, where a
    /// release that finishes meanwhile would land.
    public struct Hooks: Sendable {
        public var afterFirstRead: (@Sendable () async throws -> Void)?

        public init(afterFirstRead: (@Sendable () async throws -> Void)? = nil) { self.afterFirstRead = afterFirstRead }
    }

    /// The registry repository an image name (`ghcr.io/acme/app`, no tag or digest) names.
    public static func repository(_ image: String) throws(Failure) -> Repository {
        do {
            try ReleaseTags.validateImageName(image)
            let r = try ImageReference.parse(image)
            return Repository(registry: r.domain, path: r.path)
        } catch {
            throw Failure("\(error)")
        }
    }

    /// Every tag of `image`'s repository, page by page; a registry error is a failure, never "no tags".
    public static func existingTags(
        _ image: String, client: RegistryClient, pageSize: Int = 1000
    ) async throws(Failure) -> [String] {
        let repository = try repository(image)
        do {
            return try await client.tags(repository, pageSize: pageSize)
        } catch {
            var message = "cannot list the tags of \(image): \(error)"
            if error.isRepositoryNotFound {
                message += " (for a first release into a new repository, pass --existing /dev/null)"
            }
            throw Failure(message)
        }
    }

    /// Puts `source`'s manifest, bytes unchanged, under each tag `release` gets in `image`'s repository. The
    /// tags are read, the plan made, the tags read again and the plan made anew right before pushing, so a
    /// release that finished meanwhile keeps the floating tags. A fixed tag that exists with another digest
    /// is a failure with exit code 1 unless `allowOverwrite`; a tag already at the digest is left alone.
    public static func push(
        release: Release, image: String, source: String, client: RegistryClient, allowOverwrite: Bool = false,
        dryRun: Bool = false, pageSize: Int = 1000, hooks: Hooks = Hooks()
    ) async throws(Failure) -> Result {
        let repository = try repository(image)
        let sourceRef: ImageReference
        do {
            sourceRef = try ImageReference.parse(source)
        } catch {
            throw Failure("--push \(source): \(error)")
        }
        let imageRef = try? ImageReference.parse(image)
        guard sourceRef.name == imageRef?.name else {
            throw Failure("--push \(source) is not in the repository of --image \(image); push the build there first")
        }
        guard let reference = sourceRef.digest ?? sourceRef.tag else {
            throw Failure("--push \(source) needs a tag or a digest (REPO:TAG or REPO@sha256:…)")
        }
        let manifest: Manifest
        do {
            manifest = try await client.manifest(repository, reference: reference)
        } catch {
            throw Failure("cannot read --push \(source): \(error)")
        }

        var policy = release.policy
        policy.allowOverwrite = true
        var planning = release
        planning.policy = policy
        func plan(_ existing: [String]) throws(Failure) -> ReleasePlan {
            do {
                return try planning.plan(existing: existing)
            } catch {
                throw Failure(error.description)
            }
        }
        let first = try await existingTags(image, client: client, pageSize: pageSize)
        _ = try plan(first)
        if let hook = hooks.afterFirstRead {
            do {
                try await hook()
            } catch {
                throw Failure("\(error)")
            }
        }
        let second = try await existingTags(image, client: client, pageSize: pageSize)
        let final = try plan(second)

        let present = Set(second)
        var current: [String: String] = [:]
        for tag in final.tags where present.contains(tag) {
            do {
                current[tag] = try await client.manifest(repository, reference: tag).digest
            } catch {
                throw Failure("cannot read \(image):\(tag): \(error)")
            }
        }
        if !allowOverwrite {
            for tag in final.fixed {
                if let digest = current[tag], digest != manifest.digest {
                    throw Failure(
                        "tag \(tag) already exists at \(digest); patch tags are immutable (--allow-overwrite moves it)",
                        exitCode: 1)
                }
            }
        }
        var outcomes: [Outcome] = []
        for tag in final.tags {
            let change: Outcome.Change
            switch current[tag] {
            case nil: change = .created
            case manifest.digest?: change = .unchanged
            case let other?: change = .moved(from: other)
            }
            outcomes.append(Outcome(tag: tag, digest: manifest.digest, change: change))
        }
        if !dryRun {
            for outcome in outcomes where outcome.change != .unchanged {
                do {
                    try await client.putManifest(
                        repository, reference: outcome.tag, bytes: manifest.bytes, mediaType: manifest.mediaType)
                } catch {
                    throw Failure("cannot put \(image):\(outcome.tag): \(error)")
                }
            }
        }
        return Result(plan: final, outcomes: outcomes, firstRead: first, secondRead: second)
    }
}
