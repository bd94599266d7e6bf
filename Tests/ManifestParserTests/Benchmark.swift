import CYAML
import FastYAML
import Foundation
import ImagelintCore
import ManifestParser
import Testing

/// Not a timed unit test: a benchmark run by hand in release mode,
/// `IMAGELINT_BENCH=1 swift test -c release --filter yamlBenchmark`.
@Test(.enabled(if: ProcessInfo.processInfo.environment["IMAGELINT_BENCH"] != nil))
func yamlBenchmark() throws {
    let files = try Corpus.files().map { file, original in
        (original, [UInt8](try Data(contentsOf: URL(fileURLWithPath: Corpus.root + "/" + file))))
    }
    let total = files.reduce(0) { $0 + $1.1.count }

    func bareLibyaml(_ bytes: [UInt8]) -> Int {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
        defer { parser.deallocate(); event.deallocate() }
        yaml_parser_initialize(parser)
        defer { yaml_parser_delete(parser) }
        var events = 0
        bytes.withUnsafeBufferPointer { b in
            yaml_parser_set_input_string(parser, b.baseAddress, b.count)
            while yaml_parser_parse(parser, event) != 0 {
                events += 1
                let done = event.pointee.type == YAML_STREAM_END_EVENT
                yaml_event_delete(event)
                if done { break }
            }
        }
        return events
    }

    func best(_ body: () -> Int) -> (Duration, Int) {
        var times: [Duration] = []
        var result = 0
        for _ in 0..<7 {
            let start = ContinuousClock.now
            result = body()
            times.append(ContinuousClock.now - start)
        }
        return (times.min()!, result)
    }
    let (bare, events) = best { files.reduce(0) { $0 + bareLibyaml($1.1) } }
    let (tree, documents) = best { files.reduce(0) { $0 + YAMLStream.parse($1.1).documents.count } }
    let texts = files.map { ($0.0, SourceText($0.1)) }
    let (full, occurrences) = best {
        texts.reduce(0) { $0 + ManifestFrontEnd.analyze(path: $1.0, text: $1.1).occurrences.count }
    }
    func ms(_ d: Duration) -> String { String(format: "%.1f ms", Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1000) }
    func ratio(_ d: Duration) -> String { String(format: "%.2fx", (d / bare)) }
    print("BENCH \(files.count) files, \(total) bytes, \(events) events, \(documents) documents, \(occurrences) occurrences")
    print("BENCH bare libyaml event loop: \(ms(bare))")
    print("BENCH FastYAML tree:           \(ms(tree)) (\(ratio(tree)))")
    print("BENCH ManifestFrontEnd.analyze: \(ms(full)) (\(ratio(full)))")
}
