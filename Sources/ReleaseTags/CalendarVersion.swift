/// A calendar version, `YYYY.MM.MICRO` (`2024.5.0`, `2024.05.0`) or `YY.0M.MICRO` (`24.05.0`), with an
/// optional pre-release after `-` (`2024.05.0-rc.1`). Leading zeros are allowed in the month and the micro
/// number; comparison is numeric (a two-digit year is in the 2000s).
public struct CalendarVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, month and micro number as written.
    public let year: String, month: String, micro: String
    /// The pre-release identifiers after `-`, or nil for a release.
    public let prerelease: String?

    let yearValue: Int, monthValue: Int
    /// The micro number without leading zeros, compared as a decimal string of any size.
    let microDigits: String

    public var isPrerelease: Bool { prerelease != nil }

    /// `YEAR.MONTH.MICRO[-pre]` as written.
    public var description: String { year + "." + month + "." + micro + (prerelease.map { "-" + $0 } ?? "") }

    /// Parses `text`; with `allowLeadingV`, one leading `v` is dropped.
    public static func parse(_ text: String, allowLeadingV: Bool = true) throws(ReleaseInputError) -> CalendarVersion {
        var body = Substring(text)
        if allowLeadingV, body.first == "v" { body = body.dropFirst() }
        var prerelease: String? = nil
        if let dash = body.firstIndex(of: "-") {
            let pre = body[body.index(after: dash)...]
            let ids = pre.split(separator: ".", omittingEmptySubsequences: false)
            if pre.isEmpty || ids.contains(where: { $0.isEmpty || !$0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") } }) {
                throw ReleaseInputError("invalid calendar version `\(text)`: the pre-release after `-` must be dot-separated letters, digits and `-`")
            }
            prerelease = String(pre)
            body = body[..<dash]
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        func isDigits(_ s: String) -> Bool { !s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber } }
        guard parts.count == 3, parts.allSatisfy(isDigits) else {
            throw ReleaseInputError("invalid calendar version `\(text)`: expected YYYY.MM.MICRO or YY.0M.MICRO such as 2024.05.1")
        }
        let (y, m, micro) = (parts[0], parts[1], parts[2])
        guard y.count == 4 || y.count == 2 else {
            throw ReleaseInputError("invalid calendar version `\(text)`: the year `\(y)` must have four digits (YYYY) or two (YY)")
        }
        if y.count == 2, m.count != 2 {
            throw ReleaseInputError("invalid calendar version `\(text)`: with a two-digit year the month is two digits (YY.0M.MICRO)")
        }
        guard m.count <= 2, let month = Int(m), (1...12).contains(month) else {
            throw ReleaseInputError("invalid calendar version `\(text)`: the month `\(m)` must be 1 to 12")
        }
        let yearValue = Int(y)! + (y.count == 2 ? 2000 : 0)
        let digits = String(micro.drop { $0 == "0" })
        return CalendarVersion(
            year: y, month: m, micro: micro, prerelease: prerelease, yearValue: yearValue, monthValue: month,
            microDigits: digits.isEmpty ? "0" : digits)
    }

    /// Parses `text` strictly (no leading `v`), or nil.
    public init?(_ text: String) {
        guard let v = try? Self.parse(text, allowLeadingV: false) else { return nil }
        self = v
    }

    init(year: String, month: String, micro: String, prerelease: String?, yearValue: Int, monthValue: Int, microDigits: String) {
        self.year = year
        self.month = month
        self.micro = micro
        self.prerelease = prerelease
        self.yearValue = yearValue
        self.monthValue = monthValue
        self.microDigits = microDigits
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.yearValue == b.yearValue && a.monthValue == b.monthValue && a.microDigits == b.microDigits && a.prerelease == b.prerelease
    }

    public func hash(into h: inout Hasher) {
        h.combine(yearValue)
        h.combine(monthValue)
        h.combine(microDigits)
        h.combine(prerelease)
    }

    public static func < (a: Self, b: Self) -> Bool {
        if a.yearValue != b.yearValue { return a.yearValue < b.yearValue }
        if a.monthValue != b.monthValue { return a.monthValue < b.monthValue }
        if a.microDigits != b.microDigits {
            return a.microDigits.count != b.microDigits.count
                ? a.microDigits.count < b.microDigits.count : a.microDigits < b.microDigits
        }
        switch (a.prerelease, b.prerelease) {
        case (nil, nil), (nil, _?): return false
        case (_?, nil): return true
        case (let x?, let y?): return x < y
        }
    }
}

extension ReleaseTags {
    /// The tags for a calendar version: `YYYY.MM.MICRO`, `YYYY.MM`, `latest` (and `YYYY` with `yearTag`),
    /// written as the version is. Floating tags move only forwards, as for semantic versions: `YYYY.MM` only
    /// when the version is at least every existing `YYYY.MM.*` release, and so on.
    public static func plan(
        for version: CalendarVersion, yearTag: Bool, policy: TagPolicy = TagPolicy(), existing: [String] = []
    ) throws(TagPlanError) -> (tags: [String], skipped: [SkippedTag]) {
        let fixed = policy.prefix + version.description + policy.suffix
        var releases: [(tag: String, version: CalendarVersion)] = []
        for tag in existing {
            guard tag.hasPrefix(policy.prefix), tag.hasSuffix(policy.suffix),
                tag.utf8.count >= policy.prefix.utf8.count + policy.suffix.utf8.count
            else { continue }
            let middle = String(tag.dropFirst(policy.prefix.count).dropLast(policy.suffix.count))
            if let v = CalendarVersion(middle), !v.isPrerelease { releases.append((tag, v)) }
        }
        var floating: [(tag: String, scope: (CalendarVersion) -> Bool)] = []
        if policy.includeMinor {
            floating.append(
                (policy.prefix + version.year + "." + version.month + policy.suffix,
                 { $0.yearValue == version.yearValue && $0.monthValue == version.monthValue }))
        }
        if yearTag {
            floating.append((policy.prefix + version.year + policy.suffix, { $0.yearValue == version.yearValue }))
        }
        return try fanOut(
            fixed: fixed, tags: [fixed], version: version, isPrerelease: version.isPrerelease, releases: releases,
            floating: floating, policy: policy, existing: existing)
    }
}
