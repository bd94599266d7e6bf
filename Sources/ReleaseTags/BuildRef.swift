import ImageReference

/// What a CI build was started for: a git tag (a release), a branch, or a pull/merge request.
public enum BuildRef: Sendable, Hashable, CustomStringConvertible {
    case tag(String)
    case branch(String)
    /// A pull request (GitHub) or merge request (GitLab), by number.
    case pullRequest(String)

    /// Reads a full git ref: `refs/tags/T`, `refs/heads/B`, `refs/pull/N/merge` or `refs/pull/N/head`
    /// (and GitLab's `refs/merge-requests/N/head`).
    public static func parse(_ ref: String) throws(ReleaseInputError) -> BuildRef {
        if ref.hasPrefix("refs/tags/"), ref.count > 10 { return .tag(String(ref.dropFirst(10))) }
        if ref.hasPrefix("refs/heads/"), ref.count > 11 { return .branch(String(ref.dropFirst(11))) }
        for prefix in ["refs/pull/", "refs/merge-requests/"] where ref.hasPrefix(prefix) {
            let parts = ref.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false)
            if parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }),
                parts[1] == "merge" || parts[1] == "head"
            {
                return .pullRequest(String(parts[0]))
            }
        }
        throw ReleaseInputError(
            "--ref `\(ref)` is not a ref imagelint knows; expected refs/tags/TAG, refs/heads/BRANCH or refs/pull/N/merge")
    }

    public var description: String {
        switch self {
        case .tag(let t): return "refs/tags/" + t
        case .branch(let b): return "refs/heads/" + b
        case .pullRequest(let n): return "refs/pull/\(n)/merge"
        }
    }

    /// The tag a branch gets: characters outside `[A-Za-z0-9_.-]` become `-`, leading `.` and `-` (which a
    /// tag cannot start with) are dropped, and the result is cut to leave room for `suffix` within 128
    /// characters. Nil when nothing is left.
    public static func branchTag(_ branch: String, suffix: String = "") -> String? {
        var out = ""
        for c in branch.unicodeScalars {
            out.unicodeScalars.append(c.isASCII && ImageReference.isTagByte(UInt8(c.value)) ? c : "-")
        }
        let trimmed = out.drop { $0 == "-" || $0 == "." }
        let room = max(0, 128 - suffix.utf8.count)
        let cut = String(trimmed.prefix(room))
        return cut.isEmpty ? nil : cut
    }
}

/// The ref, commit and source URL a CI system describes in its environment.
public struct CIContext: Sendable, Hashable {
    /// `GitHub Actions` or `GitLab CI`.
    public var system: String
    public var ref: BuildRef
    public var sha: String?
    /// The repository's web address (`GITHUB_SERVER_URL/GITHUB_REPOSITORY`, `CI_PROJECT_URL`).
    public var source: String?
    /// The default branch when the CI system names it (GitLab's `CI_DEFAULT_BRANCH`).
    public var defaultBranch: String?

    /// The variables looked for, in the order they are tried.
    public static let variables = [
        "GITHUB_REF", "GITHUB_SHA", "CI_COMMIT_TAG", "CI_MERGE_REQUEST_IID", "CI_COMMIT_BRANCH", "CI_COMMIT_SHA",
    ]

    /// Reads GitHub Actions' `GITHUB_REF`/`GITHUB_SHA`, else GitLab CI's `CI_COMMIT_TAG`, `CI_MERGE_REQUEST_IID`
    /// (a merge request, `pr-N` like a pull request), `CI_COMMIT_BRANCH` and `CI_COMMIT_SHA`.
    public static func detect(_ env: [String: String]) throws(ReleaseInputError) -> CIContext {
        func value(_ name: String) -> String? {
            guard let v = env[name], !v.isEmpty else { return nil }
            return v
        }
        if let ref = value("GITHUB_REF") {
            var source: String? = nil
            if let server = value("GITHUB_SERVER_URL"), let repository = value("GITHUB_REPOSITORY") {
                source = server + "/" + repository
            }
            let parsed: BuildRef
            do {
                parsed = try BuildRef.parse(ref)
            } catch {
                throw ReleaseInputError("GITHUB_REF `\(ref)` is not a tag, branch or pull request ref")
            }
            return CIContext(system: "GitHub Actions", ref: parsed, sha: value("GITHUB_SHA"), source: source, defaultBranch: nil)
        }
        let ref: BuildRef
        if let tag = value("CI_COMMIT_TAG") {
            ref = .tag(tag)
        } else if let iid = value("CI_MERGE_REQUEST_IID") {
            ref = .pullRequest(iid)
        } else if let branch = value("CI_COMMIT_BRANCH") {
            ref = .branch(branch)
        } else {
            throw ReleaseInputError(
                "no VERSION or --ref, and no CI ref in the environment (looked for \(variables.joined(separator: ", ")))")
        }
        return CIContext(
            system: "GitLab CI", ref: ref, sha: value("CI_COMMIT_SHA"), source: value("CI_PROJECT_URL"),
            defaultBranch: value("CI_DEFAULT_BRANCH"))
    }
}

/// A command-line input that cannot make a release: a bad ref, sha, pattern, version or label.
public struct ReleaseInputError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
