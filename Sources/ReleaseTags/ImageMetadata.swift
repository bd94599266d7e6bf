/// The OCI labels (and the same set as annotations) a build carries: `org.opencontainers.image.version`,
/// `.revision`, `.created`, `.source`, plus the user's `KEY=VALUE` labels, sorted by key.
public struct ImageMetadata: Sendable, Hashable {
    public struct Label: Sendable, Hashable {
        public let key: String
        public let value: String
    }

    public let labels: [Label]

    public init(labels: [Label]) { self.labels = labels }

    /// `KEY=VALUE`, one per label: what `docker/build-push-action` reads as `annotations`.
    public var annotations: [String] { labels.map { $0.key + "=" + $0.value } }

    public static let prefix = "org.opencontainers.image."

    /// The labels for a build. `extra` holds `KEY=VALUE` strings; one with an OCI key replaces the computed one.
    public static func make(
        version: String, revision: String?, created: String, source: String?, extra: [String]
    ) throws(ReleaseInputError) -> ImageMetadata {
        var map: [String: String] = [prefix + "version": version, prefix + "created": created]
        if let revision { map[prefix + "revision"] = revision }
        if let source { map[prefix + "source"] = source }
        for item in extra {
            guard let eq = item.firstIndex(of: "=") else {
                throw ReleaseInputError("--label `\(item)` is not KEY=VALUE")
            }
            let key = String(item[..<eq]), value = String(item[item.index(after: eq)...])
            if key.isEmpty || key.contains(where: { $0.isWhitespace || $0 == "\"" }) {
                throw ReleaseInputError("--label `\(item)`: the key must be non-empty, without spaces or quotes")
            }
            if value.contains(where: { $0.isNewline }) {
                throw ReleaseInputError("--label \(key): the value must be one line (the outputs are one label a line)")
            }
            map[key] = value
        }
        return ImageMetadata(labels: map.keys.sorted().map { Label(key: $0, value: map[$0]!) })
    }

    /// `.created`: `SOURCE_DATE_EPOCH` when set (reproducible builds), else `now`, as RFC 3339 UTC.
    public static func created(environment: [String: String], now: Int) throws(ReleaseInputError) -> String {
        guard let text = environment["SOURCE_DATE_EPOCH"], !text.isEmpty else { return rfc3339(now) }
        guard let seconds = Int(text), seconds >= 0, seconds < 253_402_300_800 else {
            throw ReleaseInputError("SOURCE_DATE_EPOCH `\(text)` is not a number of seconds since 1970")
        }
        return rfc3339(seconds)
    }

    /// `1970-01-01T00:00:00Z` for seconds since 1970 (UTC, proleptic Gregorian calendar).
    public static func rfc3339(_ seconds: Int) -> String {
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let rest = seconds - days * 86400
        // Days to a civil date (H. Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        var year = String(y)
        while year.count < 4 { year = "0" + year }
        return "\(year)-\(two(m))-\(two(d))T\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))Z"
    }
}
