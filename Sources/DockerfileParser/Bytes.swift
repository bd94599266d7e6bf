import ByteText

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
