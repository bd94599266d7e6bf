import Foundation
import RegistryClient
import Testing

/// The registry client against a real Distribution registry on the loopback, with images skopeo pushed from
/// layouts the tests wrote. Skipped, with the reason, when docker-registry or skopeo is not installed.
@Suite(.enabled(if: Tools.available, Tools.reason), .serialized)
struct RegistryClientTests {
    @Test func resolvesTagsAndDigestsWithoutAuth() async throws {
        let registry = try LocalRegistry(auth: .none)
        defer { registry.stop() }
        let layout = try OCILayout()
        let multi = try layout.add(tag: "1.0.0", multiPlatform: true, seed: "multi")
        let single = try layout.add(tag: "single", multiPlatform: false, seed: "single")
        try registry.push(layout, tag: "1.0.0", to: "team/app")
        try registry.push(layout, tag: "single", to: "team/app")

        let client = RegistryClient(options: try registry.clientOptions())
        let repo = Repository(registry: registry.host, path: "team/app")
        let index = try await client.manifest(repo, reference: "1.0.0")
        #expect(index.digest == multi.digest)
        #expect(index.isIndex)
        #expect(index.manifests.map(\.digest) == multi.platformDigests)
        #expect(index.manifests.map { $0.platform?.description } == ["linux/amd64", "linux/arm64"])

        let one = try await client.manifest(repo, reference: "single")
        #expect(one.digest == single.digest)
        #expect(!one.isIndex)

        // By digest, and the same reference twice: one request.
        let byDigest = try await client.manifest(repo, reference: multi.platformDigests[1])
        #expect(byDigest.digest == multi.platformDigests[1])
        _ = try await client.manifest(repo, reference: "1.0.0")
        #expect(client.statistics.manifestRequests == 3)

        await #expect {
            _ = try await client.manifest(repo, reference: "9.9.9")
        } throws: { e in
            guard let e = e as? RegistryError, case .notFound(let code, _) = e.kind else { return false }
            return code == "MANIFEST_UNKNOWN" && !e.isRepositoryNotFound
        }
        await #expect {
            _ = try await client.manifest(Repository(registry: registry.host, path: "team/nothing"), reference: "1")
        } throws: { e in (e as? RegistryError)?.isNotFound == true }
        await client.shutdown()
    }

    @Test func listsTagsPageByPageAndPutsManifests() async throws {
        let registry = try LocalRegistry(auth: .none)
        defer { registry.stop() }
        let layout = try OCILayout()
        let image = try layout.add(tag: "base", multiPlatform: true, seed: "tags")
        let names = (1...5).map { "1.0.\($0)" }
        for name in names { try registry.push(layout, tag: "base", to: "lib/tags", as: name) }

        let client = RegistryClient(options: try registry.clientOptions())
        let repo = Repository(registry: registry.host, path: "lib/tags")
        let tags = try await client.tags(repo, pageSize: 2)
        #expect(tags.sorted() == names)
        // Distribution 2.8 answers every tag in one page, whatever `n` asks for; the `Link` parsing is unit-tested.
        #expect(client.statistics.tagListRequests >= 1)

        // A tag put from the manifest's bytes, unchanged: the index stays an index with the same digest.
        let manifest = try await client.manifest(repo, reference: "1.0.1")
        let digest = try await client.putManifest(repo, reference: "latest", bytes: manifest.bytes, mediaType: manifest.mediaType)
        #expect(digest == image.digest)
        let again = try await client.manifest(repo, reference: "latest")
        #expect(again.digest == image.digest && again.isIndex)
        await client.shutdown()
    }

    @Test func basicAuthWithStoredCredentials() async throws {
        let registry = try LocalRegistry(auth: .basic)
        defer { registry.stop() }
        let layout = try OCILayout()
        let image = try layout.add(tag: "2.0.0", multiPlatform: false, seed: "basic")
        try registry.push(layout, tag: "2.0.0", to: "private/app")
        let repo = Repository(registry: registry.host, path: "private/app")

        let client = RegistryClient(options: try registry.clientOptions())
        #expect(try await client.manifest(repo, reference: "2.0.0").digest == image.digest)
        await client.shutdown()

        let wrong = RegistryClient(options: try registry.clientOptions(wrongPassword: true))
        await #expect {
            _ = try await wrong.manifest(repo, reference: "2.0.0")
        } throws: { e in
            guard let e = e as? RegistryError, case .unauthorized = e.kind else { return false }
            return e.description.contains(registry.host) && e.description.contains("401")
        }
        await wrong.shutdown()

        let anonymous = RegistryClient(options: try registry.clientOptions(credentials: false))
        await #expect {
            _ = try await anonymous.manifest(repo, reference: "2.0.0")
        } throws: { e in
            guard let e = e as? RegistryError, case .unauthorized = e.kind else { return false }
            return e.description.contains("none are stored")
        }
        await anonymous.shutdown()
    }

    @Test func bearerTokenAuth() async throws {
        let registry = try LocalRegistry(auth: .token)
        defer { registry.stop() }
        let layout = try OCILayout()
        let image = try layout.add(tag: "3.0.0", multiPlatform: true, seed: "bearer")
        try registry.push(layout, tag: "3.0.0", to: "secure/app")
        try registry.push(layout, tag: "3.0.0", to: "secure/other")

        let client = RegistryClient(options: try registry.clientOptions())
        let repo = Repository(registry: registry.host, path: "secure/app")
        #expect(try await client.manifest(repo, reference: "3.0.0").digest == image.digest)
        // The second repository gets its token before asking: no 401 round trip.
        let other = Repository(registry: registry.host, path: "secure/other")
        #expect(try await client.manifest(other, reference: "3.0.0").digest == image.digest)
        #expect(client.statistics.manifestRequests == 3)
        #expect(client.statistics.tokenRequests == 2)
        let tags = try await client.tags(repo)
        #expect(tags == ["3.0.0"])
        await client.shutdown()

        let wrong = RegistryClient(options: try registry.clientOptions(wrongPassword: true))
        await #expect {
            _ = try await wrong.manifest(repo, reference: "3.0.0")
        } throws: { e in
            guard let e = e as? RegistryError, case .unauthorized(let m) = e.kind else { return false }
            return m.contains("token server answered 401")
        }
        await wrong.shutdown()
    }

    @Test func stoppedRegistryIsUnreachable() async throws {
        let registry = try LocalRegistry(auth: .none)
        registry.stop()
        let client = RegistryClient(options: try registry.clientOptions())
        await #expect {
            _ = try await client.manifest(Repository(registry: registry.host, path: "a/b"), reference: "1")
        } throws: { e in
            guard let e = e as? RegistryError, case .unreachable(let m) = e.kind else { return false }
            return m.contains("refused") && e.description.contains(registry.host)
        }
        await client.shutdown()
    }
}

/// Parts of the client that need no registry.
@Suite struct RegistryClientUnitTests {
    @Test func parsesChallenges() {
        let c = AuthChallenge.parse(#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull""#)
        #expect(c?.scheme == .bearer)
        #expect(c?.realm == "https://auth.docker.io/token")
        #expect(c?.service == "registry.docker.io")
        #expect(c?.scope == "repository:library/nginx:pull")
        #expect(AuthChallenge.parse(#"Basic realm="Registry Realm""#)?.scheme == .basic)
        #expect(AuthChallenge.parse("Negotiate abc") == nil)
    }

    @Test func followsLinkHeaders() {
        #expect(nextPage(#"</v2/a/tags/list?n=2&last=b>; rel="next""#) == "/v2/a/tags/list?n=2&last=b")
        #expect(nextPage(nil) == nil)
        #expect(nextPage(#"</x>; rel="prev""#) == nil)
    }

    @Test func dockerHubNaming() {
        #expect(Repository(registry: "docker.io", path: "library/nginx").endpointHost == "registry-1.docker.io")
        #expect(Repository(registry: "ghcr.io", path: "a/b").endpointHost == "ghcr.io")
    }

    @Test func credentialsFromDockerConfigAndAuthFile() throws {
        let d = try Temp.directory("creds")
        try #"{"auths": {"https://index.docker.io/v1/": {"auth": "\#(Data("hub:pw".utf8).base64EncodedString())"}, "ghcr.io": {"identitytoken": "tok"}}}"#
            .write(toFile: d + "/config.json", atomically: true, encoding: .utf8)
        try #"{"auths": {"quay.io": {"auth": "\#(Data("q:x:y".utf8).base64EncodedString())"}}}"#
            .write(toFile: d + "/auth.json", atomically: true, encoding: .utf8)
        let store = CredentialStore(environment: ["HOME": d, "DOCKER_CONFIG": d, "REGISTRY_AUTH_FILE": d + "/auth.json"])
        #expect(try store.credential(for: "docker.io") == .basic(username: "hub", password: "pw"))
        #expect(try store.credential(for: "ghcr.io") == .identityToken("tok"))
        #expect(try store.credential(for: "quay.io") == .basic(username: "q", password: "x:y"))
        #expect(try store.credential(for: "example.com") == nil)
    }

    @Test func credentialHelpers() throws {
        let d = try Temp.directory("helper")
        let helper = d + "/docker-credential-fake"
        try """
            #!/bin/sh
            read server
            if [ "$server" = "registry.example.com" ]; then
              printf '{"ServerURL":"%s","Username":"robot","Secret":"from-helper"}' "$server"
            else
              echo "credentials not found in native keychain"; exit 1
            fi
            """.write(toFile: helper, atomically: true, encoding: .utf8)
        _ = try Run.run("/bin/chmod", ["+x", helper])
        try #"{"credHelpers": {"registry.example.com": "fake"}, "auths": {"other.example.com": {"auth": "\#(Data("o:p".utf8).base64EncodedString())"}}}"#
            .write(toFile: d + "/config.json", atomically: true, encoding: .utf8)
        let store = CredentialStore(environment: ["HOME": d, "DOCKER_CONFIG": d, "REGISTRY_AUTH_FILE": d + "/none.json", "PATH": d + ":/usr/bin:/bin"])
        #expect(try store.credential(for: "registry.example.com") == .basic(username: "robot", password: "from-helper"))
        #expect(try store.credential(for: "other.example.com") == .basic(username: "o", password: "p"))
    }
}
