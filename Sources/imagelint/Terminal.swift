#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Thin access to the terminal and environment.
enum Terminal {
    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

    static func environment(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        return String(cString: v)
    }

    /// Colour when stdout is a terminal and NO_COLOR is unset (https://no-color.org).
    static var stdoutWantsColor: Bool {
        if let v = environment("NO_COLOR"), !v.isEmpty { return false }
        return isatty(1) == 1
    }
}
