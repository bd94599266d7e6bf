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

/// Which front end reads a file.
public enum InputKind: String, Sendable, Hashable {
    case dockerfile, yaml
}

/// A file to lint, with the path as given or as walked (`/` separators).
public struct InputFile: Sendable, Hashable {
    /// The path as shown: bytes that are not UTF-8 in a walked name appear as `\xHH`.
    public var path: String
    public var kind: InputKind
    /// The path's bytes, to open it, when they are not the UTF-8 of `path` (a name that is not UTF-8).
    public var rawPath: [UInt8]?

    public init(path: String, kind: InputKind, rawPath: [UInt8]? = nil) {
        self.path = path
        self.kind = kind
        self.rawPath = rawPath
    }
}

/// Why a path could not be used.
public struct InputProblem: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    /// How the run reports it (a link not followed out of the tree is a note, not an error).
    public var severity: Severity
    public var description: String { "\(path): \(message)" }

    public init(path: String, message: String, severity: Severity = .error) {
        self.path = path
        self.message = message
        self.severity = severity
    }
}

/// POSIX file access without Foundation: walking, reading, atomic writing.
public enum FileSystem {
    /// Directory names never descended into.
    public static let skippedDirectories: Set<String> = [".git", ".hg", ".svn", ".build", "node_modules"]

    public static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// The front end for a file name, or nil when the name is neither a Dockerfile's nor YAML.
    public static func kind(ofFileName name: String) -> InputKind? {
        if DockerfileFrontEnd.isDockerfileName(name) { return .dockerfile }
        if ManifestFrontEnd.isYAMLName(name) { return .yaml }
        return nil
    }

    static func baseName(_ path: String) -> String {
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
        if let slash = p.lastIndex(of: "/") { return String(p[p.index(after: slash)...]) }
        return String(p)
    }

    static func join(_ dir: String, _ name: String) -> String {
        if dir == "." { return name }
        return dir.hasSuffix("/") ? dir + name : dir + "/" + name
    }

    /// What a walk finds: a file to lint, or a path it could not use.
    public enum WalkEntry: Sendable {
        case file(InputFile)
        case problem(InputProblem)

        public var path: String {
            switch self {
            case .file(let f): f.path
            case .problem(let p): p.path
            }
        }
    }

    /// Expands paths into the files to lint, sorted by path. Directories are walked recursively (symbolic
    /// links followed within the walked tree, each directory walked once); files given explicitly are linted
    /// whatever their name (YAML by extension, otherwise as a Dockerfile). Excluded paths and problems are
    /// skipped; problems are returned.
    public static func walk(
        _ paths: [String], exclude: [Glob], followExternalLinks: Bool = false
    ) -> (files: [InputFile], problems: [InputProblem]) {
        var files: [InputFile] = []
        var problems: [InputProblem] = []
        var seen = Set<String>()
        for raw in paths {
            walk(root: raw, exclude: exclude, followExternalLinks: followExternalLinks) { entry in
                switch entry {
                case .file(let f): if seen.insert(f.path).inserted { files.append(f) }
                case .problem(let p): problems.append(p)
                }
            }
        }
        files.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return (files, problems)
    }

    /// Walks one path (as `walk(_:exclude:)` does each), calling `emit` as it goes. Within one path the
    /// entries come in path order (UTF-8 byte order of the whole path, the report's order), so a run can lint
    /// the first files while the walk goes on.
    ///
    /// Each directory (device and inode) is walked once, at its first path: links that lead to a directory
    /// already walked are not followed again (two links per level would otherwise walk the same files 2ᴺ
    /// times). A symbolic link to a directory outside the walked path is not followed unless
    /// `followExternalLinks` (a link to `/` would walk the whole machine), with a note; links to files are.
    public static func walk(
        root raw: String, exclude: [Glob], followExternalLinks: Bool = false, emit: (WalkEntry) -> Void
    ) {
        let path = normalizedRoot(raw)
        var st = stat()
        guard stat(path, &st) == 0 else {
            let code = errno
            var lst = stat()
            if lstat(path, &lst) == 0, (lst.st_mode & S_IFMT) == S_IFLNK {
                emit(.problem(InputProblem(path: path, message: "broken or looping symbolic link (\(errorText(code)))")))
            } else {
                emit(.problem(InputProblem(path: path, message: errorText(code))))
            }
            return
        }
        let type = st.st_mode & S_IFMT
        if type == S_IFDIR {
            switch list(path, raw: nil) {
            case .success(let entries):
                let rootReal = followExternalLinks ? nil : realPath(path, raw: nil)
                withoutActuallyEscaping(emit) { emit in
                    var walk = DirectoryWalk(exclude: exclude, rootReal: rootReal, emit: emit)
                    walk.visited.insert(DirID(st))
                    walk.ancestors.insert(DirID(st))
                    walk.directory(path, raw: nil, entries: entries)
                }
            case .failure(let p):
                emit(.problem(p))
            }
        } else if type == S_IFREG {
            // Excludes apply to files named explicitly too (pre-commit passes every file by name).
            if exclude.contains(where: { $0.matchesPath(path) }) { return }
            emit(.file(InputFile(path: path, kind: kind(ofFileName: baseName(path)) ?? .dockerfile)))
        } else {
            emit(.problem(InputProblem(path: path, message: "not a regular file (\(fileTypeName(type))); skipped")))
        }
    }

    /// A path as given on the command line, as the walk names it: without leading `./` and a trailing `/`.
    static func normalizedRoot(_ raw: String) -> String {
        var path = raw
        while path.count > 2, path.hasPrefix("./") { path.removeFirst(2) }
        if path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// `DT_REG` of `readdir`'s `d_type` (the same value on Linux and the BSDs).
    static let regularFileDirentType: UInt8 = 8

    struct DirID: Hashable {
        var dev: UInt64
        var ino: UInt64
        init(_ st: stat) {
            dev = UInt64(st.st_dev)
            ino = UInt64(st.st_ino)
        }
    }

    static func fileTypeName(_ type: mode_t) -> String {
        switch type {
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFDIR: return "a directory"
        default: return "a special file"
        }
    }

    /// Calls `body` with the C string of a path: `raw` when given (a path that is not UTF-8), else `path`.
    static func withPath<R>(_ path: String, raw: [UInt8]?, _ body: (UnsafePointer<CChar>) -> R) -> R {
        guard let raw else { return path.withCString(body) }
        return (raw + [0]).withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }

    /// A name as shown: its text when it is UTF-8, else the UTF-8 runs with every other byte as `\xHH`.
    static func displayName(_ bytes: [UInt8]) -> (name: String, isUTF8: Bool) {
        if let s = String(validating: bytes, as: UTF8.self) { return (s, true) }
        var out = ""
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            let length = lead < 0x80 ? 1 : lead >= 0xC2 && lead < 0xE0 ? 2 : lead >= 0xE0 && lead < 0xF0 ? 3 : lead >= 0xF0 && lead < 0xF5 ? 4 : 0
            if length > 0, i + length <= bytes.count, let s = String(validating: bytes[i..<(i + length)], as: UTF8.self) {
                out += s
                i += length
            } else {
                let hex = Array("0123456789ABCDEF".utf8)
                out += "\\x" + String(decoding: [hex[Int(lead >> 4)], hex[Int(lead & 0xF)]], as: UTF8.self)
                i += 1
            }
        }
        return (out, false)
    }

    /// The canonical absolute path's bytes (`realpath`), nil when it cannot be worked out.
    static func realPath(_ path: String, raw: [UInt8]?) -> [UInt8]? {
        withPath(path, raw: raw) { c -> [UInt8]? in
            guard let resolved = realpath(c, nil) else { return nil }
            defer { free(resolved) }
            return Array(UnsafeBufferPointer(start: UnsafeRawPointer(resolved).assumingMemoryBound(to: UInt8.self), count: strlen(resolved)))
        }
    }

    /// A directory entry: its name as shown, its bytes when they are not UTF-8, and `readdir`'s type.
    struct Entry {
        var name: String
        var raw: [UInt8]?
        var type: UInt8
    }

    /// A directory's entries (without `.` and `..`), with `readdir`'s type of each.
    static func list(_ dir: String, raw: [UInt8]?) -> Result<[Entry], InputProblem> {
        guard let d = withPath(dir, raw: raw, { opendir($0) }) else {
            return .failure(InputProblem(path: dir, message: errorText(errno)))
        }
        var entries: [Entry] = []
        while let entry = readdir(d) {
            let bytes = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: UInt8.self, capacity: 256) { p in Array(UnsafeBufferPointer(start: p, count: strlen(UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self)))) }
            }
            if bytes == [0x2E] || bytes == [0x2E, 0x2E] { continue }
            let (name, isUTF8) = displayName(bytes)
            entries.append(Entry(name: name, raw: isUTF8 ? nil : bytes, type: entry.pointee.d_type))
        }
        closedir(d)
        return .success(entries)
    }

    /// One step of a directory's walk, placed by `key` so that the steps run in path order: a file or
    /// a problem at its name; a subdirectory is listed at its name (a failure is a problem, in its place)
    /// and walked at its name followed by `/` (everything under it sorts there).
    private enum Step {
        case emit(WalkEntry)
        case list(path: String, raw: [UInt8]?, name: String)
        case descend(path: String, raw: [UInt8]?, name: String, id: DirID)
    }

    /// The state of one root's walk.
    struct DirectoryWalk {
        let exclude: [Glob]
        /// The root's canonical path: links whose target is not under it are not followed. Nil: follow all.
        let rootReal: [UInt8]?
        let emit: (WalkEntry) -> Void
        /// Directories walked (or being walked): each is walked once.
        var visited = Set<DirID>()
        /// The directories being walked, from the root down: meeting one again is a loop.
        var ancestors = Set<DirID>()

        init(exclude: [Glob], rootReal: [UInt8]?, emit: @escaping (WalkEntry) -> Void) {
            self.exclude = exclude
            self.rootReal = rootReal
            self.emit = emit
        }

        /// True when the link at `path` resolves inside the root (or links out are followed).
        func staysInside(_ path: String, raw: [UInt8]?) -> Bool {
            guard let rootReal else { return true }
            guard let target = FileSystem.realPath(path, raw: raw) else { return false }
            if target == rootReal || rootReal == [0x2F] { return true }
            return target.count > rootReal.count && target.starts(with: rootReal) && target[rootReal.count] == 0x2F
        }

        mutating func directory(_ dir: String, raw dirRaw: [UInt8]?, entries: [Entry]) {
            var steps: [(key: String, step: Step)] = []
            steps.reserveCapacity(entries.count)
            for entry in entries {
                let name = entry.name
                let path = join(dir, name)
                // The bytes to open, when the path is not UTF-8 (this name, or a directory above it).
                let raw: [UInt8]? =
                    dirRaw == nil && entry.raw == nil
                    ? nil : (dirRaw ?? Array(dir.utf8)) + (dir == "." ? [] : [0x2F]) + (entry.raw ?? Array(name.utf8))
                if exclude.contains(where: { $0.matchesPath(path) }) { continue }
                // A regular file, as the directory says: no stat needed (reading it checks again). Most entries of
                // a large tree are such files, most not ours.
                if entry.type == regularFileDirentType {
                    if let kind = kind(ofFileName: name), !ConfigLoader.fileNames.contains(name) {
                        steps.append((name, .emit(.file(InputFile(path: path, kind: kind, rawPath: raw)))))
                    }
                    continue
                }
                var lst = stat()
                guard withPath(path, raw: raw, { lstat($0, &lst) }) == 0 else {
                    // deleted while walking, or unreadable: say so and go on
                    steps.append((name, .emit(.problem(InputProblem(path: path, message: errorText(errno))))))
                    continue
                }
                var st = lst
                let isLink = (lst.st_mode & S_IFMT) == S_IFLNK
                if isLink {
                    guard withPath(path, raw: raw, { stat($0, &st) }) == 0 else {
                        if kind(ofFileName: name) != nil {
                            let p = InputProblem(path: path, message: "broken symbolic link (\(errorText(errno)))")
                            steps.append((name, .emit(.problem(p))))
                        }
                        continue
                    }
                }
                let type = st.st_mode & S_IFMT
                if isLink, type == S_IFDIR, !staysInside(path, raw: raw) {
                    let p = InputProblem(
                        path: path,
                        message: "symbolic link to a place outside the linted tree; not followed (--follow-external-links follows it)",
                        severity: .info)
                    steps.append((name, .emit(.problem(p))))
                    continue
                }
                if type == S_IFDIR {
                    if skippedDirectories.contains(name) { continue }  // `.buildkite` and the like are walked
                    let id = DirID(st)
                    if ancestors.contains(id) {
                        steps.append((name, .emit(.problem(InputProblem(path: path, message: "symbolic link loop; not followed")))))
                        continue
                    }
                    steps.append((name, .list(path: path, raw: raw, name: name)))
                    steps.append((name + "/", .descend(path: path, raw: raw, name: name, id: id)))
                } else if let kind = kind(ofFileName: name), !ConfigLoader.fileNames.contains(name) {
                    if type == S_IFREG {
                        steps.append((name, .emit(.file(InputFile(path: path, kind: kind, rawPath: raw)))))
                    } else {
                        let p = InputProblem(path: path, message: "not a regular file (\(fileTypeName(type))); skipped")
                        steps.append((name, .emit(.problem(p))))
                    }
                }
            }
            steps.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            // Listings of subdirectories between their two steps (usually none: only names that continue with a
            // byte below `/`, such as `a-b` after `a`, come between `a` and `a/`).
            var listed: [String: [Entry]] = [:]
            for (_, step) in steps {
                switch step {
                case .emit(let entry):
                    emit(entry)
                case .list(let path, let raw, let name):
                    switch list(path, raw: raw) {
                    case .success(let entries): listed[name] = entries
                    case .failure(let p): emit(.problem(p))
                    }
                case .descend(let path, let raw, let name, let id):
                    guard let entries = listed.removeValue(forKey: name) else { continue }
                    // Reached through another link already: walked once, at its first path.
                    guard visited.insert(id).inserted else { continue }
                    ancestors.insert(id)
                    directory(path, raw: raw, entries: entries)
                    ancestors.remove(id)
                }
            }
        }
    }
}
