import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Reporters
import Synchronization

/// How the client reaches registries.
public struct RegistryClientOptions: Sendable {
    /// Registries (`host` or `host:port`, as references name them) spoken to over plain HTTP.
    public var insecureRegistries: Set<String> = []
    /// Limit for one request, from connecting to the last byte.
    public var timeoutSeconds: Int = 10
    /// Requests in flight at once, over all registries.
    public var maxConcurrentRequests = 8
    /// Retries after 429 or 5xx (each after a backoff, or the `Retry-After` the registry asked for).
    public var maxRetries = 3
    /// Longest wait between retries, whatever `Retry-After` says.
    public var maxRetryDelaySeconds: Double = 30
    /// Where credentials (`DOCKER_CONFIG`, `REGISTRY_AUTH_FILE`, `HOME`), CA certificates (`SSL_CERT_FILE`) and
    /// proxies (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`) come from.
    public var environment: [String: String] = ProcessInfo.processInfo.environment
    public var userAgent = "imagelint"

    public init() {}
}

/// An OCI Distribution v2 client: manifests by tag or digest, tag lists, manifest uploads; anonymous, Basic
/// and Bearer-token authentication; at most `maxConcurrentRequests` requests in flight; each manifest asked for
/// once per client (answers, failures included, are kept for the client's life).
///
/// Call `shutdown()` when done.
public final class RegistryClient: Sendable {
    public let options: RegistryClientOptions
    let credentials: CredentialStore
    let limiter: Limiter
    let auth = AuthState()
    let manifests = ManifestCache()
    let stats = Mutex(RegistryStatistics())
    let clients = Mutex<[String: HTTPClient]>([:])
    let tls: TLSConfiguration

    public init(options: RegistryClientOptions = RegistryClientOptions()) {
        self.options = options
        self.credentials = CredentialStore(environment: options.environment)
        self.limiter = Limiter(limit: max(1, options.maxConcurrentRequests))
        var tls = TLSConfiguration.makeClientConfiguration()
        if let file = options.environment["SSL_CERT_FILE"], !file.isEmpty {
            tls.additionalTrustRoots = [.file(file)]
        }
        self.tls = tls
    }

    /// Closes connections. The client cannot be used afterwards.
    /// Each registry's credential (or the failure to read it), looked up once.
    let credentialCache = Mutex<[String: Result<Credential?, RegistryError>]>([:])

    public func shutdown() async {
        let all = clients.withLock { c in
            defer { c = [:] }
            return Array(c.values)
        }
        for c in all { try? await c.shutdown() }
    }

    /// Requests sent so far.
    public var statistics: RegistryStatistics { stats.withLock { $0 } }

    // MARK: - API

    /// The manifest `reference` (a tag or a digest) names in `repository`, asking the registry once per client.
    /// The digest is the registry's `Docker-Content-Digest`, checked against the bytes.
    public func manifest(_ repository: Repository, reference: String) async throws(RegistryError) -> Manifest {
        let key = repository.description + (reference.hasPrefix("sha256:") ? "@" : ":") + reference
        let task = await manifests.task(for: key) {
            try await self.fetchManifest(repository, reference: reference)
        }
        do {
            return try await task.value
        } catch let e as RegistryError {
            throw e
        } catch {
            throw RegistryError(.unreachable(Self.describe(error, timeout: options.timeoutSeconds)), registry: repository.registry)
        }
    }

    /// Every tag of `repository`, following `Link` pagination.
    public func tags(_ repository: Repository, pageSize: Int = 1000) async throws(RegistryError) -> [String] {
        struct Page: Decodable {
            var tags: [String]?
        }
        var tags: [String] = []
        var next: String? = "/v2/\(repository.path)/tags/list?n=\(pageSize)"
        var pages = 0
        while let path = next, pages < 10_000 {
            pages += 1
            let response = try await send(.GET, repository, path: path, actions: "pull", kind: .tagList)
            guard response.status == .ok else { throw error(from: response, repository) }
            guard let page = try? JSONDecoder().decode(Page.self, from: Data(response.body)) else {
                throw RegistryError(.invalidResponse("the tag list is not valid JSON"), registry: repository.registry)
            }
            tags += page.tags ?? []
            next = nextLink(response.headers.first(name: "Link"))
            if let n = next, n.hasPrefix("http://") || n.hasPrefix("https://") {
                // An absolute link: keep its path and query (the host is the registry's).
                let afterScheme = n.drop { $0 != "/" }.dropFirst(2)
                next = afterScheme.firstIndex(of: "/").map { String(afterScheme[$0...]) }
            }
        }
        return tags
    }

    /// Puts `bytes` as the manifest `reference` (a tag) in `repository`; returns the digest the registry gives it.
    @discardableResult
    public func putManifest(
        _ repository: Repository, reference: String, bytes: [UInt8], mediaType: String
    ) async throws(RegistryError) -> String {
        let response = try await send(
            .PUT, repository, path: "/v2/\(repository.path)/manifests/\(reference)", actions: "pull,push",
            kind: .manifest, headers: [("Content-Type", mediaType)], body: bytes)
        guard response.status == .created || response.status == .ok else { throw error(from: response, repository) }
        let computed = Self.digest(bytes)
        if let announced = response.headers.first(name: "Docker-Content-Digest"), announced != computed {
            throw RegistryError(
                .invalidResponse("stored the manifest as \(announced), but its bytes hash to \(computed)"),
                registry: repository.registry)
        }
        await manifests.forget(repository.description + ":" + reference)
        return computed
    }

    /// `sha256:` and the hex digest of `bytes`.
    public static func digest(_ bytes: [UInt8]) -> String {
        let hex = SHA256.digest(bytes).map { b in
            let s = String(b, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
        return "sha256:" + hex
    }

    // MARK: - Manifests

    func fetchManifest(_ repository: Repository, reference: String) async throws(RegistryError) -> Manifest {
        let response = try await send(
            .GET, repository, path: "/v2/\(repository.path)/manifests/\(reference)", actions: "pull", kind: .manifest,
            headers: [("Accept", MediaType.accepted.joined(separator: ", "))])
        guard response.status == .ok else { throw error(from: response, repository) }
        let computed = Self.digest(response.body)
        let announced = response.headers.first(name: "Docker-Content-Digest")
        if let announced, announced.hasPrefix("sha256:"), announced != computed {
            throw RegistryError(
                .invalidResponse("the manifest's bytes hash to \(computed), not to the announced \(announced)"),
                registry: repository.registry)
        }
        if reference.hasPrefix("sha256:"), reference != computed {
            throw RegistryError(
                .invalidResponse("asked for \(reference), got bytes that hash to \(computed)"), registry: repository.registry)
        }
        do throws(RegistryError.Kind) {
            return try Manifest(digest: computed, contentType: response.headers.first(name: "Content-Type"), bytes: response.body)
        } catch {
            throw RegistryError(error, registry: repository.registry)
        }
    }

    // MARK: - Requests

    enum RequestKind { case manifest, tagList, token }

    struct Response: Sendable {
        var status: HTTPResponseStatus
        var headers: HTTPHeaders
        var body: [UInt8]
    }

    struct ErrorBody: Decodable {
        struct Item: Decodable {
            var code: String?
            var message: String?
        }
        var errors: [Item]?
        var details: String?
    }

    /// The registry's own error code and words, from its JSON error body.
    static func registryMessage(_ response: Response) -> (code: String?, message: String) {
        if let body = try? JSONDecoder().decode(ErrorBody.self, from: Data(response.body)),
            let first = body.errors?.first
        {
            return (first.code, first.message ?? first.code ?? "")
        }
        let text = String(decoding: response.body.prefix(200), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let printable = text.contains("<") ? "" : text
        return (nil, printable.isEmpty ? response.status.reasonPhrase.lowercased() : printable)
    }

    func error(from response: Response, _ repository: Repository) -> RegistryError {
        let (code, message) = Self.registryMessage(response)
        let kind: RegistryError.Kind
        switch response.status.code {
        case 404: kind = .notFound(code: code, message: message)
        case 401, 403: kind = .unauthorized("\(response.status.code) \(response.status.reasonPhrase): \(message)")
        default: kind = .status(Int(response.status.code), "\(response.status.reasonPhrase)\(message.isEmpty ? "" : ": " + message)")
        }
        return RegistryError(kind, registry: repository.registry)
    }

    func scheme(_ registry: String) -> String {
        options.insecureRegistries.contains(registry) || options.insecureRegistries.contains(Registry.hostOnly(registry))
            ? "http" : "https"
    }

    /// Sends a request to the registry of `repository`, authenticating as it asks (once), retrying after 429
    /// and 5xx. Answers other than those are returned, not thrown.
    func send(
        _ method: HTTPMethod, _ repository: Repository, path: String, actions: String, kind: RequestKind,
        headers: [(String, String)] = [], body: [UInt8]? = nil
    ) async throws(RegistryError) -> Response {
        let registry = repository.registry
        let url = scheme(registry) + "://" + repository.endpointHost + path
        let scope = "repository:\(repository.path):\(actions)"
        var authorization = try await authorizationHeader(registry: registry, scope: scope)
        var authenticated = false
        while true {
            var all = headers
            if let authorization { all.append(("Authorization", authorization)) }
            let response = try await sendRetrying(method, url: url, registry: registry, kind: kind, headers: all, body: body)
            guard response.status == .unauthorized, !authenticated else { return response }
            authenticated = true
            guard let header = response.headers.first(name: "WWW-Authenticate"), let challenge = AuthChallenge.parse(header)
            else { return response }
            await auth.setChallenge(challenge, for: registry)
            await auth.forgetToken(registry: registry, scope: scope)
            let credential = try credential(for: registry)
            if credential == nil, challenge.scheme == .basic {
                throw RegistryError(
                    .unauthorized("it asks for credentials and none are stored for it (\(credentials.files.joined(separator: ", ")))"),
                    registry: registry)
            }
            authorization = try await authorizationHeader(registry: registry, scope: scope)
            if authorization == nil { return response }
        }
    }

    /// Sends one request, retrying after 429 and 5xx with backoff (or the `Retry-After` asked for).
    func sendRetrying(
        _ method: HTTPMethod, url: String, registry: String, kind: RequestKind, headers: [(String, String)],
        body: [UInt8]?
    ) async throws(RegistryError) -> Response {
        var attempt = 0
        while true {
            let response = try await sendOnce(method, url: url, registry: registry, kind: kind, headers: headers, body: body)
            let code = response.status.code
            guard code == 429 || (500...599).contains(code), attempt < options.maxRetries else { return response }
            var delay = 0.25 * Double(1 << attempt)
            if let value = response.headers.first(name: "Retry-After"), let seconds = Double(value.trimmingCharacters(in: .whitespaces)) {
                delay = seconds
            }
            delay = min(max(delay, 0), options.maxRetryDelaySeconds)
            attempt += 1
            stats.withLock { $0.retries += 1 }
            try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
        }
    }

    func sendOnce(
        _ method: HTTPMethod, url: String, registry: String, kind: RequestKind, headers: [(String, String)],
        body: [UInt8]?
    ) async throws(RegistryError) -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "User-Agent", value: options.userAgent)
        for (k, v) in headers { request.headers.add(name: k, value: v) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        stats.withLock { s in
            switch kind {
            case .manifest: s.manifestRequests += 1
            case .tagList: s.tagListRequests += 1
            case .token: s.tokenRequests += 1
            }
        }
        await limiter.acquire()
        do {
            let client = try httpClient(for: url, registry: registry)
            let timeout = TimeAmount.seconds(Int64(options.timeoutSeconds))
            let response = try await client.execute(request, timeout: timeout)
            let bytes = try await response.body.collect(upTo: 16 << 20)
            await limiter.release()
            return Response(status: response.status, headers: response.headers, body: Array(bytes.readableBytesView))
        } catch let e as RegistryError {
            await limiter.release()
            throw e
        } catch {
            await limiter.release()
            throw RegistryError(.unreachable(Self.describe(error, timeout: options.timeoutSeconds)), registry: registry)
        }
    }
}

/// At most `limit` holders at once; the others wait in line.
actor Limiter {
    let limit: Int
    var inUse = 0
    var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = limit }

    func acquire() async {
        if inUse < limit {
            inUse += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            inUse -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// One fetch per manifest reference, shared by everyone who asks for it.
actor ManifestCache {
    var tasks: [String: Task<Manifest, any Error>] = [:]

    func task(for key: String, _ make: @escaping @Sendable () async throws -> Manifest) -> Task<Manifest, any Error> {
        if let t = tasks[key] { return t }
        let t = Task { try await make() }
        tasks[key] = t
        return t
    }

    func forget(_ key: String) { tasks[key] = nil }
}
