import ImagelintCore

/// The outputs build tools read, built from a plan: JSON, a `docker buildx bake` definition, and
/// GitHub Actions step outputs.
public enum ReleaseOutput {
    /// `version`, `prerelease`, `tags`, `references`, `skipped`, `labels` (an object) and `annotations`.
    public static func json(_ plan: ReleasePlan, references: [String], metadata: ImageMetadata) -> JSONValue {
        .object([
            ("version", .string(plan.version)),
            ("prerelease", .bool(plan.prerelease)),
            ("tags", .array(plan.tags.map { .string($0) })),
            ("references", .array(references.map { .string($0) })),
            ("skipped", .array(plan.skipped.map { .object([("tag", .string($0.tag)), ("reason", .string($0.reason))]) })),
            ("labels", .object(metadata.labels.map { ($0.key, .string($0.value)) })),
            ("annotations", .array(metadata.annotations.map { .string($0) })),
        ])
    }

    /// The bake target name `docker/metadata-action` uses, which bake files `inherits` from.
    public static let bakeTarget = "docker-metadata-action"

    /// `{"target": {"docker-metadata-action": {"tags": [...], "labels": {...}, "annotations": [...]}}}`, the
    /// definition `docker buildx bake -f FILE` merges into the targets that inherit from it.
    public static func bake(tags: [String], metadata: ImageMetadata) -> String {
        JSONValue.object([
            ("target", .object([
                (bakeTarget, .object([
                    ("tags", .array(tags.map { .string($0) })),
                    ("labels", .object(metadata.labels.map { ($0.key, .string($0.value)) })),
                    ("annotations", .array(metadata.annotations.map { .string($0) })),
                ])),
            ])),
        ]).serialized(indent: 2) + "\n"
    }

    /// Step outputs in `$GITHUB_OUTPUT`'s multi-line syntax, `NAME<<DELIMITER`, the value, `DELIMITER`; each
    /// delimiter is random and occurs neither in the name nor in the value (the runner's rule).
    public static func github(
        _ outputs: [(name: String, value: String)], delimiter: () -> String = randomDelimiter
    ) -> String {
        var out = ""
        for (name, value) in outputs {
            var d = delimiter()
            while d.isEmpty || name.contains(d) || value.contains(d) { d = delimiter() }
            out += name + "<<" + d + "\n" + value + "\n" + d + "\n"
        }
        return out
    }

    /// The outputs `docker/metadata-action` gives, with the same names: `tags` (full references when
    /// images are named), `labels`, `annotations` (one a line), `version` and `json`.
    public static func githubOutputs(
        _ plan: ReleasePlan, references: [String], metadata: ImageMetadata
    ) -> [(name: String, value: String)] {
        [
            ("tags", (references.isEmpty ? plan.tags : references).joined(separator: "\n")),
            ("labels", metadata.annotations.joined(separator: "\n")),
            ("annotations", metadata.annotations.joined(separator: "\n")),
            ("version", plan.version),
            ("json", json(plan, references: references, metadata: metadata).serialized(indent: 0)),
        ]
    }

    /// `ghadelimiter_` and 128 random bits in hex.
    public static func randomDelimiter() -> String {
        var g = SystemRandomNumberGenerator()
        let hex = (0..<2).map { _ in
            let s = String(g.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }
        return "ghadelimiter_" + hex.joined()
    }
}
