import ImagelintCore

/// The bytes of a report being written. Appending is a bounds check and a copy: a report appends
/// hundreds of short pieces per finding, and `String`'s own bookkeeping per append (uniqueness, capacity,
/// ASCII and NFC flags) made up most of writing a large JSON report.
public struct ReportBuffer: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    public var count: Int { bytes.count }
    public var isEmpty: Bool { bytes.isEmpty }

    public mutating func removeAll(keepingCapacity: Bool = true) {
        bytes.removeAll(keepingCapacity: keepingCapacity)
    }

    /// The text (the bytes are UTF-8: everything appended was a `String`).
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    @inline(__always)
    public static func += (buffer: inout ReportBuffer, s: String) {
        if let done: Void = s.utf8.withContiguousStorageIfAvailable({ buffer.bytes.append(contentsOf: $0) }) {
            return done
        }
        buffer.bytes.append(contentsOf: s.utf8)
    }

    public static func += (buffer: inout ReportBuffer, other: ReportBuffer) {
        buffer.bytes.append(contentsOf: other.bytes)
    }

    public mutating func append(bytes more: [UInt8]) {
        bytes.append(contentsOf: more)
    }

    public mutating func append(bytes more: ArraySlice<UInt8>) {
        bytes.append(contentsOf: more)
    }

    /// A decimal integer, without a temporary `String`.
    public mutating func append(_ n: Int) {
        if n < 0 {
            bytes.append(UInt8(ascii: "-"))
            if n == .min {
                self += String(n).dropFirst().description
                return
            }
            append(-n)
            return
        }
        if n < 10 {
            bytes.append(UInt8(truncatingIfNeeded: n) &+ 0x30)
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
            UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var v = n
        var i = 20
        withUnsafeMutableBytes(of: &digits) { d in
            while v > 0 {
                i -= 1
                d[i] = UInt8(truncatingIfNeeded: v % 10) &+ 0x30
                v /= 10
            }
            bytes.append(contentsOf: d[i..<20])
        }
    }

    /// `s` as a JSON string literal: the bytes of `JSONValue.writeString`, copied whole when nothing needs
    /// escaping (almost always).
    public mutating func appendJSONString(_ s: String) {
        if JSONValue.needsNoEscaping(s) {
            bytes.append(UInt8(ascii: "\""))
            self += s
            bytes.append(UInt8(ascii: "\""))
        } else {
            var escaped = ""
            JSONValue.writeString(s, to: &escaped)
            self += escaped
        }
    }

    /// `value` serialized with 2-space indentation as if `level` deep in a larger document.
    public mutating func append(_ value: JSONValue, level: Int) {
        var s = ""
        value.serialize(into: &s, indent: 2, level: level)
        self += s
    }

    /// A newline and `2 * level` spaces (JSON's pretty printing).
    public mutating func newline(level: Int) {
        bytes.append(0x0A)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
    }
}
