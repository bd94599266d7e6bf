#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import DockerfileParser
import ImagelintCore
import ManifestParser
import SystemPackage

// Reading files and standard input (bounded), writing atomically, and the few facts about the system the
// pipeline asks for. The walk is in FileSystem.swift.

extension FileSystem {
    /// Reads a whole file, refusing special files and files over `limit` bytes.
    public static func read(_ path: String, limit: Int) -> Result<[UInt8], InputProblem> {
        read(path, raw: nil, limit: limit)
    }

    /// Reads a walked file (by its bytes when its name is not UTF-8).
    public static func read(_ file: InputFile, limit: Int) -> Result<[UInt8], InputProblem> {
        read(file.path, raw: file.rawPath, limit: limit)
    }

    static func read(_ path: String, raw: [UInt8]?, limit: Int) -> Result<[UInt8], InputProblem> {
        let fd = withPath(path, raw: raw) { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { return .failure(InputProblem(path: path, message: errorText(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failure(InputProblem(path: path, message: errorText(errno))) }
        let type = st.st_mode & S_IFMT
        guard type == S_IFREG else {
            return .failure(InputProblem(path: path, message: "not a regular file (\(fileTypeName(type))); skipped"))
        }
        let size = Int(st.st_size)
        if size > limit {
            return .failure(
                InputProblem(
                    path: path,
                    message: "file is \(megabytes(size)) MiB, over the \(megabytes(limit)) MiB limit (--max-file-size); skipped"))
        }
        // The size fstat gave is the file's: stop there rather than spend a read on finding the end.
        return readAll(fd: fd, expected: size, limit: limit, path: path, stopAtExpected: true)
    }

    static func megabytes(_ n: Int) -> String {
        let tenths = (n * 10 + 524_288) / 1_048_576
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
    }

    /// Reads a file that may be a FIFO (`<(git ls-files)`) or a regular file, up to `limit` bytes.
    public static func readList(_ path: String, limit: Int) -> Result<[UInt8], InputProblem> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(InputProblem(path: path, message: errorText(errno))) }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFDIR {
            return .failure(InputProblem(path: path, message: "is a directory"))
        }
        return readAll(fd: fd, expected: 64 * 1024, limit: limit, path: path)
    }

    /// The input among `paths` (files given, files under directories given, with `exclude` applied) that
    /// `output` names, if any: writing a report there would destroy what is being linted.
    public static func inputNamed(by output: String, paths: [String], exclude: [Glob], configuration: String?) -> String? {
        var out = stat()
        guard stat(output, &out) == 0, out.st_mode & S_IFMT == S_IFREG else { return nil }
        let outID = DirID(out)
        if let configuration {
            var st = stat()
            if stat(configuration, &st) == 0, DirID(st) == outID { return configuration }
        }
        guard let outReal = realPath(output, raw: nil) else { return nil }
        let name = baseName(String(decoding: outReal, as: UTF8.self))
        for raw in paths.isEmpty ? ["."] : paths where raw != "-" {
            let path = normalizedRoot(raw)
            var st = stat()
            guard stat(path, &st) == 0 else { continue }
            if st.st_mode & S_IFMT == S_IFREG {
                if DirID(st) == outID { return path }
            } else if st.st_mode & S_IFMT == S_IFDIR, kind(ofFileName: name) != nil, !ConfigLoader.fileNames.contains(name),
                let dirReal = realPath(path, raw: nil), outReal.count > dirReal.count + 1, outReal.starts(with: dirReal),
                outReal[dirReal.count] == 0x2F || dirReal == [0x2F]
            {
                let relative = String(decoding: outReal[(dirReal == [0x2F] ? 1 : dirReal.count + 1)...], as: UTF8.self)
                if !exclude.contains(where: { $0.matchesPath(relative) }) { return join(path, relative) }
            }
        }
        return nil
    }

    /// Reads standard input to its end (bounded by `limit`).
    public static func readStandardInput(limit: Int) -> Result<[UInt8], InputProblem> {
        readAll(fd: 0, expected: 64 * 1024, limit: limit, path: "-")
    }

    static func readAll(
        fd: Int32, expected: Int, limit: Int, path: String, stopAtExpected: Bool = false
    ) -> Result<[UInt8], InputProblem> {
        var buffer = [UInt8](unsafeUninitializedCapacity: max(expected, 4096) + 1) { _, count in count = max(expected, 4096) + 1 }
        var count = 0
        while !(stopAtExpected && count == expected && expected > 0) {
            if count == buffer.count {
                if count > limit {
                    return .failure(
                        InputProblem(path: path, message: "input is over the \(megabytes(limit)) MiB limit; skipped"))
                }
                buffer.append(contentsOf: repeatElement(0, count: buffer.count))
            }
            let n: Int
            do {
                n = try buffer.withUnsafeMutableBytes { raw in
                    try FileDescriptor(rawValue: fd).read(into: UnsafeMutableRawBufferPointer(rebasing: raw[count...]))
                }
            } catch Errno.resourceTemporarilyUnavailable {
                // A non-blocking descriptor (standard input from some shells): wait until it has data.
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                _ = poll(&p, 1, 1000)
                continue
            } catch {
                return .failure(InputProblem(path: path, message: errorText(error)))
            }
            if n == 0 { break }
            count += n
        }
        buffer.removeSubrange(count...)
        return .success(buffer)
    }

    /// Writes `contents` to `path` atomically (see `AtomicFile`): a temporary file in the same directory,
    /// fsync, then rename. On failure the old file is untouched and the temporary file removed.
    public static func writeAtomically(_ contents: String, to path: String) throws(InputProblem) {
        let file = try AtomicFile(path: path)
        try file.write(contents)
        try file.commit()
    }

    /// Writes every byte to `fd` (retrying when a signal interrupts); 0, or the errno of the failure.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        do {
            _ = try FileDescriptor(rawValue: fd).writeAll(bytes)
            return 0
        } catch {
            return (error as? Errno)?.rawValue ?? EIO
        }
    }

    /// The text of a failed system call's error.
    static func errorText(_ error: any Error) -> String {
        (error as? Errno).map { errorText($0.rawValue) } ?? "\(error)"
    }

    /// The value of an environment variable.
    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The current directory.
    public static func currentDirectory() -> String {
        var buf = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buf, buf.count) != nil else { return "." }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// Number of online processors.
    public static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
