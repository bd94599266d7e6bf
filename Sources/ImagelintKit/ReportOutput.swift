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
