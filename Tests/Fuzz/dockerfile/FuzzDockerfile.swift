// libFuzzer entry point for the Dockerfile front end. Built by Tests/Fuzz/build.sh, not by SwiftPM.
import DockerfileParser
import ImagelintCore

/// Runs one input through `DockerfileFrontEnd.analyze` and checks what must hold for any input:
/// positions inside the file, 1-based, ordered; diagnostics on existing lines.
func fuzzDockerfile(_ bytes: [UInt8]) {
    let text = SourceText(bytes)
    // Build args exercise the override path; they apply only to ARGs the file declares.
    let options = DockerfileOptions(buildArgs: bytes.count % 2 == 0 ? [:] : ["BASE": "alpine:3.20", "TAG": "${TAG}"])
    let analysis = DockerfileFrontEnd.analyze(path: "Dockerfile", text: text, options: options)
    for o in analysis.occurrences {
        check(o.span.line >= 1 && o.span.line <= text.lineCount, "occurrence line \(o.span.line) outside the file")
        check(o.span.column >= 1 && o.span.endLine >= o.span.line, "bad occurrence span \(o.span)")
        check(o.span.endLine > o.span.line || o.span.endColumn >= o.span.column, "span ends before it starts \(o.span)")
        check(o.anchorLine >= 1 && o.anchorLine <= o.span.line, "anchor line \(o.anchorLine) after \(o.span.line)")
    }
    for d in analysis.diagnostics {
        check(d.line >= 1 && d.line <= text.lineCount && d.column >= 1, "diagnostic outside the file: \(d)")
    }
}

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant broken: " + message()) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzDockerfile(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
