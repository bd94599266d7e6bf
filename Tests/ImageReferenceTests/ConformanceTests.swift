import Foundation
import Testing

@testable import ImageReference
import TestSupport

/// The shared conformance tables, read from `<workspace>/shared/conformance` (the package root is three
/// levels above this file; `shared/` sits beside it).
enum Conformance {
    /// Whether `../shared/conformance` is present; the suites that read it skip, saying why, when it is not.
    static let present = TestPaths.shared("conformance") != nil
    static let absent: Comment = Comment(rawValue: TestPaths.sharedAbsent("conformance"))
    static let directory: URL = {
        URL(fileURLWithPath: TestPaths.shared("conformance") ?? "")
    }()

    static func load<T: Decodable>(_ file: String, as: T.Type) throws -> T {
        let url = directory.appendingPathComponent(file)
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }

    /// A row of reference-cases.json (upstream `distribution/reference` tests).
    struct ReferenceCase: Decodable, Sendable {
        var id: String
        var input: String
        var function: String
        var `for`: [String: Bool]
        var valid: Bool
        var error: String?
        var domain: String?
        var path: String?
        var name: String?
        var tag: String?
        var digest: String?
        var string: String?
        var normalized: String?
        var familiar: String?
        var asserted: [String]
    }

    /// One parse function's answer in reference-edge-cases.json.
    struct EdgeResult: Decodable, Sendable {
        var ok: Bool
        var error: String?
        var string: String?
        var domain: String?
        var path: String?
        var familiar_string: String?
        var tag: String?
        var digest: String?
    }

    struct EdgeCase: Decodable, Sendable {
        var input: String
        var why: String
        var results: [String: EdgeResult]
        var results_with_sha384_sha512_registered: [String: EdgeResult]?
        var k8s_default_imagePullPolicy: String?

        /// Docker and Kubernetes link SHA-384/512, so where the table has a second answer for a binary
        /// that registers them, that answer is the one we follow.
        func result(_ function: String) -> EdgeResult? {
            results_with_sha384_sha512_registered?[function] ?? results[function]
        }
    }

    struct KubernetesCase: Decodable, Sendable {
        var id: String
        var input: String
        var valid: Bool
        var repo: String?
        var tag: String?
        var digest: String?
        var error_substring: String?
        var derived_default_imagePullPolicy: String?
    }

    static func referenceCases() throws -> [ReferenceCase] { try load("reference-cases.json", as: [ReferenceCase].self) }
    static func edgeCases() throws -> [EdgeCase] { try load("reference-edge-cases.json", as: [EdgeCase].self) }
    static func kubernetesCases() throws -> [KubernetesCase] {
        try load("kubernetes-image-cases.json", as: [KubernetesCase].self)
    }
}

/// Where we deliberately differ from `distribution/reference`. Each entry says why.
enum Deliberate {
    /// reference-cases.json: `Parse` rows whose upstream verdict we do not follow.
    static let rawParse: [String: String] = [
        // Upstream calls sha512 unsupported only because its test binary does not link crypto/sha512;
        // Docker and Kubernetes do link it and accept `sha512:` + 128 hex (conformance/README.md).
        "reference_test.go:TestReferenceParse#14": "sha512 is accepted",
    ]
}

@Suite(.enabled(if: Conformance.present, Conformance.absent))
struct ReferenceCasesTests {
    /// Every `ParseNormalizedNamed` case agrees on validity and on every field the upstream test asserts.
    @Test func parseNormalizedNamedCases() throws {
        let cases = try Conformance.referenceCases().filter { $0.for["ParseNormalizedNamed"] == true }
        #expect(cases.count == 124)
        for c in cases {
            let result = Result { () throws(ReferenceError) in try ImageReference.parse(c.input) }
            guard case .success(let ref) = result else {
                if c.valid { Issue.record("\(c.id): `\(c.input)` should be valid, got \(result)") }
                continue
            }
            if !c.valid {
                Issue.record("\(c.id): `\(c.input)` should be invalid, got \(ref.normalized)")
                continue
            }
            for field in c.asserted {
                switch field {
                case "valid": break
                case "domain": #expect(ref.domain == c.domain, "\(c.id): domain")
                case "path": #expect(ref.path == c.path, "\(c.id): path")
                case "normalized(String)": #expect(ref.normalized == c.normalized, "\(c.id): normalized")
                case "familiar(FamiliarName)": #expect(ref.familiarName == c.familiar, "\(c.id): familiar name")
                case "familiar(FamiliarString)": #expect(ref.familiar == c.familiar, "\(c.id): familiar")
                case "is NamedTagged": #expect(ref.tag != nil && ref.tag == c.tag, "\(c.id): tag")
                case "is Canonical": #expect(ref.digest != nil && ref.digest == c.digest, "\(c.id): digest")
                default: Issue.record("\(c.id): unknown asserted field \(field)")
                }
            }
        }
    }

    /// `Parse` without Docker Hub defaults is `parseRaw`: `foo/bar` has domain `foo`, `nginx` none.
    /// Every `Parse` case agrees on validity, on the asserted fields and, where upstream checks it, on the
    /// error.
    @Test func parseCases() throws {
        let cases = try Conformance.referenceCases().filter { $0.for["Parse"] == true }
        #expect(cases.count == 75)
        for c in cases {
            let result = Result { () throws(ReferenceError) in try ReferenceParser.parseRaw(c.input) }
            if let why = Deliberate.rawParse[c.id] {
                #expect((try? result.get()) != nil, "\(c.id): deliberately valid (\(why))")
                continue
            }
            switch result {
            case .failure(let error):
                if c.valid {
                    Issue.record("\(c.id): `\(c.input)` should be valid, got \(error)")
                } else if c.asserted.contains("error") {
                    #expect(error.upstreamName == c.error, "\(c.id): error \(error) for `\(c.input)`")
                }
            case .success(let ref):
                guard c.valid else {
                    Issue.record("\(c.id): `\(c.input)` should be invalid, got \(ref)")
                    continue
                }
                for field in c.asserted {
                    switch field {
                    case "valid": break
                    case "string", "string(JSON round-trip)": #expect(ref.string == c.string, "\(c.id): string")
                    case "name": #expect(ref.name == c.name, "\(c.id): name")
                    case "domain": #expect(ref.domain == c.domain, "\(c.id): domain")
                    case "path(implied by name+domain)": #expect(ref.path == c.path, "\(c.id): path")
                    case "tag": #expect(ref.tag == c.tag, "\(c.id): tag")
                    case "digest": #expect(ref.digest == c.digest, "\(c.id): digest")
                    default: Issue.record("\(c.id): unknown asserted field \(field)")
                    }
                }
            }
        }
    }

    /// What `Parse` validity means for `imagelint`: a string the bare grammar accepts is a reference
    /// Docker accepts too, once normalized, unless normalization pushes the path over 255 characters or
    /// the string is a 64-hex image id. And everything `ParseNormalizedNamed` accepts is grammatical once
    /// its registry is written out (that is the normalized string).
    @Test func rawAndNormalizedValidityRelate() throws {
        for c in try Conformance.referenceCases() where c.for["Parse"] == true {
            guard let raw = try? ReferenceParser.parseRaw(c.input) else { continue }
            let normalized = ImageReference.classify(c.input)
            switch normalized {
            case .valid(let ref):
                #expect(try ReferenceParser.parseRaw(ref.normalized).string == ref.normalized, "\(c.id)")
            case .invalid(.nameTooLong), .invalid(.hexIdentifier):
                #expect(raw.domain.isEmpty, "\(c.id): only a familiar name can grow or be an image id")
            default:
                Issue.record("\(c.id): `\(c.input)` parses raw but normalizes to \(normalized)")
            }
        }
    }
}

@Suite(.enabled(if: Conformance.present, Conformance.absent))
struct EdgeCaseTests {
    /// reference-edge-cases.json: validity, normalized form, familiar form, tag, digest, domain, path and
    /// the Kubernetes default pull policy agree with `ParseNormalizedNamed`; the raw grammar agrees with
    /// `Parse`. Differences are deliberate and argued at `deliberate` below.
    @Test func normalizedAgrees() throws {
        let cases = try Conformance.edgeCases()
        #expect(cases.count == 93)
        for c in cases {
            guard let upstream = c.result("ParseNormalizedNamed") else {
                Issue.record("\(c.input): no ParseNormalizedNamed result")
                continue
            }
            let status = ImageReference.classify(c.input)
            if Templating.unresolvedReason(c.input) != nil {
                // Deliberate: DOMAIN.md §1 says templated text is not yet a reference, so it is unresolved,
                // not invalid. Upstream (which knows nothing of templates) rejects every such row.
                #expect(!upstream.ok, "\(c.input): a templated row upstream accepts")
                guard case .unresolved = status else {
                    Issue.record("\(c.input): templated text should be unresolved, got \(status)")
                    continue
                }
                continue
            }
            switch status {
            case .valid(let ref):
                guard upstream.ok else {
                    Issue.record("\(c.input) (\(c.why)): should be invalid (\(upstream.error ?? "")), got \(ref)")
                    continue
                }
                #expect(ref.normalized == upstream.string, "\(c.input): normalized")
                #expect(ref.domain == upstream.domain, "\(c.input): domain")
                #expect(ref.path == upstream.path, "\(c.input): path")
                #expect(ref.tag == upstream.tag, "\(c.input): tag")
                #expect(ref.digest == upstream.digest, "\(c.input): digest")
                if ref.path.hasPrefix("library/"), ImageReference.isImageID(Substring(ref.path.dropFirst(8)).utf8) {
                    // Deliberate: a Hub repository named by 64 hex keeps `library/` in its familiar form,
                    // because the bare hex is refused as an image id (Hex64NotAllowed) and would not parse
                    // back; upstream's FamiliarString gives the bare hex.
                    #expect(ref.familiar == ref.path, "\(c.input): familiar keeps library/")
                } else {
                    #expect(ref.familiar == upstream.familiar_string, "\(c.input): familiar")
                }
                #expect(ref.defaultPullPolicy.rawValue == c.k8s_default_imagePullPolicy, "\(c.input): pull policy")
            case .invalid(let error):
                #expect(!upstream.ok, "\(c.input) (\(c.why)): should be valid, got \(error)")
            case .unresolved(let why):
                Issue.record("\(c.input): unresolved (\(why)) without template syntax")
            }
        }
    }

    @Test func rawAgrees() throws {
        for c in try Conformance.edgeCases() {
            guard let upstream = c.result("Parse") else { continue }
            let result = Result { () throws(ReferenceError) in try ReferenceParser.parseRaw(c.input) }
            switch result {
            case .success(let ref):
                guard upstream.ok else {
                    Issue.record("\(c.input): raw should be invalid (\(upstream.error ?? "")), got \(ref)")
                    continue
                }
                #expect(ref.string == upstream.string, "\(c.input): raw string")
                #expect(ref.domain == upstream.domain, "\(c.input): raw domain")
                #expect(ref.path == upstream.path, "\(c.input): raw path")
                #expect(ref.tag == upstream.tag, "\(c.input): raw tag")
                #expect(ref.digest == upstream.digest, "\(c.input): raw digest")
            case .failure(let error):
                #expect(!upstream.ok, "\(c.input): raw should be valid, got \(error)")
            }
        }
    }
}

@Suite(.enabled(if: Conformance.present, Conformance.absent))
struct KubernetesCaseTests {
    /// Kubernetes' `TestParseImageName`: `repo` is our `name`, `tag` our `impliedTag` (Kubernetes adds
    /// `latest` only when there is neither tag nor digest), `digest` our `digest`.
    @Test func parseImageName() throws {
        let cases = try Conformance.kubernetesCases()
        #expect(cases.count == 13)
        for c in cases {
            switch ImageReference.classify(c.input) {
            case .valid(let ref):
                #expect(c.valid, "\(c.id): `\(c.input)` should be invalid")
                #expect(ref.name == c.repo, "\(c.id): repo")
                #expect(ref.impliedTag == c.tag, "\(c.id): tag")
                #expect(ref.digest == c.digest, "\(c.id): digest")
                #expect(ref.defaultPullPolicy.rawValue == c.derived_default_imagePullPolicy, "\(c.id): pull policy")
            case .invalid(let error):
                #expect(!c.valid, "\(c.id): `\(c.input)` should be valid, got \(error)")
                // The wording is ours, not Kubernetes' (`http://root` says "URL scheme", not "invalid
                // reference format"); the lowercase rule keeps the upstream phrase.
                if c.error_substring == "must be lowercase" {
                    #expect(error.description.contains("must be lowercase"), "\(c.id): \(error)")
                }
            case .unresolved(let why):
                Issue.record("\(c.id): unresolved: \(why)")
            }
        }
    }
}

@Suite(.enabled(if: Conformance.present, Conformance.absent))
struct RoundTripTests {
    /// Every valid reference of the three tables.
    static func validReferences() throws -> [(id: String, reference: ImageReference)] {
        var out: [(String, ImageReference)] = []
        for c in try Conformance.referenceCases() where c.for["ParseNormalizedNamed"] == true || c.for["Parse"] == true {
            if let r = try? ImageReference.parse(c.input) { out.append((c.id, r)) }
        }
        for c in try Conformance.edgeCases() {
            if let r = try? ImageReference.parse(c.input) { out.append(("edge:\(c.input)", r)) }
        }
        for c in try Conformance.kubernetesCases() {
            if let r = try? ImageReference.parse(c.input) { out.append((c.id, r)) }
        }
        return out
    }

    @Test func normalizedIsAFixedPoint() throws {
        let refs = try Self.validReferences()
        #expect(refs.count > 150)
        for (id, ref) in refs {
            let again = try? ImageReference.parse(ref.normalized)
            #expect(again == ref, "\(id): \(ref.normalized) parses to \(String(describing: again))")
            #expect(again?.normalized == ref.normalized, "\(id)")
        }
    }

    @Test func familiarRoundTrips() throws {
        for (id, ref) in try Self.validReferences() {
            let familiar = ref.familiar
            let normalized = try? ImageReference.parse(familiar)
            #expect(normalized?.normalized == ref.normalized, "\(id): familiar `\(familiar)` → \(String(describing: normalized))")
            #expect(normalized?.familiar == familiar, "\(id): familiar → normalized → familiar")
        }
    }
}
