#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

enum ASCII {
    static let tab: UInt8 = 0x09
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let hash: UInt8 = 0x23
    static let dollar: UInt8 = 0x24
    static let apostrophe: UInt8 = 0x27
    static let comma: UInt8 = 0x2C
    static let dash: UInt8 = 0x2D
    static let lessThan: UInt8 = 0x3C
    static let equals: UInt8 = 0x3D
    static let backslash: UInt8 = 0x5C
    static let backtick: UInt8 = 0x60
    static let leftBracket: UInt8 = 0x5B
    static let rightBracket: UInt8 = 0x5D

    /// Whitespace as Go's `unicode.IsSpace` sees it in ASCII.
    @inline(__always) static func isSpace(_ c: UInt8) -> Bool {
        c == space || (c >= tab && c <= cr)
    }
    @inline(__always) static func isBlank(_ c: UInt8) -> Bool { c == space || c == tab }
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always) static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    @inline(__always) static func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }
}

/// The offset of the first NUL byte, if any.
func firstNUL(_ bytes: [UInt8]) -> Int? {
    bytes.withUnsafeBytes { b -> Int? in
        guard let base = b.baseAddress, let hit = memchr(base, 0, b.count) else { return nil }
        return base.distance(to: UnsafeRawPointer(hit))
    }
}

/// The offset of the first byte that breaks UTF-8, or nil when `bytes` is valid UTF-8.
func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
    bytes.withUnsafeBufferPointer { b -> Int? in
        let n = b.count
        var i = 0
        let raw = UnsafeRawBufferPointer(b)
        while i < n {
            // ASCII fast path, eight bytes at a time.
            while i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
            }
            guard i < n else { break }
            let c = b[i]
            if c < 0x80 {
                i += 1
                continue
            }
            let len: Int
            var lo: UInt8 = 0x80
            var hi: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: len = 2
            case 0xE0: len = 3; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: len = 3
            case 0xED: len = 3; hi = 0x9F
            case 0xF0: len = 4; lo = 0x90
            case 0xF1...0xF3: len = 4
            case 0xF4: len = 4; hi = 0x8F
            default: return i
            }
            if i + len > n { return i }
            if b[i + 1] < lo || b[i + 1] > hi { return i }
            var k = 2
            while k < len {
                if b[i + k] & 0xC0 != 0x80 { return i }
                k += 1
            }
            i += len
        }
        return nil
    }
}

/// Is `bytes` (from `start`, up to `end`) a JSON array of strings, as BuildKit's exec form requires?
func isJSONStringArray(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Bool {
    var i = start
    func skipSpace() { while i < end, ASCII.isSpace(bytes[i]) { i += 1 } }
    skipSpace()
    guard i < end, bytes[i] == ASCII.leftBracket else { return false }
    i += 1
    skipSpace()
    if i < end, bytes[i] == ASCII.rightBracket {
        i += 1
        skipSpace()
        return i == end
    }
    while true {
        guard i < end, bytes[i] == ASCII.quote else { return false }
        i += 1
        var closed = false
        while i < end {
            let c = bytes[i]
            if c == ASCII.quote {
                closed = true
                i += 1
                break
            }
            if c < 0x20 { return false }
            i += c == ASCII.backslash ? 2 : 1
        }
        guard closed else { return false }
        skipSpace()
        guard i < end else { return false }
        if bytes[i] == ASCII.comma {
            i += 1
            skipSpace()
            continue
        }
        guard bytes[i] == ASCII.rightBracket else { return false }
        i += 1
        skipSpace()
        return i == end
    }
}
