import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Reporters
import Synchronization

// Credentials and bearer tokens: which credential a registry gets, the token handshake its 401 asks for.

extension RegistryClient {
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
