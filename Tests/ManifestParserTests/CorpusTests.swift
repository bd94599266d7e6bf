import Foundation
import ImagelintCore
import ManifestParser
import Testing
import TestSupport

/// The shared real-world corpus, when present on this machine.
enum Corpus {
    /// `../shared/corpus`, or "" when absent (the corpus tests then skip, saying why).
    static let root: String = TestPaths.shared("corpus") ?? ""
    static let absent = TestPaths.sharedAbsent("corpus/SOURCES.tsv")

    /// (corpus-relative path, original path in its repository) for every YAML-ish corpus file.
    static func files() -> [(file: String, original: String)] {
        guard let tsv = try? String(contentsOfFile: root + "/SOURCES.tsv", encoding: .utf8) else { return [] }
        var result: [(String, String)] = []
        for line in tsv.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 3 else { continue }
            let file = String(fields[0])
            guard file.hasPrefix("manifests/") || file.hasPrefix("compose/") || file.hasPrefix("kustomize/") else {
                continue
            }
            result.append((file, String(fields[2])))
        }
        return result
    }
}

@Suite struct CorpusTests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: Corpus.root + "/SOURCES.tsv"), Comment(rawValue: Corpus.absent)))
    func wholeCorpusIsReadWithoutTrouble() throws {
        let files = Corpus.files()
        #expect(files.count > 1_200)
        var occurrences: [ImageSource: Int] = [:]
        var kinds: [FileKind: Int] = [:]
        var errors = 0
        var infos = 0
        var serviceAccounts = 0
        var badSpans = 0
        for (file, original) in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: Corpus.root + "/" + file))
            let text = SourceText([UInt8](data))
            // The original path, so that `kustomization.yaml` and `templates/` are recognised.
            let analysis = ManifestFrontEnd.analyze(path: original, text: text)
            for o in analysis.occurrences {
                occurrences[o.source, default: 0] += 1
                // The span's text is the reference as written (single-line plain values).
                if o.span.line == o.span.endLine, o.source != .kustomize {
                    let line = Array(text.text(ofLine: o.span.line).unicodeScalars)
                    if o.span.column < 1 || o.span.endColumn - 1 > line.count || o.span.endColumn <= o.span.column {
                        badSpans += 1
                    }
                }
            }
            for k in analysis.kinds { kinds[k, default: 0] += 1 }
            errors += analysis.diagnostics.filter { $0.severity == .error }.count
            infos += analysis.diagnostics.filter { $0.severity == .info }.count
            serviceAccounts += analysis.serviceAccounts.count
        }
        print("corpus: \(files.count) files, kinds \(kinds), occurrences \(occurrences), errors \(errors), infos \(infos), service accounts \(serviceAccounts)")
        #expect(badSpans == 0)
        #expect((occurrences[.kubernetes] ?? 0) > 500)
        #expect((occurrences[.compose] ?? 0) > 70, "82 before build+image services were left out (their image is the build output)")
        #expect((occurrences[.kustomize] ?? 0) > 50)
        #expect((kinds[.kubernetes] ?? 0) > 900)
        #expect((kinds[.compose] ?? 0) >= 45)
        #expect((kinds[.kustomize] ?? 0) >= 90)
        #expect(errors > 0 && errors < 40)
        #expect(serviceAccounts > 20)
    }
}
