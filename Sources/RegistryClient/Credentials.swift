import Foundation

/// A credential for one registry.
public enum Credential: Sendable, Hashable {
    case basic(username: String, password: String)
    /// An OAuth2 refresh token (`identitytoken`), exchanged at the token server.
    case identityToken(String)
}

/// Finds credentials the way `docker`, `podman` and `skopeo` store them:
///
/// 1. `$REGISTRY_AUTH_FILE`, else `$XDG_RUNTIME_DIR/containers/auth.json`, else
///    `~/.config/containers/auth.json` (containers tools);
/// 2. `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`.
///
/// In each file: `credHelpers[registry]`, then `credsStore`, then `auths[registry]` (`auth`, base64 of
/// `user:password`, or `identitytoken`). Helpers run as `docker-credential-NAME get` with the server on
/// standard input. Files are read once, when first needed.
public struct CredentialStore: Sendable {
    /// Environment variables consulted (`HOME`, `DOCKER_CONFIG`, `REGISTRY_AUTH_FILE`, `XDG_RUNTIME_DIR`, `PATH`).
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The files consulted, in order (those that do not exist are skipped).
    public var files: [String] {
        var paths: [String] = []
        let home = environment["HOME"] ?? NSHomeDirectory()
        if let f = environment["REGISTRY_AUTH_FILE"], !f.isEmpty {
            paths.append(f)
        } else {
            if let run = environment["XDG_RUNTIME_DIR"], !run.isEmpty { paths.append(run + "/containers/auth.json") }
            paths.append(home + "/.config/containers/auth.json")
        }
        if let d = environment["DOCKER_CONFIG"], !d.isEmpty {
            paths.append(d + "/config.json")
        } else {
            paths.append(home + "/.docker/config.json")
        }
        return paths
    }

    struct ConfigFile: Decodable {
        struct Entry: Decodable {
            var auth: String?
            var identitytoken: String?
            var username: String?
            var password: String?
        }
        var auths: [String: Entry]?
        var credsStore: String?
        var credHelpers: [String: String]?
    }

    /// The credential for `registry` (as references name it), or nil for anonymous access.
    public func credential(for registry: String) throws(RegistryError) -> Credential? {
        let keys = Self.keys(for: registry)
        for path in files {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let config: ConfigFile
            do {
                config = try JSONDecoder().decode(ConfigFile.self, from: data)
            } catch {
                throw RegistryError(.local("cannot read \(path): not a valid credentials file"), registry: registry)
            }
            if let helper = keys.lazy.compactMap({ config.credHelpers?[$0] }).first {
                if let c = try helperCredential(helper, server: keys[0], registry: registry) { return c }
            }
            if let store = config.credsStore, !store.isEmpty {
                if let c = try helperCredential(store, server: keys[0], registry: registry) { return c }
            }
            var entries: [String: ConfigFile.Entry] = [:]
            for (k, v) in config.auths ?? [:] { entries[Self.normalizeKey(k)] = v }
            for key in keys {
                guard let e = entries[Self.normalizeKey(key)] else { continue }
                if let token = e.identitytoken, !token.isEmpty { return .identityToken(token) }
                if let auth = e.auth, !auth.isEmpty {
                    guard let decoded = Data(base64Encoded: auth).flatMap({ String(data: $0, encoding: .utf8) }),
                        let colon = decoded.firstIndex(of: ":")
                    else {
                        throw RegistryError(.local("the `auth` entry for \(key) in \(path) is not base64 of user:password"), registry: registry)
                    }
                    return .basic(username: String(decoded[..<colon]), password: String(decoded[decoded.index(after: colon)...]))
                }
                if let u = e.username, let p = e.password { return .basic(username: u, password: p) }
            }
        }
        return nil
    }

    /// The keys a registry's entry may be stored under; the first is the server name helpers are asked for.
    static func keys(for registry: String) -> [String] {
        switch registry {
        case "docker.io", "index.docker.io", "registry-1.docker.io":
            ["https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io"]
        default: [registry]
        }
    }

    /// `https://host/v1/` → `host`.
    static func normalizeKey(_ key: String) -> String {
        var k = Substring(key)
        for scheme in ["https://", "http://"] where k.hasPrefix(scheme) { k = k.dropFirst(scheme.count) }
        if let slash = k.firstIndex(of: "/") { k = k[..<slash] }
        return String(k)
    }

    struct HelperAnswer: Decodable {
        var Username: String?
        var Secret: String?
    }

    /// Runs `docker-credential-NAME get`; nil when the helper has no credential for the server.
    func helperCredential(_ name: String, server: String, registry: String) throws(RegistryError) -> Credential? {
        let program = "docker-credential-" + name
        guard let path = Self.findExecutable(program, path: environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin") else {
            throw RegistryError(.local("credential helper `\(program)` is not on PATH"), registry: registry)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["get"]
        process.environment = environment
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw RegistryError(.local("cannot run `\(program)`: \(error.localizedDescription)"), registry: registry)
        }
        input.fileHandleForWriting.write(Data(server.utf8))
        try? input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            let said = String(decoding: out + err, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if said.localizedCaseInsensitiveContains("credentials not found") { return nil }
            throw RegistryError(.local("`\(program) get` failed: \(said.isEmpty ? "exit \(process.terminationStatus)" : said)"), registry: registry)
        }
        guard let answer = try? JSONDecoder().decode(HelperAnswer.self, from: out), let secret = answer.Secret else {
            throw RegistryError(.local("`\(program) get` did not print the expected JSON"), registry: registry)
        }
        if answer.Username == "<token>" { return .identityToken(secret) }
        return .basic(username: answer.Username ?? "", password: secret)
    }

    static func findExecutable(_ name: String, path: String) -> String? {
        for dir in path.split(separator: ":") {
            let candidate = dir + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
