// libFuzzer entry point for the YAML front end (FastYAML over libyaml, then the manifest extractors).
// Built by Tests/Fuzz/build.sh, not by SwiftPM.
import ImagelintCore
import ManifestParser

/// The file name changes what the front end does (kustomization names, Helm `templates/` folders);
/// it is picked from the input length so that a saved input replays the same way.
let fuzzPaths = ["deploy.yaml", "kustomization.yaml", "chart/templates/deploy.yaml", "compose.yml"]

/// Runs one input through `ManifestFrontEnd.analyze` and checks that every position is inside the file.
func fuzzYAML(_ bytes: [UInt8]) {
    let text = SourceText(bytes)
    let path = fuzzPaths[bytes.count % fuzzPaths.count]
    let analysis = ManifestFrontEnd.analyze(path: path, text: text)
    for o in analysis.occurrences {
        check(o.span.line >= 1 && o.span.line <= text.lineCount, "occurrence line \(o.span.line) outside the file")
        check(o.span.column >= 1 && o.span.endLine >= o.span.line, "bad occurrence span \(o.span)")
        check(o.anchorLine >= 1 && o.anchorLine <= text.lineCount, "anchor line \(o.anchorLine) outside the file")
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
    fuzzYAML(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
