import DockerfileParser
import ImagelintCore

/// An expected occurrence: where it is, what was written, what it resolves to, and where it came from.
struct Expected: Hashable, CustomStringConvertible, Sendable {
    var line: Int
    var column: Int
    var endColumn: Int
    var written: String
    var resolved: String?
    var source: ImageSource

    init(_ line: Int, _ column: Int, _ written: String, _ resolved: String?, _ source: ImageSource, endColumn: Int? = nil) {
        self.line = line
        self.column = column
        self.endColumn = endColumn ?? column + written.unicodeScalars.count
        self.written = written
        self.resolved = resolved
        self.source = source
    }

    init(_ o: Occurrence) {
        line = o.span.line
        column = o.span.column
        endColumn = o.span.endColumn
        written = o.written
        resolved = o.resolved
        source = o.source
    }

    var description: String {
        "\(line):\(column)-\(endColumn) \(source.rawValue) \(written) -> \(resolved ?? "nil")"
    }
}

extension ImageSource {
    static let from = ImageSource.dockerfileFrom
    static let copy = ImageSource.dockerfileCopyFrom
    static let mount = ImageSource.dockerfileMountFrom
    static let syntax = ImageSource.dockerfileSyntax
}

func analyze(_ text: String, buildArgs: [String: String] = [:]) -> FileAnalysis {
    DockerfileFrontEnd.analyze(path: "Dockerfile", text: SourceText(text), options: .init(buildArgs: buildArgs))
}

func analyze(bytes: [UInt8]) -> FileAnalysis {
    DockerfileFrontEnd.analyze(path: "Dockerfile", text: SourceText(bytes))
}

func expected(_ text: String, buildArgs: [String: String] = [:]) -> [Expected] {
    analyze(text, buildArgs: buildArgs).occurrences.map(Expected.init)
}

extension Occurrence {
    /// The Dockerfile origin of an occurrence the Dockerfile front end made.
    var context: DockerfileOrigin { origin.value as! DockerfileOrigin }
}
