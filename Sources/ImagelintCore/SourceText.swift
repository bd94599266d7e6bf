import ByteText

/// The bytes of a source file with a line index, for turning byte offsets into 1-based line and column
/// (columns in Unicode scalars, a leading UTF-8 BOM not counted) and for fetching a line's text.
/// Lines end at `\n`; a `\r` before it is not part of the line's text.
public struct SourceText: Sendable {
    public let bytes: [UInt8]
    /// Byte offset of the first byte of each line (line 1 at index 0).
    public let lineStarts: [Int]
    /// 3 when the file starts with a UTF-8 BOM, else 0.
    public let bomLength: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.bomLength = UTF8Bytes.bomLength(bytes)
        self.lineStarts = bytes.withUnsafeBufferPointer { buf in
            var starts: [Int] = [0]
            starts.reserveCapacity(buf.count / 24 + 2)
            ByteScan.forEach(0x0A, in: buf) { i in
                starts.append(i + 1)
                return true
            }
            return starts
        }
    }

    public init(_ string: String) { self.init(Array(string.utf8)) }

    public var lineCount: Int { lineStarts.count }

    /// 1-based line containing byte `offset`.
    public func line(ofByte offset: Int) -> Int {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }

    /// 1-based column (Unicode scalars) of byte `offset` on its line.
    public func column(ofByte offset: Int, line: Int) -> Int {
        var start = lineStarts[line - 1]
        if line == 1 { start = max(start, bomLength) }
        return 1 + UTF8Bytes.scalarCount(bytes, from: start, to: offset)
    }

    /// (line, column) of byte `offset`.
    public func position(ofByte offset: Int) -> (line: Int, column: Int) {
        let l = line(ofByte: offset)
        return (l, column(ofByte: offset, line: l))
    }

    /// The span of the bytes `start..<end` (which may cross lines).
    public func span(fromByte start: Int, toByte end: Int) -> Span {
        let s = position(ofByte: start)
        let e = position(ofByte: end)
        return Span(line: s.line, column: s.column, endLine: e.line, endColumn: e.column)
    }

    /// Byte range of line `line` (1-based) without its `\r\n` / `\n`.
    public func byteRange(ofLine line: Int) -> Range<Int> {
        guard line >= 1, line <= lineStarts.count else { return 0..<0 }
        var start = lineStarts[line - 1]
        if line == 1 { start = max(start, bomLength) }
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == 0x0D { end -= 1 }
        return start..<max(start, end)
    }

    /// The text of line `line` (1-based), invalid UTF-8 repaired.
    public func text(ofLine line: Int) -> String {
        String(decoding: bytes[byteRange(ofLine: line)], as: UTF8.self)
    }
}
