#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// The byte-level text helpers every front end shares: ASCII classes, UTF-8 scalar counting (columns),
// byte search. The reference grammar, the Dockerfile lexer, the YAML tree and the line index all read
// bytes, and each once kept its own copy of these.
//
// Meant for this package only (no product exports the module), yet declared `public`, not `package`: the
// Swift 6.3 compiler does not inline `@inlinable package` functions into other modules, and these run once
// per byte. Measured with `imagelint-bench dockerfile` (the lexer row, 2,000 files, 3.6 MB): 18.0 ms
// with `package`, 14.6 ms with `public`, 13.3 ms when each module had its own copy.

/// ASCII bytes and their classes.
public enum ASCII {
    @inlinable public static var tab: UInt8 { 0x09 }
    @inlinable public static var lf: UInt8 { 0x0A }
    @inlinable public static var cr: UInt8 { 0x0D }
    @inlinable public static var space: UInt8 { 0x20 }
    @inlinable public static var quote: UInt8 { 0x22 }
    @inlinable public static var hash: UInt8 { 0x23 }
    @inlinable public static var dollar: UInt8 { 0x24 }
    @inlinable public static var apostrophe: UInt8 { 0x27 }
    @inlinable public static var comma: UInt8 { 0x2C }
    @inlinable public static var dash: UInt8 { 0x2D }
    @inlinable public static var lessThan: UInt8 { 0x3C }
    @inlinable public static var equals: UInt8 { 0x3D }
    @inlinable public static var backslash: UInt8 { 0x5C }
    @inlinable public static var backtick: UInt8 { 0x60 }
    @inlinable public static var leftBracket: UInt8 { 0x5B }
    @inlinable public static var rightBracket: UInt8 { 0x5D }

    /// Whitespace as Go's `unicode.IsSpace` sees it in ASCII: space, `\t`, `\n`, `\v`, `\f`, `\r`.
    @inlinable @inline(__always) public static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
    /// Space or tab.
    @inlinable @inline(__always) public static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
    @inlinable @inline(__always) public static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    @inlinable @inline(__always) public static func isUpper(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
    @inlinable @inline(__always) public static func isLower(_ c: UInt8) -> Bool { c >= 0x61 && c <= 0x7A }
    @inlinable @inline(__always) public static func isLetter(_ c: UInt8) -> Bool { isUpper(c) || isLower(c) }
    @inlinable @inline(__always) public static func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || isLetter(c) }
    @inlinable @inline(__always) public static func isLowerAlnum(_ c: UInt8) -> Bool { isDigit(c) || isLower(c) }
    /// A letter, digit or `_`.
    @inlinable @inline(__always) public static func isWord(_ c: UInt8) -> Bool { isAlnum(c) || c == 0x5F }
    @inlinable @inline(__always) public static func isLowerHex(_ c: UInt8) -> Bool { isDigit(c) || (c >= 0x61 && c <= 0x66) }
    @inlinable @inline(__always) public static func isHex(_ c: UInt8) -> Bool { isLowerHex(c) || (c >= 0x41 && c <= 0x46) }
    @inlinable @inline(__always) public static func lower(_ c: UInt8) -> UInt8 { isUpper(c) ? c | 0x20 : c }
}

/// UTF-8 facts about byte buffers.
public enum UTF8Bytes {
    /// The UTF-8 byte order mark.
    public static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// 3 when `bytes` start with a UTF-8 BOM, else 0.
    @inlinable public static func bomLength<C: Collection<UInt8>>(_ bytes: C) -> Int {
        bytes.starts(with: bom) ? 3 : 0
    }

    /// True for a byte that starts a scalar (not a continuation byte `10xxxxxx`).
    @inlinable @inline(__always) public static func isScalarStart(_ c: UInt8) -> Bool { c & 0xC0 != 0x80 }

    /// The Unicode scalars that start in `bytes[from..<to]` (clamped to the buffer): the column distance
    /// between two offsets of one line, columns being counted in scalars.
    @inlinable public static func scalarCount<C: RandomAccessCollection<UInt8>>(_ bytes: C, from: Int, to: Int) -> Int
    where C.Index == Int {
        var n = 0
        var i = max(from, bytes.startIndex)
        let end = min(to, bytes.endIndex)
        while i < end {
            if isScalarStart(bytes[i]) { n += 1 }
            i += 1
        }
        return n
    }

    /// True when every byte is ASCII (checked eight bytes at a time).
    public static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = bytes.count
        if let base = bytes.baseAddress {
            while i + 8 <= n {
                if base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
                i += 8
            }
        }
        while i < n {
            if bytes[i] >= 0x80 { return false }
            i += 1
        }
        return true
    }

    /// The offset of the first byte that breaks UTF-8, or nil when `bytes` is valid UTF-8. ASCII text (most
    /// build files) is recognised eight bytes at a time; other text is validated by the standard library,
    /// and only an invalid buffer is walked again, scalar by scalar, for the offset.
    public static func firstInvalid(_ bytes: [UInt8]) -> Int? {
        if bytes.withUnsafeBytes({ isASCII($0) }) { return nil }
        if String(validating: bytes, as: UTF8.self) != nil { return nil }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}

/// Finding bytes in a buffer.
public enum ByteScan {
    /// Calls `body` with the offset of every `byte` in `buffer`, in order, until `body` returns false;
    /// eight bytes at a time (the line index and the suppression pre-check scan every file with it).
    @inlinable @inline(__always)
    public static func forEach(_ byte: UInt8, in buffer: UnsafeBufferPointer<UInt8>, _ body: (Int) -> Bool) {
        var i = 0
        let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
        if let base = UnsafeRawPointer(buffer.baseAddress) {
            while i + 8 <= buffer.count {
                let x = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) ^ pattern
                // The top bit of each byte of `x` that is zero, exactly (no carries between bytes).
                var mask = ~(((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x) & 0x8080_8080_8080_8080
                while mask != 0 {
                    if !body(i + (mask.trailingZeroBitCount >> 3)) { return }
                    mask &= mask &- 1
                }
                i += 8
            }
        }
        while i < buffer.count {
            if buffer[i] == byte, !body(i) { return }
            i += 1
        }
    }

    /// The offset of the first `byte` in `bytes`, if any (`memchr`).
    public static func firstIndex(of byte: UInt8, in bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBytes { b -> Int? in
            guard let base = b.baseAddress, let hit = memchr(base, Int32(byte), b.count) else { return nil }
            return base.distance(to: UnsafeRawPointer(hit))
        }
    }

    /// The offset of the first occurrence of `needle` in `haystack`, if any; 0 for an empty needle. The
    /// candidates are found by the needle's first byte, eight bytes at a time.
    public static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard let first = needle.first else { return 0 }
        guard haystack.count >= needle.count else { return nil }
        let last = haystack.count - needle.count
        var found: Int? = nil
        haystack.withUnsafeBufferPointer { h in
            forEach(first, in: h) { i in
                guard i <= last else { return false }
                var k = 1
                while k < needle.count, h[i + k] == needle[k] { k += 1 }
                if k == needle.count {
                    found = i
                    return false
                }
                return true
            }
        }
        return found
    }

    /// 1-based line and column (columns in Unicode scalars, a leading BOM not counted) of byte `offset`,
    /// lines breaking at `\n`; a linear scan, for the rare position outside a line index (parser errors).
    public static func position(ofByte offset: Int, in bytes: UnsafeRawBufferPointer) -> (line: Int, column: Int) {
        let end = min(offset, bytes.count)
        var line = 1
        var lineStart = UTF8Bytes.bomLength(bytes)
        forEach(0x0A, in: bytes.assumingMemoryBound(to: UInt8.self)) { i in
            guard i < end else { return false }
            line += 1
            lineStart = i + 1
            return true
        }
        return (line, 1 + UTF8Bytes.scalarCount(bytes, from: lineStart, to: end))
    }
}
