import ByteText
import ImagelintCore
import ManifestParser
import Synchronization

/// What the linted files need from around them, read from disk whichever files were named, so that a file's
/// findings are the same linted alone, with some neighbours, or with the whole repository.
///
/// The project of a path is the nearest enclosing directory holding `.git` or a configuration file (else the
/// directory given, or the file's directory). In it: every kustomization and the build of each **root** (a
/// kustomization no other includes; not a `Component`, which is built only inside others), and — on demand — the objects around a pod (ServiceAccounts now; any
/// kind `ProjectObjects` gains) of a directory or of the whole project. Context files are read, never reported.
final class ProjectContext: Sendable {
    struct Root: Sendable {
        /// The root's directory, relative to its project (`overlays/prod`).
        var name: String
        var file: String
        var build: KustomizeBuild
    }

    let cwd: String
    let roots: [Root]
    /// Canonical file → the roots whose build reads it.
    let rootsByFile: [String: [Int]]
    let kustomizations: [String: Kustomization]
    let projects: [String]
    let limit: Int
    let manifestOptions: ManifestOptions
    /// The YAML files of each project, as the walk for kustomizations found them (so that the project's
    /// objects, when a pod needs them, are read without a second walk).
    let yamlFiles: [String: [String]]
    private let directoryObjects = Mutex<[String: ProjectObjects]>([:])
    private let projectObjects = Mutex<[String: ProjectObjects]>([:])
    /// Each context file's objects, read once whether a directory's or the project's lookup asked first.
    private let fileObjects = Mutex<[String: ProjectObjects]>([:])

    init(
        cwd: String, roots: [Root], kustomizations: [String: Kustomization], projects: [String], limit: Int,
        manifestOptions: ManifestOptions, yamlFiles: [String: [String]] = [:]
    ) {
        self.yamlFiles = yamlFiles
        self.cwd = cwd
        self.roots = roots
        var byFile: [String: [Int]] = [:]
        for (i, r) in roots.enumerated() {
            for f in Set(r.build.files) { byFile[f, default: []].append(i) }
        }
        self.rootsByFile = byFile
        self.kustomizations = kustomizations
        self.projects = projects
        self.limit = limit
        self.manifestOptions = manifestOptions
    }

    /// Loads the context of a run's paths: finds their projects and builds every kustomization root in them.
    static func load(_ options: LintOptions, manifestOptions: ManifestOptions) -> ProjectContext {
        let cwd = FileSystem.currentDirectory()
        let paths = (options.paths.isEmpty ? ["."] : options.paths).filter { $0 != Pipeline.stdinPath }
        // Only YAML needs context: files named one by one that are all Dockerfiles (a pre-commit hook's
        // typical call) walk nothing.
        if paths.allSatisfy({ !FileSystem.isDirectory($0) && !ManifestFrontEnd.isYAMLName($0) }) {
            return ProjectContext(
                cwd: cwd, roots: [], kustomizations: [:], projects: [], limit: options.maxFileSize,
                manifestOptions: manifestOptions)
        }
        var projects: [String] = []
        for p in paths {
            let root = projectRoot(of: canonical(p, cwd: cwd))
            if !projects.contains(root) { projects.append(root) }
        }
        // A project inside another is walked with it.
        projects = projects.filter { p in !projects.contains { $0 != p && (p.hasPrefix($0 + "/") || $0 == "/") } }.sorted()
        let limit = options.maxFileSize
        let builder = KustomizeBuilder(options: manifestOptions) { path in
            if case .success(let bytes) = FileSystem.read(path, limit: limit) { return bytes }
            return nil
        }
        var files: [(file: String, project: String)] = []
        var yamlFiles: [String: [String]] = [:]
        for project in projects {
            var yaml: [String] = []
            FileSystem.walk(root: project, exclude: [], followExternalLinks: options.followExternalLinks) { entry in
                guard case .file(let f) = entry else { return }
                if f.kind == .yaml { yaml.append(f.path) }
                guard ManifestFrontEnd.isKustomizationName(f.path) else { return }
                if !options.configuration.exclude.isEmpty, f.path.hasPrefix(cwd + "/") {
                    let relative = String(f.path.dropFirst(cwd.count + 1))
                    if options.configuration.exclude.contains(where: { $0.matchesPath(relative) }) { return }
                }
                if builder.kustomization(f.path) != nil { files.append((f.path, project)) }
            }
            yamlFiles[project] = yaml
        }
        return make(
            files, builder: builder, cwd: cwd, projects: projects, limit: limit, manifestOptions: manifestOptions,
            yamlFiles: yamlFiles)
    }

    /// The context of one in-memory kustomization (no other file is read).
    static func single(file: String, bytes: [UInt8], manifestOptions: ManifestOptions) -> ProjectContext {
        let cwd = FileSystem.currentDirectory()
        let key = canonical(file, cwd: cwd)
        let builder = KustomizeBuilder(options: manifestOptions) { $0 == key ? bytes : nil }
        let files = builder.kustomization(key) != nil ? [(key, Kustomization.directory(of: key))] : []
        return make(files, builder: builder, cwd: cwd, projects: [], limit: 0, manifestOptions: manifestOptions)
    }

    private static func make(
        _ files: [(file: String, project: String)], builder: KustomizeBuilder, cwd: String, projects: [String], limit: Int,
        manifestOptions: ManifestOptions, yamlFiles: [String: [String]] = [:]
    ) -> ProjectContext {
        var included = Set<String>()
        for (f, _) in files { included.formUnion(builder.includes(f)) }
        var roots: [Root] = []
        var kustomizations: [String: Kustomization] = [:]
        for (f, project) in files {
            guard let k = builder.kustomization(f) else { continue }
            kustomizations[f] = k
            // A component is built only inside the kustomizations that use it, never alone.
            guard !included.contains(f), !k.isComponent else { continue }
            let dir = Kustomization.directory(of: f)
            var name = dir == project ? "." : dir.hasPrefix(project + "/") ? String(dir.dropFirst(project.count + 1)) : dir
            if project == "/" { name = dir }
            roots.append(Root(name: name, file: f, build: builder.build(f)))
        }
        // Kustomizations that only include each other (a cycle) have no root: the first of each is one.
        var covered = Set(roots.flatMap(\.build.files))
        for (f, project) in files where !covered.contains(f) && kustomizations[f]?.isComponent != true {
            let dir = Kustomization.directory(of: f)
            let name = dir == project ? "." : dir.hasPrefix(project + "/") ? String(dir.dropFirst(project.count + 1)) : dir
            let build = builder.build(f)
            covered.formUnion(build.files)
            roots.append(Root(name: name, file: f, build: build))
        }
        // Kustomizations reached only through a root (included, and so not walked above) are known too.
        for r in roots {
            for f in r.build.kustomizations where kustomizations[f] == nil {
                if let k = builder.kustomization(f) { kustomizations[f] = k }
            }
        }
        return ProjectContext(
            cwd: cwd, roots: roots, kustomizations: kustomizations, projects: projects, limit: limit,
            manifestOptions: manifestOptions, yamlFiles: yamlFiles)
    }

    /// An absolute path with `.` and `..` resolved by name: the key of a file in the context.
    static func canonical(_ path: String, cwd: String) -> String {
        Kustomization.normalize(path.hasPrefix("/") ? path : cwd + "/" + path)
    }

    func canonical(_ path: String) -> String { Self.canonical(path, cwd: cwd) }

    /// The nearest enclosing directory holding `.git` or a configuration file; else the path itself when it
    /// is a directory, or its directory.
    static func projectRoot(of path: String) -> String {
        let start = FileSystem.isDirectory(path) ? path : Kustomization.normalize(path + "/..")
        var dir = start
        while true {
            if FileSystem.exists(dir + (dir == "/" ? "" : "/") + ".git") { return dir }
            for name in ConfigLoader.fileNames where FileSystem.exists(dir + (dir == "/" ? "" : "/") + name) { return dir }
            guard dir != "/" else { return start }
            dir = Kustomization.normalize(dir + "/..")
        }
    }

    /// The objects of the YAML files in a directory (for a pod outside any kustomize build).
    func objects(inDirectory dir: String) -> ProjectObjects {
        if let hit = directoryObjects.withLock({ $0[dir] }) { return hit }
        var objects = ProjectObjects()
        if case .success(let entries) = FileSystem.list(dir, raw: nil) {
            for e in entries.sorted(by: { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) })
            where e.raw == nil && ManifestFrontEnd.isYAMLName(e.name) {
                objects.add(readObjects(dir == "/" ? "/" + e.name : dir + "/" + e.name))
            }
        }
        directoryObjects.withLock { $0[dir] = objects }
        return objects
    }

    /// The objects of every YAML file of the project holding `file` (read once per run, on demand).
    func objects(inProjectOf file: String) -> ProjectObjects {
        guard let project = projects.first(where: { file.hasPrefix($0 == "/" ? "/" : $0 + "/") }) else { return ProjectObjects() }
        return projectObjects.withLock { cache in
            if let hit = cache[project] { return hit }
            var objects = ProjectObjects()
            if let files = yamlFiles[project] {
                for f in files { objects.add(readObjects(f)) }
            } else {
                FileSystem.walk(root: project, exclude: []) { entry in
                    guard case .file(let f) = entry, f.kind == .yaml else { return }
                    objects.add(readObjects(f.path))
                }
            }
            cache[project] = objects
            return objects
        }
    }

    /// The objects of one file; files that cannot hold any are not parsed. Each file is read once a run.
    private func readObjects(_ path: String) -> ProjectObjects {
        if let hit = fileObjects.withLock({ $0[path] }) { return hit }
        var objects = ProjectObjects()
        if case .success(let bytes) = FileSystem.read(path, limit: limit),
            ByteScan.firstIndex(of: Self.serviceAccountBytes, in: bytes) != nil
                || ByteScan.firstIndex(of: Self.secretKindBytes, in: bytes) != nil
                || ByteScan.firstIndex(of: Self.quotedSecretBytes, in: bytes) != nil
        {
            objects.add(ManifestFrontEnd.analyze(path: display(path), text: SourceText(bytes), options: manifestOptions))
        }
        fileObjects.withLock { $0[path] = objects }
        return objects
    }

    /// True when some pod of `deferred` names a ServiceAccount or Secret that `nearby` does not hold: only then
    /// is the rest of the project read.
    static func needsElsewhere(_ deferred: [Engine.DeferredCheck], nearby: ProjectObjects) -> Bool {
        for d in deferred {
            guard let pod = d.occurrence.origin.facts(PullSecretFacts.self) else { continue }
            if nearby.serviceAccount(named: pod.serviceAccountName ?? "default", namespace: pod.namespace) == nil { return true }
            for name in pod.imagePullSecrets where !nearby.secrets.contains(where: { $0.name == name }) { return true }
        }
        return false
    }

    /// A context path as the user names files: relative to the working directory when under it.
    func display(_ path: String) -> String {
        path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
    }

    /// Objects with their files as the user names them (messages cite them).
    func displayed(_ objects: ProjectObjects) -> ProjectObjects {
        var o = objects
        for i in o.serviceAccounts.indices { o.serviceAccounts[i].file = display(o.serviceAccounts[i].file) }
        for i in o.secrets.indices { o.secrets[i].file = display(o.secrets[i].file) }
        return o
    }

    static let serviceAccountBytes = Array("ServiceAccount".utf8)
    /// `kind: Secret` (a pod's `imagePullSecrets` alone does not make a file worth parsing).
    static let secretKindBytes = Array("kind: Secret".utf8)
    static let quotedSecretBytes = Array("\"Secret\"".utf8)
}

/// The project context of a run, loaded by the first caller that needs it (the others wait for it).
final class LazyProjectContext: Sendable {
    private let options: LintOptions
    private let manifestOptions: ManifestOptions
    private let loaded = Mutex<ProjectContext?>(nil)

    init(_ options: LintOptions, manifestOptions: ManifestOptions) {
        self.options = options
        self.manifestOptions = manifestOptions
    }

    var value: ProjectContext {
        loaded.withLock { context in
            if let context { return context }
            let made = ProjectContext.load(options, manifestOptions: manifestOptions)
            context = made
            return made
        }
    }
}
