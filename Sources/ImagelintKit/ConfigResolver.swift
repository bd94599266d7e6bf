import ImagelintCore
import Synchronization

/// Each file's configuration and engine: the nearest `.imagelint.yml`/`.imagelint.yaml` from the file's
/// directory up to the project root (the nearest directory holding `.git`, else the file-system root), nested
/// files merged over their parents' (maps merge, lists replace; `inherit: false` starts afresh), then the
/// `overrides:` entries that select the file (and, per occurrence, its image) in order, then the command line.
///
/// On the hot path: configurations are resolved once per directory and engines built once per distinct
/// (configuration files, overrides selected), all cached; a tree without nested files shares one engine.
public final class ConfigResolver: Sendable {
    let options: LintOptions
    let rules: [any Rule.Type]
    let currentDirectory: String
    private let directories = Mutex<[String: Configuration]>([:])
    private let engines = Mutex<[String: Engine]>([:])
    /// The engine of each directory as the files' paths name it, for directories where no override applies
    /// (the common case: one lookup per file instead of resolving its absolute path).
    private let plainEngines = Mutex<[String: Engine]>([:])
    private let errors = Mutex<[String: ConfigError]>([:])

    public init(options: LintOptions, rules: [any Rule.Type]) {
        self.options = options
        self.rules = rules
        currentDirectory = FileSystem.currentDirectory()
    }

    /// Problems met in nested configuration files (each once), sorted by file.
    public var problems: [ConfigError] {
        errors.withLock { Array($0.values) }.sorted { ($0.file, $0.line) < ($1.file, $1.line) }
    }

    /// The absolute, lexically normalized form of `path`.
    func absolute(_ path: String) -> String {
        let joined = path.hasPrefix("/") ? path : currentDirectory + "/" + path
        var segments: [Substring] = []
        for s in joined.split(separator: "/") {
            if s == "." { continue }
            if s == ".." {
                if !segments.isEmpty { segments.removeLast() }
                continue
            }
            segments.append(s)
        }
        return "/" + segments.joined(separator: "/")
    }

    /// How a configuration file is named in messages: relative to the current directory when inside it.
    func display(_ absolutePath: String) -> String {
        let prefix = currentDirectory == "/" ? "/" : currentDirectory + "/"
        return absolutePath.hasPrefix(prefix) ? String(absolutePath.dropFirst(prefix.count)) : absolutePath
    }

    static func parent(_ dir: String) -> String? {
        guard dir != "/", let slash = dir.lastIndex(of: "/") else { return nil }
        return slash == dir.startIndex ? "/" : String(dir[..<slash])
    }

    /// The merged configuration files of a directory (without overrides or the command line).
    public func directoryConfiguration(of dir: String) -> Configuration { directoryConfiguration(absolute(dir)) }

    /// The merged configuration files of an absolute directory (without overrides or the command line).
    func directoryConfiguration(_ dir: String) -> Configuration {
        if let hit = directories.withLock({ $0[dir] }) { return hit }
        let isProjectRoot = FileSystem.exists(dir == "/" ? "/.git" : dir + "/.git")
        var config: Configuration
        if !isProjectRoot, let parent = Self.parent(dir) {
            config = directoryConfiguration(parent)
        } else {
            config = Configuration()
        }
        for name in ConfigLoader.fileNames {
            let candidate = dir == "/" ? "/" + name : dir + "/" + name
            guard FileSystem.exists(candidate), !FileSystem.isDirectory(candidate) else { continue }
            let shown = display(candidate)
            do {
                switch FileSystem.read(candidate, limit: 4 * 1024 * 1024) {
                case .success(let bytes): config = try ConfigLoader.parse(bytes, file: shown, over: config)
                case .failure(let p):
                    throw ConfigError(file: shown, line: 1, column: 1, message: "cannot read the configuration: \(p.message)")
                }
            } catch let e as ConfigError {
                errors.withLock { $0[shown] = e }
            } catch {}
            break
        }
        let resolved = config
        directories.withLock { $0[dir] = resolved }
        return resolved
    }

    /// The configuration of the directory holding `file` (before overrides), with the command line applied.
    public func configuration(forFile file: String) -> Configuration {
        var config = baseConfiguration(forFile: file)
        options.commandLine.apply(to: &config)
        return config
    }

    func baseConfiguration(forFile file: String) -> Configuration {
        guard options.discoverConfiguration else { return options.configuration }
        let path = file == Pipeline.stdinPath ? currentDirectory + "/-" : absolute(file)
        let dir = Self.parent(path) ?? "/"
        var config = directoryConfiguration(dir)
        config.online = options.configuration.online
        return config
    }

    /// The path of `file` as an override's `files` globs see it: relative to the declaring file's directory.
    func path(_ file: String, relativeTo directory: String) -> String {
        let abs = absolute(file)
        let dir = absolute(directory)
        let prefix = dir == "/" ? "/" : dir + "/"
        return abs.hasPrefix(prefix) ? String(abs.dropFirst(prefix.count)) : abs
    }

    /// The effective configuration of `file` and, when given, of an image in it: overrides applied in order.
    public func configuration(forFile file: String, image candidates: [String]?) -> Configuration {
        var config = baseConfiguration(forFile: file)
        for o in config.overrides where o.selects(file: path(file, relativeTo: o.directory)) {
            if o.images.isEmpty || (candidates.map { o.selects(image: $0) } ?? false) { o.apply(&config) }
        }
        options.commandLine.apply(to: &config)
        return config
    }

    /// The engine for `file`: its configuration and the overrides selecting it; occurrences whose image an
    /// override selects get their own engine (`Engine.imageVariant`).
    public func engine(forFile file: String) -> Engine {
        let rawDirectory = file.lastIndex(of: "/").map { String(file[..<$0]) } ?? ""
        if let hit = plainEngines.withLock({ $0[rawDirectory] }) { return hit }
        let base = baseConfiguration(forFile: file)
        let engine = resolvedEngine(forFile: file, base: base)
        if base.overrides.isEmpty { plainEngines.withLock { $0[rawDirectory] = engine } }
        return engine
    }

    func resolvedEngine(forFile file: String, base: Configuration) -> Engine {
        var selected: [Int] = []
        var imageEntries: [Int] = []
        for (i, o) in base.overrides.enumerated() where o.selects(file: path(file, relativeTo: o.directory)) {
            if o.images.isEmpty { selected.append(i) } else { imageEntries.append(i) }
        }
        let key = base.files.joined(separator: "\u{0}") + "|" + selected.map(String.init).joined(separator: ",")
            + "|" + imageEntries.map(String.init).joined(separator: ",")
        if let hit = engines.withLock({ $0[key] }) { return hit }
        var config = base
        for i in selected { base.overrides[i].apply(&config) }
        options.commandLine.apply(to: &config)
        var engine = Engine(rules: rules, configuration: config, noIgnore: options.noIgnore)
        if !imageEntries.isEmpty {
            let (selected, imageEntries) = (selected, imageEntries)
            let variants = Mutex<[String: Engine]>([:])
            let rules = self.rules
            let options = self.options
            engine.imageVariant = { o in
                let candidates = Self.candidates(o)
                let matched = imageEntries.filter { base.overrides[$0].selects(image: candidates) }
                guard !matched.isEmpty else { return nil }
                let key = matched.map(String.init).joined(separator: ",")
                if let hit = variants.withLock({ $0[key] }) { return hit }
                var c = base
                // In declaration order: a later entry wins whether it selects by file or by image.
                for i in (selected + matched).sorted() { base.overrides[i].apply(&c) }
                options.commandLine.apply(to: &c)
                let e = Engine(rules: rules, configuration: c, noIgnore: options.noIgnore)
                variants.withLock { $0[key] = e }
                return e
            }
        }
        let built = engine
        engines.withLock { $0[key] = built }
        return built
    }

    /// The forms of an occurrence's image an `images:` glob is matched against.
    static func candidates(_ o: Occurrence) -> [String] {
        var c = [o.written]
        if let r = o.resolved { c.append(r) }
        if let ref = o.reference { c += [ref.familiar, ref.normalized, ref.familiarName, ref.name] }
        return c
    }
}
