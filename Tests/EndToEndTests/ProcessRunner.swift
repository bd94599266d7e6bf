import Foundation
import TestSupport

/// Runs a child process with its standard streams redirected to temporary files, not pipes: no pipe can fill
/// up and stall the child, and no read can be interrupted by a signal (Foundation's pipe reads trap on EINTR).
enum ProcessRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let imagelint = TestPaths.imagelint

    static func run(
        _ executable: String, _ arguments: [String], cwd: String = packageRoot, stdin: String? = nil,
        env: [String: String] = [:]
    ) throws -> Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("imagelint-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("stdout")
        let errURL = dir.appendingPathComponent("stderr")
        let inURL = dir.appendingPathComponent("stdin")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        FileManager.default.createFile(atPath: inURL.path, contents: Data((stdin ?? "").utf8))

        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: cwd)
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let input = try FileHandle(forReadingFrom: inURL)
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        p.waitUntilExit()
        try? out.close()
        try? err.close()
        try? input.close()
        return Result(
            status: p.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}
