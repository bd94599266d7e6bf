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

    func credential(for registry: String) throws(RegistryError) -> Credential? {
        try credentialCache.withLock { cache throws(RegistryError) in
            if let known = cache[registry] { return try known.get() }
            do throws(RegistryError) {
                let c = try credentials.credential(for: registry)
                cache[registry] = .success(c)
                return c
            } catch {
                cache[registry] = .failure(error)
                throw error
            }
        }
    }
    let credentialCache = Mutex<[String: Result<Credential?, RegistryError>]>([:])

    /// The `Authorization` value for a request, from what the registry asked for before (nil: none yet).
    func authorizationHeader(registry: String, scope: String) async throws(RegistryError) -> String? {
        guard let challenge = await auth.challenge(for: registry) else { return nil }
        let credential = try credential(for: registry)
        switch challenge.scheme {
        case .basic:
            guard case .basic(let u, let p)? = credential else { return nil }
            return "Basic " + Data((u + ":" + p).utf8).base64EncodedString()
        case .bearer:
            let task = await auth.tokenTask(registry: registry, scope: scope) {
                try await self.fetchToken(challenge, registry: registry, scope: scope, credential: credential)
            }
            do {
                return "Bearer " + (try await task.value)
            } catch let e as RegistryError {
                throw e
            } catch {
                throw RegistryError(.unreachable(Self.describe(error, timeout: options.timeoutSeconds)), registry: registry)
            }
        }
    }

    struct TokenAnswer: Decodable {
        var token: String?
        var access_token: String?
    }

    func fetchToken(
        _ challenge: AuthChallenge, registry: String, scope: String, credential: Credential?
    ) async throws(RegistryError) -> String {
        guard let realm = challenge.realm, realm.hasPrefix("https://") || realm.hasPrefix("http://") else {
            throw RegistryError(.invalidResponse("its Bearer challenge names no token server"), registry: registry)
        }
        func encode(_ s: String) -> String {
            s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? s
        }
        var parameters: [(String, String)] = []
        if let service = challenge.service { parameters.append(("service", service)) }
        parameters.append(("scope", scope))
        let response: Response
        switch credential {
        case .identityToken(let refresh):
            parameters += [("grant_type", "refresh_token"), ("client_id", options.userAgent), ("refresh_token", refresh)]
            let form = parameters.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
            response = try await sendRetrying(
                .POST, url: realm, registry: registry, kind: .token,
                headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(form.utf8))
        case .basic(let u, let p):
            let query = parameters.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
            response = try await sendRetrying(
                .GET, url: realm + (realm.contains("?") ? "&" : "?") + query, registry: registry, kind: .token,
                headers: [("Authorization", "Basic " + Data((u + ":" + p).utf8).base64EncodedString())], body: nil)
        case nil:
            let query = parameters.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
            response = try await sendRetrying(
                .GET, url: realm + (realm.contains("?") ? "&" : "?") + query, registry: registry, kind: .token,
                headers: [], body: nil)
        }
        guard response.status == .ok else {
            let (_, message) = Self.registryMessage(response)
            let what = "its token server answered \(response.status.code) \(response.status.reasonPhrase)"
            if response.status == .unauthorized || response.status == .forbidden {
                throw RegistryError(.unauthorized(what + (message.isEmpty ? "" : ": " + message)), registry: registry)
            }
            throw RegistryError(.status(Int(response.status.code), what + (message.isEmpty ? "" : ": " + message)), registry: registry)
        }
        guard let answer = try? JSONDecoder().decode(TokenAnswer.self, from: Data(response.body)),
            let token = answer.token ?? answer.access_token, !token.isEmpty
        else {
            throw RegistryError(.invalidResponse("its token server sent no token"), registry: registry)
        }
        return token
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

    /// The HTTP client for a URL: direct, or through the proxy the environment names for it.
    func httpClient(for url: String, registry: String) throws(RegistryError) -> HTTPClient {
        let https = url.hasPrefix("https://")
        let hostPort = String(url.drop { $0 != "/" }.dropFirst(2).prefix { $0 != "/" && $0 != "?" })
        let proxyURL = Self.proxy(for: hostPort, https: https, environment: options.environment)
        let key = proxyURL ?? ""
        var proxy: HTTPClient.Configuration.Proxy? = nil
        if let proxyURL {
            guard let p = Self.parseProxy(proxyURL) else {
                throw RegistryError(.local("cannot read the proxy address `\(proxyURL)`"), registry: registry)
            }
            proxy = p
        }
        return clients.withLock { clients in
            if let c = clients[key] { return c }
            var configuration = HTTPClient.Configuration(
                tlsConfiguration: tls, redirectConfiguration: .follow(max: 5, allowCycles: false),
                timeout: .init(
                    connect: .seconds(Int64(options.timeoutSeconds)), read: .seconds(Int64(options.timeoutSeconds))),
                proxy: proxy)
            configuration.httpVersion = .automatic
            let c = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            clients[key] = c
            return c
        }
    }

    /// The proxy URL for a host, from `HTTPS_PROXY`/`HTTP_PROXY` (either case) unless `NO_PROXY` covers it.
    /// Loopback addresses are never proxied.
    static func proxy(for hostPort: String, https: Bool, environment env: [String: String]) -> String? {
        if Registry.isLoopback(hostPort) { return nil }
        let names = https ? ["HTTPS_PROXY", "https_proxy"] : ["HTTP_PROXY", "http_proxy"]
        guard let proxy = names.lazy.compactMap({ env[$0] }).first(where: { !$0.isEmpty }) else { return nil }
        let host = Registry.hostOnly(hostPort).lowercased()
        let noProxy = env["NO_PROXY"] ?? env["no_proxy"] ?? ""
        for raw in noProxy.split(separator: ",") {
            var entry = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if entry.isEmpty { continue }
            if entry == "*" { return nil }
            if entry == hostPort.lowercased() { return nil }
            if let colon = entry.lastIndex(of: ":"), !entry.contains("]") || entry.hasSuffix("]") == false {
                entry = String(entry[..<colon])
            }
            if entry.hasPrefix("*.") { entry.removeFirst() }
            if host == entry || (entry.hasPrefix(".") ? host.hasSuffix(entry) : host.hasSuffix("." + entry)) { return nil }
        }
        return proxy
    }

    /// `http://user:pass@proxy:3128` → a proxy configuration (`socks5://` for SOCKS).
    static func parseProxy(_ url: String) -> HTTPClient.Configuration.Proxy? {
        var rest = Substring(url)
        var socks = false
        if let sep = rest.range(of: "://") {
            let scheme = rest[..<sep.lowerBound].lowercased()
            socks = scheme.hasPrefix("socks")
            rest = rest[sep.upperBound...]
        }
        rest = rest.prefix { $0 != "/" }
        var authorization: HTTPClient.Authorization? = nil
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let parts = userInfo.split(separator: ":", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            authorization = .basic(username: parts[0], password: parts.count > 1 ? parts[1] : "")
        }
        let host = Registry.hostOnly(String(rest))
        var port = socks ? 1080 : 80
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("]"), let p = Int(rest[rest.index(after: colon)...]) {
            port = p
        }
        guard !host.isEmpty else { return nil }
        if socks { return .socksServer(host: host, port: port) }
        return .server(host: host, port: port, authorization: authorization)
    }

    /// A short cause for a transport failure.
    static func describe(_ error: any Error, timeout: Int) -> String {
        if let e = error as? NIOConnectionError {
            if let dns = e.dnsAError ?? e.dnsAAAAError { return "cannot resolve \(e.host): \(describe(dns, timeout: timeout))" }
            if let first = e.connectionErrors.first { return describe(first.error, timeout: timeout) }
            return "cannot connect to \(e.host):\(e.port)"
        }
        if let e = error as? IOError {
            return String(cString: strerror(e.errnoCode)).lowercased()
        }
        if let e = error as? HTTPClientError {
            switch e {
            case .connectTimeout: return "no connection within \(timeout) s"
            case .readTimeout, .deadlineExceeded: return "no answer within \(timeout) s"
            case .remoteConnectionClosed: return "the connection was closed before the answer"
            default: return "\(e)"
            }
        }
        if let e = error as? NIOSSLError { return "TLS failed: \(e)" }
        if let e = error as? BoringSSLError { return "TLS failed: \(e)" }
        if let e = error as? ChannelError, case .connectTimeout = e { return "no connection within \(timeout) s" }
        return "\(error)"
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

/// What each registry asked for, and the tokens it gave (one request per registry and scope).
actor AuthState {
    var challenges: [String: AuthChallenge] = [:]
    var tokens: [String: Task<String, any Error>] = [:]

    func challenge(for registry: String) -> AuthChallenge? { challenges[registry] }

    func setChallenge(_ c: AuthChallenge, for registry: String) {
        var c = c
        c.parameters["scope"] = nil
        challenges[registry] = c
    }

    func tokenTask(registry: String, scope: String, _ make: @escaping @Sendable () async throws -> String) -> Task<String, any Error> {
        let key = registry + " " + scope
        if let t = tokens[key] { return t }
        let t = Task { try await make() }
        tokens[key] = t
        return t
    }

    func forgetToken(registry: String, scope: String) { tokens[registry + " " + scope] = nil }
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
