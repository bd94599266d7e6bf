import Foundation

/// A repository in a registry, as an image reference names it: `docker.io` + `library/nginx`.
public struct Repository: Hashable, Sendable, CustomStringConvertible {
    /// The registry as written in references (`docker.io`, `ghcr.io`, `localhost:5000`).
    public var registry: String
    /// The repository path (`library/nginx`, `acme/api`).
    public var path: String

    public init(registry: String, path: String) {
        self.registry = registry
        self.path = path
    }

    public var description: String { registry + "/" + path }

    /// The host the Distribution API answers on: Docker Hub's is `registry-1.docker.io`.
    public var endpointHost: String { Registry.endpointHost(registry) }
}

public enum Registry {
    /// The host serving the API for a registry as references name it.
    public static func endpointHost(_ registry: String) -> String {
        switch registry {
        case "docker.io", "index.docker.io", "registry-1.docker.io": "registry-1.docker.io"
        default: registry
        }
    }

    /// True for `localhost`, `127.x.x.x` and `[::1]` (with or without a port).
    static func isLoopback(_ hostPort: String) -> Bool {
        let host = Registry.hostOnly(hostPort)
        return host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }

    /// `host:port` → `host` (`[::1]:5000` → `::1`).
    static func hostOnly(_ hostPort: String) -> String {
        if hostPort.hasPrefix("[") {
            if let close = hostPort.firstIndex(of: "]") { return String(hostPort[hostPort.index(after: hostPort.startIndex)..<close]) }
            return hostPort
        }
        if let colon = hostPort.lastIndex(of: ":") { return String(hostPort[..<colon]) }
        return hostPort
    }
}

/// The media types of the manifests a tag can point to.
public enum MediaType {
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"

    /// The `Accept` header of a manifest request: all four.
    public static let accepted = [ociIndex, dockerManifestList, ociManifest, dockerManifest]

    public static func isIndex(_ mediaType: String) -> Bool { mediaType == ociIndex || mediaType == dockerManifestList }
}

/// A platform as an index entry names it.
public struct Platform: Codable, Hashable, Sendable, CustomStringConvertible {
    public var architecture: String
    public var os: String
    public var variant: String?

    public init(os: String, architecture: String, variant: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
    }

    public var description: String { [os, architecture, variant].compactMap { $0 }.joined(separator: "/") }
}

/// An entry of an index (or a manifest's config or layer).
public struct Descriptor: Codable, Hashable, Sendable {
    public var mediaType: String
    public var digest: String
    public var size: Int
    public var platform: Platform?
    public var annotations: [String: String]?

    public init(mediaType: String, digest: String, size: Int, platform: Platform? = nil) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.platform = platform
    }
}

/// A manifest as the registry served it: the exact bytes, their digest, and what they say.
public struct Manifest: Sendable, Hashable {
    /// The digest of `bytes` (checked against the registry's `Docker-Content-Digest`).
    public var digest: String
    public var mediaType: String
    public var bytes: [UInt8]
    /// For an index: its entries (one per platform, plus attestations).
    public var manifests: [Descriptor]

    public var isIndex: Bool { MediaType.isIndex(mediaType) }

    /// The body as the registry's JSON names its parts.
    struct Body: Decodable {
        var schemaVersion: Int?
        var mediaType: String?
        var manifests: [Descriptor]?
        var config: Descriptor?
        var layers: [Descriptor]?
    }

    init(digest: String, contentType: String?, bytes: [UInt8]) throws(RegistryError.Kind) {
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: Data(bytes))
        } catch {
            throw .invalidResponse("the manifest is not valid JSON")
        }
        var type = body.mediaType ?? contentType.map { String($0.split(separator: ";")[0]).trimmingCharacters(in: .whitespaces) }
        if type == nil || type == "application/json" {
            type = body.manifests != nil ? MediaType.ociIndex : MediaType.ociManifest
        }
        self.digest = digest
        self.mediaType = type!
        self.bytes = bytes
        self.manifests = body.manifests ?? []
    }
}

/// Why the registry could not answer, with its own words where it gave some.
public struct RegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Error, Sendable, Hashable {
        /// 404: the tag, digest or repository is not there (`MANIFEST_UNKNOWN`, `NAME_UNKNOWN`…).
        case notFound(code: String?, message: String)
        /// 401/403 after authenticating, or credentials that the token server refused.
        case unauthorized(String)
        /// No connection, a timeout, a TLS failure.
        case unreachable(String)
        /// Any other status, after retries.
        case status(Int, String)
        /// A body or header that breaks the protocol (including bytes whose digest is not the one announced).
        case invalidResponse(String)
        /// A problem on this side: a credential helper that failed, an unreadable config file.
        case local(String)
    }

    public var kind: Kind
    /// The registry as references name it (`docker.io`, `localhost:5000`).
    public var registry: String

    public init(_ kind: Kind, registry: String) {
        self.kind = kind
        self.registry = registry
    }

    public var isNotFound: Bool {
        if case .notFound = kind { return true }
        return false
    }

    /// `NAME_UNKNOWN` and friends: the repository itself is not there.
    public var isRepositoryNotFound: Bool {
        if case .notFound(let code?, _) = kind { return code == "NAME_UNKNOWN" || code == "NAME_INVALID" }
        return false
    }

    /// A short sentence: `registry localhost:5000 answered 401 Unauthorized: authentication required`.
    public var description: String {
        switch kind {
        case .notFound(_, let m): "registry \(registry) answered 404 Not Found: \(m)"
        case .unauthorized(let m): "registry \(registry) refused the credentials: \(m)"
        case .unreachable(let m): "cannot reach registry \(registry): \(m)"
        case .status(let s, let m): "registry \(registry) answered \(s)\(m.isEmpty ? "" : ": " + m)"
        case .invalidResponse(let m): "registry \(registry) sent an invalid answer: \(m)"
        case .local(let m): "registry \(registry): \(m)"
        }
    }
}

/// What a run asked of registries: requests by kind.
public struct RegistryStatistics: Sendable, Hashable {
    /// HTTP requests for manifests (GET and PUT, retries and authentication retries included).
    public var manifestRequests = 0
    /// Requests to token servers.
    public var tokenRequests = 0
    /// Requests for tag lists (pages).
    public var tagListRequests = 0
    /// Requests that were retried after 429 or 5xx.
    public var retries = 0

    public init() {}

    public var total: Int { manifestRequests + tokenRequests + tagListRequests }
}
