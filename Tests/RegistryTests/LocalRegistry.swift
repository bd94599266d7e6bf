import Foundation
import RegistryClient
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
import TestSupport
#endif

/// Runs a child process to completion with its output in temporary files (no pipe can fill up).
enum Run {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let imagelint = TestPaths.imagelint

    @discardableResult
    static func run(
        _ executable: String, _ arguments: [String], cwd: String? = nil, env: [String: String] = [:], stdin: String = ""
    ) throws -> Result {
        let dir = try Temp.directory("run")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = FileManager.default.createFile(atPath: dir + "/out", contents: nil)
        _ = FileManager.default.createFile(atPath: dir + "/err", contents: nil)
        _ = FileManager.default.createFile(atPath: dir + "/in", contents: Data(stdin.utf8))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/out"))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/err"))
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: dir + "/in"))
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        p.waitUntilExit()
        try? out.close()
        try? err.close()
        try? input.close()
        return Result(
            status: p.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir + "/out")), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir + "/err")), as: UTF8.self))
    }

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = dir + "/" + name
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }
}

enum Temp {
    static func directory(_ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/imagelint-\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// The tools the registry tests need, or why they cannot run.
enum Tools {
    static let registry = Run.which("docker-registry")
    static let skopeo = Run.which("skopeo")
    static let htpasswd = Run.which("htpasswd")
    static let openssl = Run.which("openssl")
    static let python = Run.which("python3")

    static var missing: [String] {
        [("docker-registry", registry), ("skopeo", skopeo), ("htpasswd", htpasswd), ("openssl", openssl), ("python3", python)]
            .filter { $0.1 == nil }.map(\.0)
    }

    /// Tests that need a registry skip with this reason when a tool is missing (`.ci/run` installs them).
    static var available: Bool { missing.isEmpty }
    static var reason: Comment { "needs \(missing.joined(separator: ", ")) (apt-get install docker-registry skopeo apache2-utils)" }
}

/// Children to end when the test process exits (each also runs under `timeout`, so none outlives 15 minutes).
let children = Mutex<[Int32]>([])
let killChildrenAtExit: Void = {
    atexit {
        for pid in children.withLock({ $0 }) { Child.killTree(pid) }
    }
}()

/// A free TCP port on 127.0.0.1 (bound, read, released).
func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// True once something accepts connections on 127.0.0.1:port.
func isListening(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = UInt16(port).bigEndian
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let len = socklen_t(MemoryLayout<sockaddr_in>.size)
    return withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, len) } } == 0
}

/// A background child process, ended by `stop()` (or at exit).
final class Child: @unchecked Sendable {
    let process = Process()
    let log: String

    init(_ executable: String, _ arguments: [String], log: String, env: [String: String] = [:]) throws {
        _ = killChildrenAtExit
        self.log = log
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.executableURL = URL(fileURLWithPath: Run.which("timeout") ?? "/usr/bin/timeout")
        process.arguments = ["-s", "KILL", "900", executable] + arguments
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        children.withLock { $0.append(pid) }
    }

    /// Ends the child with SIGKILL (the test process may hand its children an ignored SIGTERM), then `timeout`.
    func stop() {
        guard process.isRunning else { return }
        let pid = process.processIdentifier
        Self.killTree(pid)
        for _ in 0..<250 where process.isRunning { usleep(20_000) }
    }

    static func killTree(_ pid: Int32) {
        let list = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        for child in list.split(separator: " ").compactMap({ Int32($0) }) { killTree(child) }
        kill(pid, SIGKILL)
    }

    var output: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// A Distribution registry (Debian's `docker-registry`) on 127.0.0.1, in a temporary directory.
final class LocalRegistry: @unchecked Sendable {
    enum Auth { case none, basic, token }

    let auth: Auth
    let port: Int
    let dir: String
    let user = "tester"
    let password = "s3cret-pass"
    var registry: Child!
    var tokenServer: Child?

    /// `127.0.0.1:PORT`, as references name it.
    var host: String { "127.0.0.1:\(port)" }

    init(auth: Auth) throws {
        self.auth = auth
        port = freePort()
        dir = try Temp.directory("registry")
        try FileManager.default.createDirectory(atPath: dir + "/storage", withIntermediateDirectories: true)
        var config = """
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: \(dir)/storage
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:\(port)
              secret: imagelint-test-secret

            """
        switch auth {
        case .none:
            break
        case .basic:
            let h = try Run.run(Tools.htpasswd!, ["-Bbn", user, password])
            try h.stdout.write(toFile: dir + "/htpasswd", atomically: true, encoding: .utf8)
            config += """
                auth:
                  htpasswd:
                    realm: imagelint-test
                    path: \(dir)/htpasswd

                """
        case .token:
            let tokenPort = freePort()
            let ssl = try Run.run(
                Tools.openssl!,
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir + "/key.pem", "-out", dir + "/cert.pem",
                    "-days", "2", "-subj", "/CN=imagelint-token-issuer",
                ])
            guard ssl.status == 0 else { throw HarnessError("openssl failed: \(ssl.stderr)") }
            try Self.tokenServerScript.write(toFile: dir + "/token_server.py", atomically: true, encoding: .utf8)
            tokenServer = try Child(
                Tools.python!,
                [dir + "/token_server.py", String(tokenPort), dir + "/key.pem", dir + "/cert.pem", user, password],
                log: dir + "/token.log")
            try Self.waitForPort(tokenPort, what: "token server", log: { self.tokenServer?.output ?? "" })
            config += """
                auth:
                  token:
                    realm: http://127.0.0.1:\(tokenPort)/token
                    service: imagelint-test-registry
                    issuer: imagelint-test-issuer
                    rootcertbundle: \(dir)/cert.pem

                """
        }
        try config.write(toFile: dir + "/config.yml", atomically: true, encoding: .utf8)
        try start()
    }

    func start() throws {
        registry = try Child(Tools.registry!, ["serve", dir + "/config.yml"], log: dir + "/registry.log")
        try Self.waitForPort(port, what: "docker-registry", log: { self.registry.output })
    }

    static func waitForPort(_ port: Int, what: String, log: () -> String) throws {
        for _ in 0..<200 {
            if isListening(port) { return }
            usleep(50_000)
        }
        throw HarnessError("\(what) did not listen on port \(port) within 10 s: \(log())")
    }

    func stop() {
        registry?.stop()
        tokenServer?.stop()
    }

    deinit { stop() }

    /// A `DOCKER_CONFIG` directory holding these credentials (or wrong ones).
    func dockerConfig(wrongPassword: Bool = false) throws -> String {
        let d = try Temp.directory("docker-config")
        let auth = Data("\(user):\(wrongPassword ? "wrong" : password)".utf8).base64EncodedString()
        try #"{"auths": {"\#(host)": {"auth": "\#(auth)"}}}"#.write(toFile: d + "/config.json", atomically: true, encoding: .utf8)
        return d
    }

    /// The environment the client and `imagelint` get: credentials for this registry, nothing else.
    func environment(wrongPassword: Bool = false, credentials: Bool = true) throws -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["REGISTRY_AUTH_FILE"] = dir + "/no-such-auth.json"
        env["DOCKER_CONFIG"] = credentials ? try dockerConfig(wrongPassword: wrongPassword) : dir + "/no-such-dir"
        return env
    }

    func clientOptions(wrongPassword: Bool = false, credentials: Bool = true) throws -> RegistryClientOptions {
        var o = RegistryClientOptions()
        o.insecureRegistries = [host]
        o.timeoutSeconds = 5
        o.environment = try environment(wrongPassword: wrongPassword, credentials: credentials)
        return o
    }

    /// Pushes an OCI layout's tagged image with skopeo (bytes unchanged).
    func push(_ layout: OCILayout, tag: String, to repository: String, as remoteTag: String? = nil) throws {
        var args = [
            "copy", "--quiet", "--all", "--preserve-digests", "--dest-tls-verify=false",
            "oci:\(layout.dir):\(tag)", "docker://\(host)/\(repository):\(remoteTag ?? tag)",
        ]
        if auth != .none { args.insert(contentsOf: ["--dest-creds", "\(user):\(password)"], at: 1) }
        let r = try Run.run(Tools.skopeo!, args, env: ["REGISTRY_AUTH_FILE": dir + "/skopeo-auth.json"])
        guard r.status == 0 else { throw HarnessError("skopeo copy failed: \(r.stderr)") }
    }

    /// A token server as Distribution's `auth: token` expects: Basic credentials in, an RS256 JWT out (signed by
    /// `openssl dgst`), carrying the certificate in `x5c` and granting what was asked.
    static let tokenServerScript = #"""
        import base64, json, subprocess, sys, time, urllib.parse
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        port, key, cert, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
        der = subprocess.run(["openssl", "x509", "-in", cert, "-outform", "DER"], capture_output=True, check=True).stdout

        def b64(data):
            return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, body, headers=()):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers:
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urllib.parse.urlparse(self.path)
                query = urllib.parse.parse_qs(url.query)
                given = self.headers.get("Authorization", "")
                expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
                if given != expected:
                    return self.answer(401, {"details": "incorrect username or password"})
                access = []
                for scope in query.get("scope", []):
                    for item in scope.split(" "):
                        kind, _, rest = item.partition(":")
                        name, _, actions = rest.rpartition(":")
                        access.append({"type": kind, "name": name, "actions": actions.split(",")})
                now = int(time.time())
                header = {"alg": "RS256", "typ": "JWT", "x5c": [base64.b64encode(der).decode()]}
                claims = {"iss": "imagelint-test-issuer", "sub": user, "aud": query.get("service", [""])[0],
                          "exp": now + 600, "nbf": now - 10, "iat": now, "jti": str(now) + str(id(self)), "access": access}
                signing_input = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
                signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=signing_input.encode(),
                                           capture_output=True, check=True).stdout
                token = signing_input + "." + b64(signature)
                self.answer(200, {"token": token, "access_token": token, "expires_in": 600})

        ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
        """#
}
