import ImageReference
import ImagelintCore
import ImagelintKit
import RegistryClient

/// `lint --online`: asks the registries about every tagged reference, before the engine runs.
public enum OnlineCheck {
    /// What the registries said, and one problem per registry that could not answer.
    public struct Result: Sendable {
        public var facts: RegistryFacts
        /// `cannot reach registry localhost:5000: connection refused`, one per registry, sorted.
        public var problems: [String]
    }

    public static func facts(_ options: LintOptions, client: RegistryClient) async -> Result {
        var tagged: [String: (Repository, String)] = [:]
        var pinned: [String: Set<String>] = [:]  // tag key → pinned digests seen with it
        let listing = Pipeline.images(options)
        for o in listing.occurrences {
            guard let ref = o.reference, let tag = ref.tag else { continue }
            let key = RegistryFacts.tagKey(name: ref.name, tag: tag)
            tagged[key] = (Repository(registry: ref.domain, path: ref.path), tag)
            if let d = ref.digest { pinned[key, default: []].insert(d) }
        }

        // One manifest request per distinct tag (the client keeps at most 8 in flight).
        let answers = await withTaskGroup(of: (String, RegistryFacts.TagAnswer, RegistryError?).self) { group in
            for (key, (repo, tag)) in tagged {
                group.addTask {
                    do throws(RegistryError) {
                        let m = try await client.manifest(repo, reference: tag)
                        var platforms: [String: String] = [:]
                        if m.isIndex {
                            for d in m.manifests { platforms[d.digest] = d.platform?.description ?? "unknown" }
                        }
                        return (key, .resolved(digest: m.digest, platforms: platforms), nil)
                    } catch {
                        guard error.isNotFound else { return (key, .unknown, error) }
                        // Distribution answers MANIFEST_UNKNOWN for a missing repository too: its tag list tells.
                        do throws(RegistryError) {
                            _ = try await client.tags(repo, pageSize: 1)
                            return (key, .notFound(repositoryExists: true), nil)
                        } catch {
                            return (key, .notFound(repositoryExists: !error.isNotFound), nil)
                        }
                    }
                }
            }
            var all: [(String, RegistryFacts.TagAnswer, RegistryError?)] = []
            for await a in group { all.append(a) }
            return all
        }
        var facts = RegistryFacts()
        var problems: [String: String] = [:]
        for (key, answer, error) in answers {
            facts.tags[key] = answer
            if let error, problems[error.registry] == nil { problems[error.registry] = error.description }
        }

        // Pinned digests that are neither the tag's nor one of its platforms': known in the repository or not.
        var lookups: [(String, Repository, String)] = []
        for (key, digests) in pinned {
            guard case .resolved(let current, let platforms)? = facts.tags[key], let (repo, _) = tagged[key] else { continue }
            for d in digests where d != current && platforms[d] == nil {
                lookups.append((RegistryFacts.digestKey(name: repo.description, digest: d), repo, d))
            }
        }
        let known = await withTaskGroup(of: (String, Bool?).self) { group in
            for (key, repo, digest) in lookups {
                group.addTask {
                    do throws(RegistryError) {
                        _ = try await client.manifest(repo, reference: digest)
                        return (key, true)
                    } catch {
                        return (key, error.isNotFound ? false : nil)
                    }
                }
            }
            var all: [(String, Bool?)] = []
            for await a in group { all.append(a) }
            return all
        }
        for (key, exists) in known { if let exists { facts.digests[key] = exists } }
        return Result(facts: facts, problems: problems.keys.sorted().map { problems[$0]! })
    }
}
