import ImagelintCore
import ImagelintKit
import Testing

/// floating-tag's table: registries with immutable tags, images with two-part release versions, and what the
/// configuration (also through `overrides:`) adds.
@Suite struct FloatingTagTableTests {
    static let cases: [(image: String, floats: Bool, config: String?)] = [
        ("registry.k8s.io/pause:3.9", false, nil),
        ("registry.k8s.io/e2e-test-images/agnhost:2.53", false, nil),
        ("registry.k8s.io/coredns/coredns:v1.11", false, nil),
        ("k8s.gcr.io/pause:3.2", false, nil),
        ("postgres:16.2", false, nil),
        ("postgres:16.2-alpine3.19", false, nil),
        ("docker.io/library/postgres:10.23", false, nil),
        ("postgres:16", true, nil),
        ("postgres:16-alpine", true, nil),
        ("postgres:9.6", true, nil),
        ("ghcr.io/cloudnative-pg/postgresql:16.2", false, nil),
        ("jenkins/jenkins:2.448-jdk17", false, nil),
        ("jenkins/jenkins:lts", true, nil),
        ("nginx:1.25", true, nil),
        ("ghcr.io/acme/base:4.2", true, nil),
        ("ghcr.io/acme/base:4.2", false, "floating:\n  two-part-versions: ['ghcr.io/acme/*']\n"),
        ("ghcr.io/acme/base:4", true, "floating:\n  two-part-versions: ['ghcr.io/acme/*']\n"),
        ("mirror.acme.io/pause:3.9", false, "floating:\n  immutable-registries: [mirror.acme.io]\n"),
        // The user's own floating patterns win over the table.
        ("registry.k8s.io/pause:3.9", true, "floating:\n  floating: ['3\\.9']\n"),
    ]

    @Test(arguments: cases.indices)
    func table(_ i: Int) throws {
        let c = Self.cases[i]
        var options = LintOptions()
        if let config = c.config { options.configuration = try ConfigLoader.parse(Array(config.utf8), file: ".imagelint.yml") }
        let report = Pipeline.lint(contents: Array("FROM \(c.image)\n".utf8), filename: "Dockerfile", options: options)
        let floats = report.findings.contains { $0.rule == "floating-tag" }
        #expect(floats == c.floats, "\(c.image) with \(c.config ?? "no config")")
    }
}
