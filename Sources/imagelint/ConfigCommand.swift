import ArgumentParser
import BuiltinRules
import ImagelintCore
import ImagelintKit

/// `imagelint config [PATH]`: the configuration that applies to PATH and where each value came from.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the configuration that applies to a file or directory, and where each value came from.",
        discussion: """
            Each file is checked with the nearest .imagelint.yml/.imagelint.yaml from its own directory up to the \
            project root (the enclosing git work tree), nested files merged over their parents' (maps merge, \
            lists replace) unless one says `inherit: false`; then the `overrides:` entries that select it.

            EXAMPLES
              imagelint config                           the current directory's configuration
              imagelint config services/api/Dockerfile   what applies to one file
            """
    )

    @Argument(help: "A file or directory (default: the current directory).")
    var path: String = "."

    @Option(name: .long, help: ArgumentHelp("Use this configuration file instead of discovering them.", valueName: "file"))
    var config: String?

    func run() throws {
        var options = LintOptions()
        if let config {
            do {
                options.configuration = try ConfigLoader.load(path: config)
            } catch {
                throw Console.fail("\(error)", exitCode: 2)
            }
        } else {
            options.discoverConfiguration = true
        }
        guard path == "-" || FileSystem.exists(path) else {
            throw Console.fail("\(path): no such file or directory", exitCode: 2)
        }
        let resolver = ConfigResolver(options: options, rules: BuiltinRules.all)
        // A directory stands for the files directly in it.
        let probe = FileSystem.isDirectory(path) ? (path.hasSuffix("/") ? path : path + "/") + "-" : path
        let c = resolver.configuration(forFile: probe, image: nil)
        if let problem = resolver.problems.first { throw Console.fail("\(problem)", exitCode: 2) }
        Console.out(Self.describe(c, path: path))
    }

    static func describe(_ c: Configuration, path: String) -> String {
        var lines = ["# configuration for \(path)"]
        if c.files.isEmpty {
            lines.append("# no configuration file: the defaults")
        } else {
            lines.append("# files, outermost first: " + c.files.joined(separator: ", "))
        }
        let width = c.provenance.keys.map(\.count).max() ?? 0
        for key in c.provenance.keys.sorted() {
            let s = c.provenance[key]!
            let pad = String(repeating: " ", count: max(0, width - key.count))
            lines.append("\(key):\(pad) \(s.value)    # \(s.file):\(s.line)")
        }
        let rules = BuiltinRules.descriptions.map { r -> String in
            let severity = c.severity(of: r).map(\.rawValue) ?? "off"
            let source = c.provenance["rules." + r.id].map { "\($0.file):\($0.line)" } ?? "default"
            return "  \(r.id): \(severity)    # \(source)"
        }
        lines.append("# effective rule severities")
        lines.append("rules:")
        lines += rules
        if !c.overrides.isEmpty {
            lines.append("# overrides (applied per file and image, later entries win)")
            for o in c.overrides {
                var selects: [String] = []
                if !o.files.isEmpty { selects.append("files: " + o.files.map(\.pattern).joined(separator: ", ")) }
                if !o.images.isEmpty { selects.append("images: " + o.images.map(\.pattern).joined(separator: ", ")) }
                lines.append("#   \(o.file):\(o.line): " + selects.joined(separator: "; "))
            }
        }
        return lines.joined(separator: "\n")
    }
}
