import Foundation
import Testing

@testable import ReleaseTags
import TestSupport

@Suite("Semantic versions: semver-validity.json conformance")
struct SemverConformanceTests {
    @Test(arguments: SemverConformance.valid)
    func acceptsValid(_ text: String) throws {
        let v = try SemanticVersion.parse(text)
        // The normalized form is the input itself: nothing is dropped or rewritten.
        #expect(v.description == text)
    }

    @Test(arguments: SemverConformance.invalid)
    func rejectsInvalid(_ text: String) {
        #expect(SemanticVersion(text) == nil)
        #expect(throws: VersionSyntaxError.self) { try SemanticVersion.parse(text) }
    }

    @Test(arguments: SemverConformance.chains)
    func chainIsAscending(_ chain: [String]) throws {
        let versions = try chain.map { try SemanticVersion.parse($0) }
        for (a, b) in zip(versions, versions.dropFirst()) {
            #expect(a < b, "\(a) < \(b)")
            #expect(!(b < a), "not \(b) < \(a)")
        }
        // Sorting any arrangement gives the chain back.
        #expect(versions.reversed().sorted().map(\.description) == chain)
        var rng = TestSeed.generator("precedence chain shuffle")
        #expect(versions.shuffled(using: &rng).sorted().map(\.description) == chain, "seed \(rng.seed)")
    }

    @Test(arguments: SemverConformance.lessThan)
    func pairIsLessThan(_ pair: [String]) throws {
        let a = try SemanticVersion.parse(pair[0])
        let b = try SemanticVersion.parse(pair[1])
        #expect(a < b)
        #expect(!(b < a))
        #expect(a != b)
        #expect(SemanticVersion.compare(a, b) < 0 && SemanticVersion.compare(b, a) > 0)
    }

    @Test(arguments: SemverConformance.equal)
    func buildMetadataIsIgnoredForPrecedence(_ pair: [String]) throws {
        let a = try SemanticVersion.parse(pair[0])
        let b = try SemanticVersion.parse(pair[1])
        #expect(a == b)
        #expect(!(a < b) && !(b < a))
        #expect(a.hashValue == b.hashValue)
        #expect(!a.isIdentical(to: b))
    }

    /// Guards the copy in SemverConformance.swift against drifting from the shared file.
    @Test(.enabled(if: TestPaths.shared("conformance/semver-validity.json") != nil,
        Comment(rawValue: TestPaths.sharedAbsent("conformance/semver-validity.json"))))
    func conformanceCopyMatchesSharedFile() throws {
        let file = URL(fileURLWithPath: try #require(TestPaths.shared("conformance/semver-validity.json")))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        let supplementary = try #require(json["supplementary"] as? [String: [[String: String]]])
        let valid = try #require(json["valid"] as? [String]) + (supplementary["valid"] ?? []).compactMap { $0["input"] }
        let invalid =
            try #require(json["invalid"] as? [String]) + (supplementary["invalid"] ?? []).compactMap { $0["input"] }
        #expect(valid == SemverConformance.valid)
        #expect(invalid == SemverConformance.invalid)
        let precedence = try #require(json["precedence"] as? [String: Any])
        #expect(precedence["pairs_less_than_from_semver_semver_833"] as? [[String]] == SemverConformance.lessThan)
        #expect(precedence["equal_precedence_build_ignored"] as? [[String]] == SemverConformance.equal)
        #expect(precedence["spec_chain_ascending"] as? [String] == SemverConformance.chains[0])
    }
}

@Suite("Semantic versions: parsing, messages, precedence")
struct SemanticVersionTests {
    @Test func partsAreExposed() throws {
        let v = try SemanticVersion.parse("10.20.30-rc.1.x-y+build.007")
        #expect(v.major == "10" && v.minor == "20" && v.patch == "30")
        #expect(v.prerelease == [.alphanumeric("rc"), .numeric("1"), .alphanumeric("x-y")])
        #expect(v.build == ["build", "007"])
        #expect(v.isPrerelease)
        #expect(v.core == "10.20.30")
        #expect(v.withoutBuild == "10.20.30-rc.1.x-y")
    }

    @Test func leadingVOnlyWhenAllowed() throws {
        #expect(try SemanticVersion.parse("v1.2.3", allowLeadingV: true).description == "1.2.3")
        #expect(throws: VersionSyntaxError.self) { try SemanticVersion.parse("v1.2.3") }
        #expect(throws: VersionSyntaxError.self) { try SemanticVersion.parse("V1.2.3", allowLeadingV: true) }
        #expect(throws: VersionSyntaxError.self) { try SemanticVersion.parse("vv1.2.3", allowLeadingV: true) }
        #expect(throws: VersionSyntaxError.self) { try SemanticVersion.parse("v", allowLeadingV: true) }
    }

    @Test(arguments: [
        ("1.2", VersionSyntaxError.Part.patch, "patch version is missing"),
        ("1", .minor, "minor version is missing"),
        ("1.2-rc.1", .patch, "patch version is missing"),
        ("01.2.3", .major, "major version `01` must not have a leading zero"),
        ("1.02.3", .minor, "minor version `02` must not have a leading zero"),
        ("1.2.03", .patch, "patch version `03` must not have a leading zero"),
        ("1.2.3-", .prerelease, "pre-release after `-` is empty"),
        ("1.2.3-01", .prerelease, "pre-release identifier `01` is numeric and must not have a leading zero"),
        ("1.2.3-rc..1", .prerelease, "pre-release has an empty identifier"),
        ("1.2.3-beta_1", .prerelease, "pre-release identifier `beta_1` contains `_`"),
        ("1.2.3+", .build, "build metadata after `+` is empty"),
        ("1.2.3+a+b", .build, "build metadata identifier `a+b` contains `+`"),
        ("1.2.3+a.", .build, "build metadata has an empty identifier"),
        ("latest", .version, "must start with a digit"),
        ("", .version, "is empty"),
        ("1.2.3.4", .patch, "patch version is followed by `.4`"),
        ("1.x.3", .minor, "minor version must be a number, found `x.3`"),
        ("1,2.3", .major, "major version is followed by `,2.3`"),
        ("1.2.3 ", .patch, "patch version is followed by ` `"),
        ("1.2.3-é", .prerelease, "contains `non-ASCII text`"),
    ])
    func messagesSayWhichPartAndWhy(_ text: String, part: VersionSyntaxError.Part, reason: String) {
        do {
            _ = try SemanticVersion.parse(text)
            Issue.record("`\(text)` parsed")
        } catch {
            #expect(error.part == part)
            #expect(error.reason.contains(reason), "\(error.reason)")
            #expect(error.description.hasPrefix("invalid version `\(text)`: "))
        }
    }

    @Test func hugeNumbersCompareExactly() throws {
        let a = try SemanticVersion.parse("99999999999999999999999.0.0")
        let b = try SemanticVersion.parse("100000000000000000000000.0.0")
        let c = try SemanticVersion.parse("99999999999999999999998.999.999")
        #expect(c < a && a < b)
        #expect(try SemanticVersion.parse("1.0.0-99999999999999999999") < SemanticVersion.parse("1.0.0-100000000000000000000"))
    }

    @Test(arguments: [
        ("1.0.0-alpha", "1.0.0-Alpha", 1),  // ASCII order: uppercase sorts first
        ("1.0.0-1", "1.0.0-a", -1),  // numeric before alphanumeric
        ("1.0.0-10", "1.0.0-9", 1),  // numerically, not lexically
        ("1.0.0-0a", "1.0.0-1", 1),  // `0a` is alphanumeric
        ("1.0.0-rc.1+x", "1.0.0-rc.1+y", 0),
        ("2.0.0", "10.0.0", -1),
        ("1.0.0", "1.0.0-rc.1", 1),
    ])
    func precedence(_ a: String, _ b: String, _ expected: Int) throws {
        let x = try SemanticVersion.parse(a)
        let y = try SemanticVersion.parse(b)
        #expect(SemanticVersion.compare(x, y) == expected)
        #expect(SemanticVersion.compare(y, x) == -expected)
    }

    @Test func randomInputNeverCrashes() {
        var rng = TestSeed.generator("randomInputNeverCrashes (SemanticVersion)", fixed: 7)
        let alphabet = Array("0123456789.-+vVaz_ é".unicodeScalars)
        for _ in 0..<5000 {
            let length = Int(rng.next() % 14)
            var s = ""
            for _ in 0..<length { s.unicodeScalars.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            if let v = try? SemanticVersion.parse(s, allowLeadingV: true) {
                // Whatever parses round-trips through its normalized form.
                #expect(SemanticVersion(v.description)?.isIdentical(to: v) == true, "\(s) (seed \(rng.seed))")
            }
        }
    }
}
