import Foundation
import Testing

/// The IBM Cloud examples, secret values kept out of every report, and `images --unique`, on the built binary.
@Suite(.serialized) struct PullSecretEndToEndTests {
    typealias E = LintEndToEndTests

    /// The placeholder API key in `Examples/ibm-cloud*/`, and the forms it is stored in.
    static let password = "EXAMPLE-apikey-not-real-0123456789"
    static var secretForms: [String] {
        let auth = Data("iamapikey:\(password)".utf8).base64EncodedString()
        return [password, auth, String(auth.prefix(24))]
    }

    /// The secret's whole `.dockerconfigjson` value as the example stores it (base64).
    static func storedValue() throws -> String {
        let text = try String(contentsOfFile: E.root + "/Examples/ibm-cloud/all-icr-io.yaml", encoding: .utf8)
        let line = text.split(separator: "\n").first { $0.contains(".dockerconfigjson:") }!
        return String(line.split(separator: " ").last!)
    }

    @Test func cleanExampleLintsClean() throws {
        let r = try E.run(["lint", "Examples/ibm-cloud"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.hasPrefix("no findings"), "\(r.stdout)")
    }

    /// The broken twin shows each new rule exactly once (run from its folder, whose `.imagelint.yml` turns on
    /// the opt-in `implicit-pull-policy`).
    @Test(arguments: ["text", "json"])
    func brokenTwinShowsEachNewRuleOnce(format: String) throws {
        let r = try E.run(["lint", "--format", format], cwd: E.root + "/Examples/ibm-cloud-broken")
        #expect(r.status == 1)
        try E.golden("lint-ibm-cloud-broken.\(format == "text" ? "txt" : "json")", r.stdout)
        guard format == "text" else { return }
        for rule in [
            "ineffective-pull-secret", "missing-pull-secret", "registry-namespace", "arch-specific-image",
            "windows-build-mismatch", "implicit-pull-policy",
        ] {
            let count = r.stdout.components(separatedBy: "[\(rule)]").count - 1
            #expect(count == 1, "\(rule) reported \(count) times")
        }
    }

    /// A secret's value never reaches a report: every format, on a project whose pull secrets are broken in
    /// every way (so that findings about them are written), searched for the decoded password, its base64
    /// forms and the stored value.
    @Test(arguments: E.formats)
    func secretValuesAreInNoReport(format: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("imagelint-leak-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stored = try Self.storedValue()
        for name in ["store.yaml", "default.yaml"] {
            try FileManager.default.copyItem(atPath: E.root + "/Examples/ibm-cloud-broken/" + name, toPath: dir + "/" + name)
        }
        // The same value in the pod's namespace, for a port and path the image does not use; in plain
        // `stringData`; and in a secret of the wrong type.
        let json = String(decoding: Data(base64Encoded: stored)!, as: UTF8.self)
        let port = json.replacingOccurrences(of: "\"us.icr.io\"", with: "\"us.icr.io:8443\"")
        try """
            apiVersion: v1
            kind: Secret
            metadata: {name: near, namespace: store}
            type: kubernetes.io/dockerconfigjson
            data:
              .dockerconfigjson: \(Data(port.utf8).base64EncodedString())
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: plain, namespace: store}
            type: kubernetes.io/dockercfg
            stringData:
              .dockercfg: '{"us.icr.io:8443": {"auth": "\(Self.secretForms[1])"}}'
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: opaque, namespace: store}
            type: Opaque
            data:
              password: \(Data(Self.password.utf8).base64EncodedString())
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: store}
            spec:
              imagePullSecrets: [{name: near}, {name: plain}, {name: opaque}, {name: missing}]
              containers:
                - {name: a, image: us.icr.io/acme/a:1.0.0}

            """.write(toFile: dir + "/pod.yaml", atomically: true, encoding: .utf8)
        try "registries:\n  secrets: complete\n  private: [us.icr.io]\n".write(
            toFile: dir + "/.imagelint.yml", atomically: true, encoding: .utf8)
        let r = try E.run(["lint", "--format", format, "--fail-on", "never", "."], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        for rule in ["ineffective-pull-secret", "missing-pull-secret"] {
            #expect(r.stdout.contains(rule), "the report must hold findings about the secrets (\(rule))")
        }
        for form in Self.secretForms + [stored, String(stored.prefix(40)), Data(Self.password.utf8).base64EncodedString()] {
            #expect(!r.stdout.contains(form) && !r.stderr.contains(form), "\(format) output holds a secret form `\(form.prefix(12))…`")
        }
        for command in [["images", "--format", "json", "."], ["images", "--unique", "--format", "json", "."]] {
            let listing = try E.run(command, cwd: dir)
            for form in Self.secretForms + [stored] {
                #expect(!listing.stdout.contains(form), "\(command) output holds a secret form")
            }
        }
    }

    @Test func imagesUnique() throws {
        let text = try E.run(["images", "--unique", "Examples/ibm-cloud-broken", "Examples/ibm-cloud", "Examples/kubernetes-app"])
        #expect(text.status == 0)
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines == lines.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }, "sorted")
        #expect(Set(lines).count == lines.count, "each reference once")
        #expect(lines.contains("mcr.microsoft.com/windows/servercore:ltsc2022"))
        #expect(lines.contains { $0.hasPrefix("us.icr.io/acme/web:1.4.2@sha256:") })
        try E.golden("images-unique.txt", text.stdout)

        let json = try E.run(["images", "--unique", "--format", "json", "Examples/ibm-cloud-broken", "Examples/ibm-cloud"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let images = object["images"] as! [[String: Any]]
        let web = images.first { ($0["reference"] as! String).hasPrefix("us.icr.io/acme/web:1.4.2@") }!
        let uses = web["uses"] as! [[String: Any]]
        #expect(Set(uses.map { $0["file"] as! String }) == ["Examples/ibm-cloud-broken/store.yaml", "Examples/ibm-cloud/deployment.yaml"])
        #expect((object["unlisted"] as! [Any]).isEmpty)
        try E.golden("images-unique.json", json.stdout)

        // `nginx` and `nginx:latest` are one image; an unresolved reference is counted apart.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("imagelint-unique-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "FROM nginx\nFROM docker.io/library/nginx:latest\nFROM ${BASE}\n".write(
            toFile: dir + "/Dockerfile", atomically: true, encoding: .utf8)
        let r = try E.run(["images", "--unique", "Dockerfile"], cwd: dir)
        #expect(r.stdout == "docker.io/library/nginx:latest\n")
        #expect(r.stderr.contains("1 reference could not be resolved"))
    }
}
