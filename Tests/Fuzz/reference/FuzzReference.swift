// libFuzzer entry point for the image reference parser. Built by Tests/Fuzz/build.sh, not by SwiftPM.
import ImageReference

/// Classifies and parses one input, and checks the round trips the type documents: a valid reference's
/// `normalized` and `familiar` forms parse back to the same reference.
func fuzzReference(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    let status = ImageReference.classify(text)
    let parsed = try? ImageReference.parse(text)
    switch status {
    case .valid(let reference):
        check(parsed == reference, "classify and parse disagree on \(text.debugDescription)")
        check(!reference.domain.isEmpty && !reference.path.isEmpty, "empty name parts in \(text.debugDescription)")
        for form in [reference.normalized, reference.familiar] {
            let again = try? ImageReference.parse(form)
            check(again == reference, "\(form.debugDescription) does not parse back (from \(text.debugDescription))")
        }
        _ = reference.defaultPullPolicy
        _ = reference.impliedTag
    case .invalid(let error):
        check(parsed == nil, "classify says invalid, parse accepted \(text.debugDescription)")
        _ = "\(error)"
    case .unresolved(let why):
        check(parsed == nil, "classify says unresolved, parse accepted \(text.debugDescription)")
        check(!why.isEmpty, "empty unresolved reason for \(text.debugDescription)")
    }
}

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant broken: " + message()) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzReference(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
