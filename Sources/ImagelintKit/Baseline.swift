import FastYAML
import ImagelintCore

/// A baseline: today's findings, recorded so that only new ones are reported (`--write-baseline FILE`,
/// `--baseline FILE`). A finding is identified by rule, file and reference as written (its message when it is
/// not about an image), never by line, so edits above it do not break the match; the same identity can occur
/// several times (`count`). The file is sorted, stable JSON, meant to be committed.
public struct Baseline: Sendable {
    public struct Key: Hashable, Sendable, Comparable {
        public var rule: String
        public var file: String
        /// The reference as written, or the message for a finding not about an image.
        public var reference: String

        public init(_ f: Finding) {
            rule = f.rule
            file = Baseline.normalized(f.file)
            reference = f.image ?? f.message
        }

        init(rule: String, file: String, reference: String) {
            self.rule = rule
            self.file = Baseline.normalized(file)
            self.reference = reference
        }

        public static func < (a: Key, b: Key) -> Bool {
            (a.file, a.rule, a.reference) < (b.file, b.rule, b.reference)
        }
    }

    public private(set) var counts: [Key: Int] = [:]

    public init() {}

    /// `./a/b` and `a/b` are one file.
    static func normalized(_ path: String) -> String {
        var p = Substring(path)
        while p.hasPrefix("./") { p = p.dropFirst(2) }
        return String(p)
    }

    /// Records a finding (suppressed ones are not recorded: their suppression already says why).
    public mutating func record(_ f: Finding) {
        guard !f.isSuppressed else { return }
        counts[Key(f), default: 0] += 1
    }

    /// Takes one occurrence of `f`'s identity out of the baseline: true when the baseline held it.
    public mutating func absorb(_ f: Finding) -> Bool {
        let key = Key(f)
        guard let n = counts[key], n > 0 else { return false }
        counts[key] = n - 1
        return true
    }

    /// Entries not matched by any finding (what `absorb` left).
    public var remaining: Int { counts.values.reduce(0, +) }

    /// The baseline file: `{"version": 1, "findings": [{rule, file, reference, count}…]}`, sorted.
    public var json: String {
        let entries: [JSONValue] = counts.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { key, count in
            .object([
                ("file", .string(key.file)), ("rule", .string(key.rule)), ("reference", .string(key.reference)),
                ("count", .int(count)),
            ])
        }
        return JSONValue.object([("version", .int(1)), ("findings", .array(entries))]).serialized(indent: 2) + "\n"
    }

    /// Reads a baseline file.
    public static func load(path: String) throws(ConfigError) -> Baseline {
        let bytes: [UInt8]
        switch FileSystem.read(path, limit: 256 * 1024 * 1024) {
        case .success(let b): bytes = b
        case .failure(let p): throw ConfigError(file: path, line: 1, column: 1, message: "cannot read the baseline: \(p.message)")
        }
        let stream = YAMLStream.parse(bytes)
        if let e = stream.errors.first {
            throw ConfigError(file: path, line: e.line, column: e.column, message: "invalid baseline JSON: \(e.message)")
        }
        guard let root = stream.documents.first?.root, root.isMapping, let list = root["findings"], list.isSequence else {
            throw ConfigError(file: path, line: 1, column: 1, message: "not an imagelint baseline: expected {\"version\": 1, \"findings\": […]}")
        }
        var baseline = Baseline()
        for e in list.elements {
            guard e.isMapping, let rule = text(e, "rule"), let file = text(e, "file"), let reference = text(e, "reference")
            else {
                throw ConfigError(
                    file: path, line: e.startLine + 1, column: e.startColumn + 1,
                    message: "a baseline entry needs `rule`, `file` and `reference`")
            }
            let count = text(e, "count").flatMap { Int($0) } ?? 1
            baseline.counts[Key(rule: rule, file: file, reference: reference), default: 0] += max(count, 0)
        }
        return baseline
    }

    static func text(_ node: YAMLNode, _ key: String) -> String? {
        guard let v = node[key], v.isScalar, !v.isNull else { return nil }
        return v.scalarText
    }

    /// Writes the baseline atomically.
    public func write(to path: String) throws(InputProblem) {
        let file = try AtomicFile(path: path)
        do {
            try file.write(json)
            try file.commit()
        } catch {
            file.abort()
            throw error
        }
    }
}
