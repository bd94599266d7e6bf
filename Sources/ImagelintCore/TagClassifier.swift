import ByteText

/// Decides whether a tag is fixed (names one build) or floating (an alias that moves).
///
/// Fixed: contains a full `MAJOR.MINOR.PATCH` (`1.25.3`, `v1.25.3`, `20.11.1-alpine3.19`), a date stamp
/// (`20240211`, `2024-02-11`, `bookworm-20240211`), or a commit/build id (7–40 hex characters with a digit,
/// `sha-<hex>`). Everything else floats (`3`, `3.12`, `v1.29`, `3.12-alpine`, `alpine`, `stable`,
/// `nonroot`, `ltsc2022`). `latest` is its own case. Configured patterns come first: `floating.floating`,
/// then `floating.fixed`.
public struct TagClassifier: Sendable {
    public var fixedPatterns: [Pattern]
    public var floatingPatterns: [Pattern]

    public init(fixedPatterns: [Pattern] = [], floatingPatterns: [Pattern] = []) {
        self.fixedPatterns = fixedPatterns
        self.floatingPatterns = floatingPatterns
    }

    public init(configuration: Configuration) {
        self.init(fixedPatterns: configuration.fixedTagPatterns, floatingPatterns: configuration.floatingTagPatterns)
    }

    public enum Verdict: String, Sendable {
        case fixed, floating
    }

    public func classify(_ tag: String) -> Verdict {
        if floatingPatterns.contains(where: { $0.wholeMatch(tag) }) { return .floating }
        if fixedPatterns.contains(where: { $0.wholeMatch(tag) }) { return .fixed }
        return Self.builtInIsFixed(tag) ? .fixed : .floating
    }

    public func isFloating(_ tag: String) -> Bool { classify(tag) == .floating }


    /// The built-in rule, without configured patterns.
    public static func builtInIsFixed(_ tag: String) -> Bool {
        let b = Array(tag.utf8)
        return hasFullVersion(b) || hasDateStamp(b) || hasBuildID(b)
    }

    /// A run `D+.D+.D+` (not preceded by a digit).
    static func hasFullVersion(_ b: [UInt8]) -> Bool {
        var i = 0
        while i < b.count {
            guard ASCII.isDigit(b[i]), i == 0 || !ASCII.isDigit(b[i - 1]) else {
                i += 1
                continue
            }
            var j = i
            var parts = 0
            while true {
                let start = j
                while j < b.count, ASCII.isDigit(b[j]) { j += 1 }
                if j == start { break }
                parts += 1
                if parts == 3 { return true }
                guard j < b.count, b[j] == UInt8(ascii: "."), j + 1 < b.count, ASCII.isDigit(b[j + 1]) else { break }
                j += 1
            }
            i = max(j, i + 1)
        }
        return false
    }

    /// `YYYYMMDD`, `YYYY-MM-DD`, `YYYY.MM.DD` or `YYYY_MM_DD` as a digit run not part of a longer number.
    static func hasDateStamp(_ b: [UInt8]) -> Bool {
        func num(_ s: ArraySlice<UInt8>) -> Int? {
            guard !s.isEmpty, s.allSatisfy(ASCII.isDigit) else { return nil }
            return s.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        func plausible(_ y: Int, _ m: Int, _ d: Int) -> Bool {
            (1990...2099).contains(y) && (1...12).contains(m) && (1...31).contains(d)
        }
        var i = 0
        while i < b.count {
            if ASCII.isDigit(b[i]), i == 0 || !ASCII.isDigit(b[i - 1]) {
                var j = i
                while j < b.count, ASCII.isDigit(b[j]) { j += 1 }
                let run = b[i..<j]
                if run.count == 8 || (run.count >= 12 && run.count <= 14),
                    let y = num(run.prefix(4)), let m = num(run.dropFirst(4).prefix(2)),
                    let d = num(run.dropFirst(6).prefix(2)), plausible(y, m, d)
                {
                    return true
                }
                if run.count == 4, j + 5 < b.count + 0, j + 6 <= b.count {
                    let sep = b[j]
                    if sep == UInt8(ascii: "-") || sep == UInt8(ascii: ".") || sep == UInt8(ascii: "_"),
                        j + 6 <= b.count, b[j + 3] == sep, j + 6 <= b.count,
                        let y = num(run), let m = num(b[(j + 1)..<(j + 3)]), let d = num(b[(j + 4)..<(j + 6)]),
                        j + 6 == b.count || !ASCII.isDigit(b[j + 6]), plausible(y, m, d)
                    {
                        return true
                    }
                }
                i = j
            } else {
                i += 1
            }
        }
        return false
    }

    /// A `-`/`_`/`.`-separated component of 7–40 hex characters with at least one digit, or `sha-<hex>`.
    static func hasBuildID(_ b: [UInt8]) -> Bool {
        var components: [ArraySlice<UInt8>] = []
        var start = 0
        for (i, c) in b.enumerated() where c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: ".") {
            components.append(b[start..<i])
            start = i + 1
        }
        components.append(b[start..<b.count])
        for (n, comp) in components.enumerated() {
            let isHexID = (7...40).contains(comp.count) && comp.allSatisfy(ASCII.isHex) && comp.contains(where: ASCII.isDigit)
            if isHexID { return true }
            if comp.elementsEqual("sha".utf8), n + 1 < components.count {
                let next = components[n + 1]
                if next.count >= 7, next.allSatisfy(ASCII.isHex) { return true }
            }
        }
        return false
    }
}
