import DockerfileParser
import Foundation
import ImagelintCore
import Testing

/// Not a timed test: `DF_BENCH=1` prints the best of 40 runs over the corpus (use a release build).
@Test(.enabled(if: ProcessInfo.processInfo.environment["DF_BENCH"] != nil))
func benchCorpus() throws {
    let texts = corpusFiles().map { SourceText(Array(FileManager.default.contents(atPath: corpusDirectory + "/" + $0)!)) }
    let clock = ContinuousClock()
    var best = Duration.seconds(100)
    var n = 0
    for _ in 0..<40 {
        let d = clock.measure {
            for t in texts { n += DockerfileFrontEnd.analyze(path: "x", text: t).occurrences.count }
        }
        best = min(best, d)
    }
    print("bench: best \(best) over \(texts.count) files, \(texts.reduce(0) { $0 + $1.bytes.count }) bytes (\(n))")
}
