/// Path and URI helpers shared by the reporters.
enum Paths {
    /// `path` without leading `./` segments.
    static func repositoryRelative(_ path: String) -> String {
        var p = Substring(path)
        while p.hasPrefix("./") {
            p = p.dropFirst(2)
            while p.hasPrefix("/") { p = p.dropFirst() }
        }
        return p.isEmpty ? path : String(p)
    }

    /// True for `/x` and Windows drive paths (`C:/x`, `C:\x`).
    static func isAbsolute(_ path: String) -> Bool {
        if path.hasPrefix("/") { return true }
        return hasDriveLetter(path)
    }

    private static func hasDriveLetter(_ path: String) -> Bool {
        let u = Array(path.utf8.prefix(3))
        guard u.count == 3 else { return false }
        let letter = (u[0] >= 0x41 && u[0] <= 0x5A) || (u[0] >= 0x61 && u[0] <= 0x7A)
        return letter && u[1] == UInt8(ascii: ":") && (u[2] == UInt8(ascii: "/") || u[2] == UInt8(ascii: "\\"))
    }

    /// A URI reference for `path`: absolute paths become `file://` URIs (`file:///C:/x` for drive
    /// paths), relative ones a relative reference. Every byte of the UTF-8 outside the unreserved set
    /// and `/` is percent-encoded (so `:` in a first segment cannot read as a scheme); a drive letter's
    /// colon is kept.
    static func uri(_ path: String) -> (uri: String, isAbsolute: Bool) {
        if hasDriveLetter(path) {
            let normalized = path.replacingBackslashes()
            let drive = String(normalized.prefix(2))
            return ("file:///" + drive + percentEncode(String(normalized.dropFirst(2))), true)
        }
        if path.hasPrefix("/") {
            var p = Substring(path)
            while p.hasPrefix("//") { p = p.dropFirst() }
            return ("file://" + percentEncode(String(p)), true)
        }
        return (percentEncode(repositoryRelative(path)), false)
    }

    static func percentEncode(_ s: String) -> String {
        let hex = Array("0123456789ABCDEF".unicodeScalars)
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out += "%"
                out.unicodeScalars.append(hex[Int(b >> 4)])
                out.unicodeScalars.append(hex[Int(b & 0x0F)])
            }
        }
        return out
    }
}

extension String {
    fileprivate func replacingBackslashes() -> String {
        String(unicodeScalars.map { $0 == "\\" ? "/" : Character($0) })
    }
}
