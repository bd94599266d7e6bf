import DockerfileParser
import Foundation
import ImagelintCore
import Testing
import TestSupport

/// `../shared/corpus/dockerfiles`, or "" when absent (the corpus tests then skip, saying why).
let corpusDirectory: String = TestPaths.shared("corpus/dockerfiles") ?? ""

func corpusFiles() -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: corpusDirectory)) ?? []).sorted()
}

/// The text of `span` (one line) cut from the file by scalar columns.
func text(of span: Span, in source: SourceText) -> String {
    let scalars = Array(source.text(ofLine: span.line).unicodeScalars)
    guard span.column >= 1, span.endColumn - 1 <= scalars.count, span.column <= span.endColumn else { return "<out of line>" }
    var s = String.UnicodeScalarView()
    s.append(contentsOf: scalars[(span.column - 1)..<(span.endColumn - 1)])
    return String(s)
}

@Test(.enabled(if: FileManager.default.fileExists(atPath: corpusDirectory), Comment(rawValue: TestPaths.sharedAbsent("corpus/dockerfiles"))))
func wholeCorpus() throws {
    let files = corpusFiles()
    #expect(files.count == 648)
    var bytes = 0
    var occurrences = 0
    var diagnostics = 0
    var unresolved = 0
    var bySource: [ImageSource: Int] = [:]
    var filesWithoutImages: [String] = []
    var elapsed = Duration.zero
    let clock = ContinuousClock()
    for name in files {
        let data = try #require(FileManager.default.contents(atPath: corpusDirectory + "/" + name))
        let source = SourceText(Array(data))
        bytes += data.count
        var a = FileAnalysis(file: name)
        elapsed += clock.measure {
            a = DockerfileFrontEnd.analyze(path: name, text: source)
        }
        #expect(a.kinds == [.dockerfile])
        occurrences += a.occurrences.count
        diagnostics += a.diagnostics.count
        if a.occurrences.isEmpty { filesWithoutImages.append(name) }
        for o in a.occurrences {
            bySource[o.source, default: 0] += 1
            if o.resolved == nil { unresolved += 1 }
            #expect(o.file == name)
            #expect(o.anchorLine <= o.span.line)
            #expect(o.span.line >= 1 && o.span.line <= source.lineCount)
            // Every single-line span must cut exactly the written text out of the file.
            if o.span.line == o.span.endLine {
                #expect(text(of: o.span, in: source) == o.written, "\(name):\(o.span.line)")
            }
        }
        for d in a.diagnostics {
            #expect(d.line >= 1 && d.line <= source.lineCount, "\(name)")
        }
    }
    print("corpus: \(files.count) files, \(bytes) bytes, \(occurrences) occurrences \(bySource.map { "\($0.key.rawValue)=\($0.value)" }.sorted()), \(unresolved) unresolved, \(diagnostics) diagnostics, \(filesWithoutImages.count) files without images, analyze time \(elapsed)")
    // Sane totals: nearly every Dockerfile has a FROM; a few are empty or templates.
    #expect(bySource[.dockerfileFrom, default: 0] >= files.count)
    #expect(filesWithoutImages.count < 30)
    #expect(bySource[.dockerfileCopyFrom, default: 0] > 10)
    #expect(bySource[.dockerfileSyntax, default: 0] > 10)
    #expect(diagnostics < files.count / 4)
}
