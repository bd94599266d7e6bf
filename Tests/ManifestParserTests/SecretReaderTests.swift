import Foundation
import ImagelintCore
import Testing

@testable import ManifestParser

/// `kind: Secret` read as kubelet reads a pull secret; only keys and hosts survive.
@Suite struct SecretReaderTests {
    static func secret(type: String?, body: String) -> String {
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: ns\n" + (type.map { "type: \($0)\n" } ?? "") + body
    }

    static func read(_ text: String) -> PullSecretInfo? { analyze(text).secrets.first }

    static func b64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }

    @Test func dockerConfigJSONFromData() {
        let json = #"{"auths":{"ghcr.io":{"auth":"dTpw"},"https://index.docker.io/v1/":{"auth":"dTpw"}},"credHelpers":{"gcr.io":"gcloud"},"credsStore":"desktop"}"#
        let s = Self.read(Self.secret(type: "kubernetes.io/dockerconfigjson", body: "data:\n  .dockerconfigjson: \(Self.b64(json))\n"))
        #expect(s?.name == "s" && s?.namespace == "ns" && s?.line == 1)
        #expect(s?.content == .dockerConfig(auths: ["ghcr.io", "https://index.docker.io/v1/"], credHelpers: ["gcr.io"], credsStore: true))
    }

    /// `kubectl create secret … -o yaml` writes one line; other tools wrap base64 (a literal block) or drop
    /// the padding.
    @Test(arguments: [true, false])
    func wrappedAndUnpaddedBase64(wrapped: Bool) {
        var encoded = Self.b64(#"{"auths":{"registry.acme.io:5000":{"auth":"dTpw"}}}"#)
        if wrapped {
            let chars = Array(encoded)
            encoded = "|\n" + stride(from: 0, to: chars.count, by: 20).map { "    " + String(chars[$0..<min($0 + 20, chars.count)]) }
                .joined(separator: "\n")
        } else {
            while encoded.hasSuffix("=") { encoded.removeLast() }
        }
        let s = Self.read(Self.secret(type: "kubernetes.io/dockerconfigjson", body: "data:\n  .dockerconfigjson: \(encoded)\n"))
        #expect(s?.content == .dockerConfig(auths: ["registry.acme.io:5000"], credHelpers: [], credsStore: false))
    }

    @Test func stringDataWinsOverData() {
        let body = """
            data:
              .dockerconfigjson: \(Self.b64(#"{"auths":{"old.example.com":{}}}"#))
            stringData:
              .dockerconfigjson: '{"auths":{"new.example.com":{}}}'

            """
        #expect(Self.read(Self.secret(type: "kubernetes.io/dockerconfigjson", body: body))?.content
            == .dockerConfig(auths: ["new.example.com"], credHelpers: [], credsStore: false))
    }

    @Test func legacyDockerCfgKeysAreRegistries() {
        let s = Self.read(Self.secret(type: "kubernetes.io/dockercfg", body: "data:\n  .dockercfg: \(Self.b64(#"{"quay.io":{"auth":"dTpw","email":"a@b.c"}}"#))\n"))
        #expect(s?.content == .dockerConfig(auths: ["quay.io"], credHelpers: [], credsStore: false))
    }

    @Test(arguments: [
        ("kubernetes.io/dockerconfigjson", "data:\n  .dockerconfigjson: not*base64\n", "is not base64"),
        ("kubernetes.io/dockerconfigjson", "data:\n  .dockerconfigjson: \(b64("[1, 2]"))\n", "is not a JSON object"),
        ("kubernetes.io/dockerconfigjson", "data:\n  .dockerconfigjson: \(b64(#"{"user":"x"}"#))\n", "has no `auths` object"),
        ("kubernetes.io/dockerconfigjson", "data:\n  config.json: \(b64("{}"))\n", "needs `data..dockerconfigjson`"),
        ("kubernetes.io/dockercfg", "", "needs `data..dockercfg`"),
    ])
    func undecodable(type: String, body: String, reason: String) {
        guard case .undecodable(let why)? = Self.read(Self.secret(type: type, body: body))?.content else {
            Issue.record("expected undecodable")
            return
        }
        #expect(why.contains(reason), "\(why)")
    }

    @Test func otherTypesAndTemplates() {
        #expect(Self.read(Self.secret(type: "Opaque", body: "data:\n  .dockerconfigjson: e30=\n"))?.content == .notDockerConfig)
        #expect(Self.read(Self.secret(type: nil, body: "stringData:\n  token: x\n"))?.content == .notDockerConfig)
        // Helm docs, "Creating Image Pull Secrets".
        let helm = Self.secret(type: "kubernetes.io/dockerconfigjson", body: "data:\n  .dockerconfigjson: '{{ template \"imagePullSecret\" . }}'\n")
        #expect(Self.read(helm)?.content == .templated)
    }

    /// The value never leaves the reader: what is kept holds no part of it.
    @Test func onlyKeysAreKept() {
        let password = "hunter2-Very-Secret"
        let json = #"{"auths":{"ghcr.io":{"username":"me","password":"\#(password)","auth":"\#(Self.b64("me:" + password))"}}}"#
        let s = Self.read(Self.secret(type: "kubernetes.io/dockerconfigjson", body: "data:\n  .dockerconfigjson: \(Self.b64(json))\n"))!
        let kept = "\(s)"
        #expect(!kept.contains(password) && !kept.contains(Self.b64("me:" + password)) && !kept.contains(Self.b64(json).prefix(16)))
    }

    @Test func base64Decoder() {
        func decode(_ s: String) -> [UInt8]? { Array(s.utf8).withUnsafeBufferPointer { SecretReader.base64Decode($0) } }
        #expect(decode("aGk=") == Array("hi".utf8))
        #expect(decode("aGk") == Array("hi".utf8))
        #expect(decode("aGVsbG8gd29ybGQ=") == Array("hello world".utf8))
        #expect(decode("a") == nil)
        #expect(decode("aG=k") == nil)
        #expect(decode("aGk===") == nil)
        #expect(decode("") == [])
    }
}
