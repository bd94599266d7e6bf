import ImagelintCore
import Reporters
import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a report's bytes go: standard output (the executable's), or a file written atomically.
public protocol ByteSink: AnyObject {
    /// Writes every byte or throws.
    func write(_ bytes: UnsafeRawBufferPointer) throws(InputProblem)
}

extension ByteSink {
    public func write(_ bytes: [UInt8]) throws(InputProblem) {
        try withBytes(of: bytes) { b throws(InputProblem) in try write(b) }
    }

    public func write(_ s: String) throws(InputProblem) {
        try write(Array(s.utf8))
    }
}

/// Writes one report to one sink as a streamed run delivers its files, holding only the current piece: the
/// head, each file's part and the tail go out as they are written. A format whose head needs the totals
/// (JSON's summary comes first) has its body held in a `Spool` (memory, then an unlinked temporary file)
/// until the last file, then written after the head.
public final class ReportStream {
    private let writer: any ReportWriter
    private let sink: any ByteSink
    private var piece = ReportBuffer()
    private var spool: Spool?
    /// The first write error; later writes are skipped.
    public private(set) var failure: InputProblem?

    /// Bytes gathered before a write.
    private let pieceSize: Int

    /// `spoolMemory`: how much of a held body stays in memory before it goes to a temporary file.
    public init(
        _ reporter: any Reporter, frame: ReportFrame, to sink: any ByteSink, pieceSize: Int = 1 << 16,
        spoolMemory: Int = 16 << 20
    ) {
        writer = reporter.writer(for: frame)
        self.sink = sink
        self.pieceSize = pieceSize
        piece = ReportBuffer(capacity: pieceSize + 4096)
        if writer.headNeedsTotals {
            spool = Spool(memoryLimit: spoolMemory)
        } else {
            writer.head(frame, into: &piece)
        }
    }

    public func add(_ file: FileReport) {
        writer.file(file, into: &piece)
        if piece.count >= pieceSize { drain() }
    }

    /// Writes the rest; `frame` has the final summary and diagnostics. Throws the first write error.
    public func finish(_ frame: ReportFrame) throws(InputProblem) {
        writer.tail(frame, into: &piece)
        drain()
        if let spool {
            var head = ReportBuffer()
            writer.head(frame, into: &head)
            if failure == nil {
                do {
                    try sink.write(head.bytes)
                    try spool.replay { bytes throws(InputProblem) in try sink.write(bytes) }
                } catch {
                    failure = error
                }
            }
            self.spool = nil
        }
        if let failure { throw failure }
    }

    private func drain() {
        defer { piece.removeAll(keepingCapacity: true) }
        guard failure == nil, !piece.isEmpty else { return }
        do {
            if let spool {
                try spool.append(piece.bytes)
            } else {
                try sink.write(piece.bytes)
            }
        } catch {
            failure = error
        }
    }
}

/// Bytes held back for later: in memory up to `memoryLimit`, then in a temporary file that is unlinked
/// as soon as it is created (nothing is left behind, whatever happens to the process). If no temporary
/// file can be created, everything stays in memory.
final class Spool {
    private let memoryLimit: Int
    /// The pieces held in memory, as appended (kept, not copied into one growing buffer).
    private var chunks: [[UInt8]] = []
    private var held = 0
    private var fd: Int32 = -1

    init(memoryLimit: Int = 16 << 20) {
        self.memoryLimit = memoryLimit
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// True once the bytes went to the temporary file.
    var isSpilled: Bool { fd >= 0 }

    func append(_ bytes: UnsafeRawBufferPointer) throws(InputProblem) {
        try append(Array(bytes))
    }

    /// Keeps `bytes` (an array the caller no longer changes: shared, not copied).
    func append(_ bytes: [UInt8]) throws(InputProblem) {
        if fd < 0, held + bytes.count > memoryLimit { spill() }
        if fd < 0 {
            chunks.append(bytes)
            held += bytes.count
            return
        }
        try withBytes(of: bytes) { b throws(InputProblem) in
            let error = FileSystem.writeAll(fd, b)
            if error != 0 {
                throw InputProblem(path: "(temporary file)", message: "cannot write: \(FileSystem.errorText(error))")
            }
        }
    }

    /// Moves what memory holds to a new unlinked temporary file; stays in memory when that fails.
    private func spill() {
        let dir = FileSystem.environment("TMPDIR").flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array(FileSystem.join(dir, "imagelint-spool-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard made >= 0 else { return }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        for chunk in chunks where chunk.withUnsafeBytes({ FileSystem.writeAll(made, $0) }) != 0 {
            close(made)
            return
        }
        fd = made
        chunks = []
        held = 0
    }

    /// Hands everything appended to `body`, in order, in pieces of at most 1 MiB.
    func replay(_ body: (UnsafeRawBufferPointer) throws(InputProblem) -> Void) throws(InputProblem) {
        if fd < 0 {
            for chunk in chunks where !chunk.isEmpty { try withBytes(of: chunk, body) }
            return
        }
        guard lseek(fd, 0, SEEK_SET) == 0 else {
            throw InputProblem(path: "(temporary file)", message: "cannot read back: \(FileSystem.errorText(errno))")
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n: Int
            do {
                n = try FileDescriptor(rawValue: fd).read(into: buffer)
            } catch {
                throw InputProblem(path: "(temporary file)", message: "cannot read back: \(FileSystem.errorText(error))")
            }
            if n == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
        }
    }
}

/// `bytes.withUnsafeBytes(body)`, keeping `body`'s typed error (the standard one rethrows it untyped).
func withBytes(of bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(InputProblem) -> Void) throws(InputProblem) {
    var failure: InputProblem? = nil
    bytes.withUnsafeBytes { b in
        do throws(InputProblem) { try body(b) } catch { failure = error }
    }
    if let failure { throw failure }
}

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

/// A sink that keeps its bytes (in a `Spool`) until `release(to:)`: for a second report bound for the
/// same place as a streaming one (two formats on standard output), written whole after it.
public final class HeldOutput: ByteSink {
    private let spool = Spool()

    public init() {}

    public func write(_ bytes: UnsafeRawBufferPointer) throws(InputProblem) {
        try spool.append(bytes)
    }

    /// Writes everything held to `sink`.
    public func release(to sink: any ByteSink) throws(InputProblem) {
        try spool.replay { bytes throws(InputProblem) in try sink.write(bytes) }
    }
}
