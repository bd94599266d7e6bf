// imagelint-bench: the front ends' own cost, on one thread, in CPU time, best of N.
//
//     imagelint-bench yaml LIST [--runs N] [--only ROW]
//     imagelint-bench dockerfile LIST [--runs N] [--only ROW]
//
// LIST holds one path per line (relative paths are taken from the current directory, as
// Tests/Benchmarks/libyaml_floor.c takes them). Rows, each over every file of the list:
//
//     yaml        libyaml    read the file, pull libyaml's events to the end, nothing built (the C floor, in process)
//                 fastyaml   read the file, YAMLStream.parse: the document tree
//                 manifest   read the file, SourceText, ManifestFrontEnd.analyze: tree and Kubernetes/compose/
//                            kustomize extraction, references parsed
//     dockerfile  read       read the file
//                 lexer      read the file, SourceText (the line index), the lexer alone: NUL and UTF-8
//                            checks, directives, instructions, flags, exec form, heredocs
//                 frontend   read the file, SourceText, DockerfileFrontEnd.analyze: lexer, stages, ARG/ENV
//                            expansion, references parsed
//
// Every row reads its files inside the timed region (as the C floor does) and drops what it built before
// the next file. The files are read once before (page cache). Rows are interleaved, one pass of each per
// repetition, so that load on a shared machine hits them alike; each keeps its smallest CPU time
// (CLOCK_THREAD_CPUTIME_ID) and smallest wall time.
// `--only ROW` runs one row (for `perf record`). One line per row:
//
//     row=fastyaml files=2000 bytes=16790853 cpu_ms=235.2 wall_ms=235.2 mb_s=68.1 ratio=1.15 extra_ms=31.1 out=3768
//
// `ratio` and `extra_ms` compare the row's CPU time with the first row's (`libyaml`, `read`): over it and
// beyond it. `mb_s` is bytes over CPU time. `out` is a count the row computed (events, documents,
// tokens, occurrences…), so that no work can be optimized away.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import CYAML
import DockerfileParser
import FastYAML
import ImagelintCore
import ManifestParser

func fail(_ message: String, code: Int32) -> Never {
    let line = Array("imagelint-bench: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(code)
}

/// The whole file, read with open/fstat/read (the benchmark's files do not change while it runs).
func readFile(_ path: String) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { fail("\(path): \(String(cString: strerror(errno)))", code: 2) }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else { fail("\(path): \(String(cString: strerror(errno)))", code: 2) }
    let size = Int(st.st_size)
    return [UInt8](unsafeUninitializedCapacity: size) { buf, initialized in
        initialized = 0
        while initialized < size {
            let n = read(fd, buf.baseAddress! + initialized, size - initialized)
            if n <= 0 { break }
            initialized += n
        }
    }
}

/// The paths of a list file, one a line (CR LF accepted, empty lines skipped).
func readList(_ path: String) -> [String] {
    readFile(path).split(separator: UInt8(ascii: "\n")).compactMap { line in
        let bytes = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }
}

func now(_ clock: clockid_t) -> Double {
    var ts = timespec()
    clock_gettime(clock, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// libyaml's events pulled to the end, nothing kept: the in-process twin of libyaml_floor.c. The parser
/// and event are allocated per file, as FastYAML allocates them: one allocated once at start-up ran 10%
/// slower or faster depending on what lay next to it.
func libyamlEvents(_ bytes: [UInt8]) -> Int {
    let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
    let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
    defer {
        parser.deallocate()
        event.deallocate()
    }
    guard yaml_parser_initialize(parser) != 0 else { return 0 }
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

struct Row {
    var name: String
    /// Processes one file's path and returns a count that depends on the work done.
    var body: (String) -> Int
    var cpu = Double.infinity
    var wall = Double.infinity
    var out = 0
}

// MARK: - Arguments

var args = Array(CommandLine.arguments.dropFirst())
var runs = 5
if let i = args.firstIndex(where: { $0 == "--runs" || $0.hasPrefix("--runs=") }) {
    let value: String
    if args[i] == "--runs" {
        guard i + 1 < args.count else { fail("--runs takes a number", code: 64) }
        value = args[i + 1]
        args.removeSubrange(i...(i + 1))
    } else {
        value = String(args[i].dropFirst("--runs=".count))
        args.remove(at: i)
    }
    guard let n = Int(value), n > 0 else { fail("--runs takes a positive number", code: 64) }
    runs = n
}
// `--only ROW[,ROW…]`: those rows, in that order (one alone for perf record).
var only: String? = nil
if let i = args.firstIndex(of: "--only") {
    guard i + 1 < args.count else { fail("--only takes a row name", code: 64) }
    only = args[i + 1]
    args.removeSubrange(i...(i + 1))
}
guard args.count == 2, args[0] == "yaml" || args[0] == "dockerfile" else {
    fail("usage: imagelint-bench yaml|dockerfile LIST [--runs N] [--only ROW]", code: 64)
}
let paths = readList(args[1])
guard !paths.isEmpty else { fail("\(args[1]): no paths", code: 2) }
var totalBytes = 0
for p in paths { totalBytes += readFile(p).count }  // also warms the page cache

// MARK: - Rows

var rows: [Row]
if args[0] == "yaml" {
    rows = [
        Row(name: "libyaml") { libyamlEvents(readFile($0)) },
        Row(name: "fastyaml") { path in
            let stream = YAMLStream.parse(readFile(path))
            return stream.documents.count + stream.errors.count
        },
        Row(name: "manifest") { path in
            let analysis = ManifestFrontEnd.analyze(path: path, text: SourceText(readFile(path)))
            return analysis.occurrences.count + analysis.diagnostics.count
        },
    ]
} else {
    rows = [
        Row(name: "read") { readFile($0).count },
        Row(name: "lexer") { path in DockerfileFrontEnd.lexedTokenCount(SourceText(readFile(path))) },
        Row(name: "frontend") { path in
            let analysis = DockerfileFrontEnd.analyze(path: path, text: SourceText(readFile(path)))
            return analysis.occurrences.count + analysis.diagnostics.count
        },
    ]
}

if let only {
    let all = rows
    rows = only.split(separator: ",").map { name in
        guard let row = all.first(where: { $0.name == name }) else { fail("--only: no row \(name)", code: 64) }
        return row
    }
}

/// One pass of `row` over every file: CPU seconds, wall seconds and the row's count.
func pass(_ row: Row) -> (cpu: Double, wall: Double, out: Int) {
    var out = 0
    let w0 = now(CLOCK_MONOTONIC)
    let c0 = now(CLOCK_THREAD_CPUTIME_ID)
    for p in paths { out &+= row.body(p) }
    let c1 = now(CLOCK_THREAD_CPUTIME_ID)
    let w1 = now(CLOCK_MONOTONIC)
    return (c1 - c0, w1 - w0, out)
}

for _ in 0..<runs {
    for r in rows.indices {
        let m = pass(rows[r])
        rows[r].cpu = min(rows[r].cpu, m.cpu)
        rows[r].wall = min(rows[r].wall, m.wall)
        rows[r].out = m.out
    }
}

/// `x` with `digits` decimals (no Foundation).
func fixed(_ x: Double, _ digits: Int) -> String {
    var scale = 1
    for _ in 0..<digits { scale *= 10 }
    let n = Int((abs(x) * Double(scale)).rounded())
    let sign = x < 0 && n != 0 ? "-" : ""
    let whole = String(n / scale)
    guard digits > 0 else { return sign + whole }
    let frac = String(n % scale)
    return sign + whole + "." + String(repeating: "0", count: digits - frac.count) + frac
}

let base = rows[0].cpu
for r in rows {
    print(
        "row=\(r.name) files=\(paths.count) bytes=\(totalBytes) cpu_ms=\(fixed(r.cpu * 1000, 1))"
            + " wall_ms=\(fixed(r.wall * 1000, 1)) mb_s=\(fixed(Double(totalBytes) / 1_048_576 / max(r.cpu, 1e-9), 1))"
            + " ratio=\(fixed(base > 0 ? r.cpu / base : 0, 2)) extra_ms=\(fixed((r.cpu - base) * 1000, 1)) out=\(r.out)")
}
