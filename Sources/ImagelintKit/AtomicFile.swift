import ImagelintCore
import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file written atomically: the bytes go to a temporary file beside it, which replaces the file only on
/// `commit` (after `fsync`). Until then, and if anything fails, the old file is untouched.
///
/// What is replaced is always a regular file: a target that exists and is something else (`/dev/null`, a
/// FIFO, a terminal) is written in place, and `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` write to that
/// descriptor. A symbolic link is written through (its target is replaced, the link stays). A replaced
/// file keeps its mode (and owner, when allowed); a new one gets 0666 less the umask. The temporary file
/// is removed if the process is interrupted (SIGINT, SIGTERM, SIGHUP), once `removeTemporariesOnSignals`
/// has been called.
public final class AtomicFile: ByteSink {
    public let path: String
    /// The file replaced on commit (the link's target when `path` is a symbolic link); nil when in place.
    private let target: String?
    private let temporary: String
    private var fd: Int32
    /// The slot of `temporary` in the signal handler's list.
    private var slot: Int?

    /// Creates the temporary file (or opens the target in place); throws when that is not possible.
    public init(path: String) throws(InputProblem) {
        self.path = path
        if let descriptor = Self.descriptorPath(path) {
            let fd = dup(descriptor)
            guard fd >= 0 else { throw InputProblem(path: path, message: "cannot write: \(FileSystem.errorText(errno))") }
            self.fd = fd
            target = nil
            temporary = ""
            return
        }
        var st = stat()
        let exists = stat(path, &st) == 0
        if exists, st.st_mode & S_IFMT != S_IFREG {
            // A device, FIFO or socket: written as it is (replacing `/dev/null` with a file would damage the
            // machine). A directory fails to open, with its reason.
            let fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY)
            guard fd >= 0 else { throw InputProblem(path: path, message: "cannot write: \(FileSystem.errorText(errno))") }
            self.fd = fd
            target = nil
            temporary = ""
            return
        }
        // Through a symbolic link to the file it names (created when the link dangles).
        let resolved = exists ? (FileSystem.realPath(path, raw: nil).map { String(decoding: $0, as: UTF8.self) } ?? path) : Self.danglingTarget(path) ?? path
        let dir: String
        if let slash = resolved.lastIndex(of: "/") {
            dir = slash == resolved.startIndex ? "/" : String(resolved[..<slash])
        } else {
            dir = "."
        }
        var template = Array(FileSystem.join(dir, ".\(FileSystem.baseName(resolved)).imagelint-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw InputProblem(path: path, message: "cannot create a temporary file in \(dir): \(FileSystem.errorText(errno))")
        }
        self.fd = fd
        target = resolved
        temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        slot = SignalCleanup.register(temporary)
        if exists {
            fchmod(fd, st.st_mode & 0o7777)
            if st.st_uid != getuid() || st.st_gid != getgid() { _ = fchown(fd, st.st_uid, st.st_gid) }
        } else {
            fchmod(fd, 0o666 & ~Self.umaskValue)
        }
    }

    deinit { abort() }

    /// The process's umask (read once: setting it back at once leaves it as it was).
    static let umaskValue: mode_t = {
        let m = umask(0o022)
        umask(m)
        return m
    }()

    /// The descriptor a path names itself: `/dev/stdout`, `/dev/stderr`, `/dev/stdin`, `/dev/fd/N`,
    /// `/proc/self/fd/N`.
    static func descriptorPath(_ path: String) -> Int32? {
        switch path {
        case "/dev/stdout": return 1
        case "/dev/stderr": return 2
        default:
            for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
                return Int32(path.dropFirst(prefix.count))
            }
            return nil
        }
    }

    /// Where a dangling symbolic link at `path` points (made absolute against its directory), nil when
    /// `path` is not a link.
    static func danglingTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4097)
        let n = readlink(path, &buffer, 4096)
        guard n > 0 else { return nil }
        let link = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if link.hasPrefix("/") { return link }
        guard let slash = path.lastIndex(of: "/") else { return link }
        return String(path[...slash]) + link
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(InputProblem) {
        guard fd >= 0 else { throw InputProblem(path: path, message: "cannot write: already closed") }
        let error = FileSystem.writeAll(fd, bytes)
        if error != 0 { throw InputProblem(path: path, message: "cannot write: \(FileSystem.errorText(error))") }
    }

    /// Flushes to disk and puts the file in place.
    public func commit() throws(InputProblem) {
        guard fd >= 0 else { throw InputProblem(path: path, message: "cannot write: already closed") }
        guard let target else {
            // In place: nothing to rename (and devices need no fsync).
            close(fd)
            fd = -1
            return
        }
        var failure: String? = nil
        if fsync(fd) != 0 { failure = FileSystem.errorText(errno) }
        close(fd)
        fd = -1
        if failure == nil, rename(temporary, target) != 0 { failure = FileSystem.errorText(errno) }
        if let slot { SignalCleanup.unregister(slot) }
        slot = nil
        if let failure {
            unlink(temporary)
            throw InputProblem(path: path, message: "cannot write: \(failure)")
        }
    }

    /// Drops the temporary file; the old file stays. Nothing after `commit`.
    public func abort() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
        if target != nil { unlink(temporary) }
        if let slot { SignalCleanup.unregister(slot) }
        slot = nil
    }

    /// Removes the temporary files of uncommitted `AtomicFile`s when SIGINT, SIGTERM or SIGHUP arrives, then
    /// lets the signal end the process as it would have. For executables (a library does not take signals).
    public static func removeTemporariesOnSignals() {
        SignalCleanup.install()
    }
}

/// The temporary files to remove if a signal ends the process: C strings in fixed slots, which the handler
/// reads without allocating or locking (it may only call async-signal-safe functions: `unlink`, `raise`).
enum SignalCleanup {
    static let capacity = 64
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let p = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        p.initialize(repeating: nil, count: capacity)
        return p
    }()
    static let lock = NSLockLike()

    static func register(_ path: String) -> Int? {
        lock.locked {
            for i in 0..<capacity where slots[i] == nil {
                slots[i] = strdup(path)
                return i
            }
            return nil
        }
    }

    static func unregister(_ slot: Int) {
        lock.locked {
            let p = slots[slot]
            slots[slot] = nil
            free(p)
        }
    }

    static func install() {
        _ = slots
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { sig in
                for i in 0..<SignalCleanup.capacity {
                    if let p = SignalCleanup.slots[i] { unlink(p) }
                }
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
    }
}

/// A pthread mutex (the handler never takes it; it only keeps two registrations from taking one slot).
final class NSLockLike: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t> = {
        let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(m, nil)
        return m
    }()

    func locked<R>(_ body: () -> R) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}
