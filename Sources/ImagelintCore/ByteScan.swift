/// Finding one byte value in a buffer eight bytes at a time, for the scans every file goes through (the
/// line index, the suppression pre-check).
enum ByteScan {
    /// Calls `body` with the offset of every `byte` in `buffer`, in order, until `body` returns false.
    @inline(__always)
    static func forEach(_ byte: UInt8, in buffer: UnsafeBufferPointer<UInt8>, _ body: (Int) -> Bool) {
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
}
