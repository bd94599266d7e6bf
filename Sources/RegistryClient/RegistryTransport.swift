import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Reporters
import Synchronization

// The HTTP clients: direct or through the proxy the environment names, and how transport errors read.

extension RegistryClient {
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
