import ImagelintCore

/// Hand-built reports for the reporter tests.
enum Fixtures {
    static let latestTag = RuleDescription(
        id: "latest-tag", name: "Latest tag", defaultSeverity: .warning,
        summary: "Image uses the latest tag or no tag",
        rationale: "`latest` moves: pin a release tag or a digest.",
        examples: [
            RuleExample("Dockerfile", "FROM ↓nginx:latest\n", triggers: true),
            RuleExample("Dockerfile", "FROM nginx:1.27.3\n", triggers: false),
        ]
    )
    static let parseError = RuleDescription(
        id: "parse-error", name: "Parse error", defaultSeverity: .error,
        summary: "A file could not be parsed", rationale: "Fix the syntax so imagelint can check the file.",
        examples: []
    )
    static let missingDigest = RuleDescription(
        id: "missing-digest", name: "Missing digest", defaultSeverity: .info,
        summary: "Image is not pinned by digest", rationale: "Only a digest makes a deployment immutable.",
        examples: [RuleExample("deploy.yaml", "kind: Pod\nspec:\n  containers:\n    - image: ↓app:1.0.0\n", triggers: true)]
    )
    static let deprecatedRegistry = RuleDescription(
        id: "deprecated-registry", name: "Deprecated registry", defaultSeverity: .error,
        summary: "Image comes from a deprecated registry", rationale: "The registry moved; use its replacement.",
        examples: []
    )
    static let rules = [latestTag, parseError, missingDigest, deprecatedRegistry]
    static let ruleIDs = rules.map(\.id)

    static var dockerfileContext: TestContext {
        var c = TestContext()
        c.stage = "web"
        c.stageIndex = 0
        c.alias = "web"
        c.instruction = "FROM"
        return c
    }

    static var podContext: TestContext {
        var c = TestContext()
        c.kind = "Deployment"
        c.apiVersion = "apps/v1"
        c.name = "app"
        c.namespace = "prod"
        c.container = "app"
        c.containerList = "containers"
        c.imagePullSecrets = []
        return c
    }

    /// Four linted files plus a finding in a file not among them; every kind of finding.
    static var sample: LintReport {
        let findings = [
            Finding(
                rule: "latest-tag", severity: .warning, message: "Image nginx:latest uses the latest tag",
                file: "Dockerfile", span: Span(line: 1, column: 6, length: 12), image: "nginx:latest",
                resolved: "nginx:latest", source: .dockerfileFrom, origin: Origin(dockerfileContext),
                sourceLine: "FROM nginx:latest AS web"
            ),
            Finding(
                rule: "missing-digest", severity: .info, message: "Image python:3.12 is not pinned by digest",
                file: "Dockerfile", span: Span(line: 3, column: 6, length: 11), image: "python:3.12",
                resolved: "python:3.12", source: .dockerfileFrom, origin: nil, sourceLine: "FROM\tpython:3.12"
            ),
            Finding(
                rule: "parse-error", severity: .error, message: "mapping values are not allowed here",
                file: "broken.yaml", span: Span(line: 2, column: 9, length: 1), sourceLine: "  image: a: b"
            ),
            Finding(
                rule: "deprecated-registry", severity: .error,
                message: "Image registry.bluemix.net/team/app:1.2.3 uses the deprecated registry registry.bluemix.net",
                file: "deploy/app.yaml", span: Span(line: 7, column: 16, length: 35),
                image: "registry.bluemix.net/team/app:1.2.3", resolved: "registry.bluemix.net/team/app:1.2.3",
                source: .kubernetes, origin: Origin(podContext),
                fix: Fix(description: "Use icr.io", replacement: "icr.io/team/app:1.2.3"),
                sourceLine: "        image: registry.bluemix.net/team/app:1.2.3"
            ),
            Finding(
                rule: "latest-tag", severity: .warning, message: "Image redis has no tag",
                file: "orphan.yaml", span: Span(line: 1, column: 8, length: 5), image: "redis", resolved: "redis",
                source: .compose, sourceLine: "image: redis"
            ),
        ]
        let files = [
            LintedFile(path: "Dockerfile", kinds: [.dockerfile], rules: ruleIDs),
            LintedFile(path: "broken.yaml", kinds: [], rules: ruleIDs),
            LintedFile(path: "clean.yaml", kinds: [.kubernetes], rules: ruleIDs),
            LintedFile(path: "deploy/app.yaml", kinds: [.kubernetes], rules: ruleIDs),
        ]
        return LintReport(
            toolVersion: "0.1.0", findings: findings, files: files, rules: rules,
            diagnostics: [Diagnostic(file: "broken.yaml", line: 2, column: 9, message: "mapping values are not allowed here")],
            summary: Summary(files: 4, references: 6, findings: 5, errors: 2, warnings: 2, infos: 1)
        )
    }

    static let clean = LintReport(
        toolVersion: "0.1.0", findings: [],
        files: [LintedFile(path: "Dockerfile", kinds: [.dockerfile], rules: ["latest-tag"])], rules: [latestTag],
        summary: Summary(files: 1, references: 1)
    )

    /// Text with every character that needs escaping somewhere: quote, `<`, `&`, `%`, `,`, `:`, CR, LF, an
    /// emoji (non-BMP), a C0 control (U+0001) and a tab.
    static let nastyMessage = "Image \"a<b>&c%d,e:f\r\ng 🐳 \u{01}x\" has\ta bad tag ]]> 'q'"
    static let nastyImage = "x\"<&%,:\n🐳\u{01}y"
    static let nastyFile = "we,ird:dir/my file%ü🐳.yaml"

    static var nasty: LintReport {
        let finding = Finding(
            rule: "latest-tag", severity: .warning, message: nastyMessage, file: nastyFile,
            span: Span(line: 2, column: 3, length: 4), image: nastyImage, resolved: nil, source: .compose,
            fix: Fix(description: nastyMessage, replacement: nastyImage), sourceLine: "  \u{01}🐳ab"
        )
        return LintReport(
            toolVersion: "0.1.0", findings: [finding],
            files: [LintedFile(path: nastyFile, kinds: [.compose], rules: ["latest-tag"])], rules: [latestTag],
            diagnostics: [Diagnostic(file: nastyFile, line: 1, message: nastyMessage)],
            summary: Summary(files: 1, references: 1, findings: 1, warnings: 1)
        )
    }
}
