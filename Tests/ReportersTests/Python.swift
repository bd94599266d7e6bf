import Foundation
import Testing
import TestSupport

/// Runs Python 3 scripts for schema validation and parsing output back, with the interpreter that
/// `Tests/Python/venv.py` provisions (a virtual environment in `.build/test-venv` holding the validators of
/// `Tests/Python/requirements.txt`, made on first use). When that is impossible the test fails with the
/// reason; it never passes silently.
enum Python {
    static let install = "install Python 3 (with its venv module) and let Tests/Python/venv.py reach PyPI"

    /// The interpreter's path, or why there is none. Provisioned once per test process.
    static let interpreter: Result<String, ProvisionError> = provision()

    struct ProvisionError: Error, CustomStringConvertible {
        var description: String
    }

    static func provision() -> Result<String, ProvisionError> {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let script = root.appendingPathComponent("Tests/Python/venv.py").path
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("imagelint-venv-" + UUID().uuidString)
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let outURL = dir.appendingPathComponent("stdout")
            let errURL = dir.appendingPathComponent("stderr")
            _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script]
            process.standardOutput = try FileHandle(forWritingTo: outURL)
            process.standardError = try FileHandle(forWritingTo: errURL)
            try process.run()
            process.waitUntilExit()
            let out = String(decoding: try Data(contentsOf: outURL), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let err = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
            if process.terminationStatus == 127 { return .failure(ProvisionError(description: "python3 not found: \(install)")) }
            guard process.terminationStatus == 0, !out.isEmpty else {
                return .failure(ProvisionError(description: "Tests/Python/venv.py exited \(process.terminationStatus): \(err)"))
            }
            return .success(out)
        } catch {
            return .failure(ProvisionError(description: "cannot run python3 (\(error)): \(install)"))
        }
    }

    /// Runs `script` with the path of a file holding `input` as `sys.argv[1]`, after checking `modules`
    /// import. Returns stdout, or nil after recording an issue.
    static func run(
        _ script: String, input: String, modules: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) -> String? {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("imagelint-reporters-" + UUID().uuidString)
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            Issue.record("cannot create a temporary directory: \(error)", sourceLocation: sourceLocation)
            return nil
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        let inputURL = dir.appendingPathComponent("input")
        let outURL = dir.appendingPathComponent("stdout")
        let errURL = dir.appendingPathComponent("stderr")
        let prologue = """
            import sys, importlib.util
            _missing = [m for m in [\(modules.map { "'\($0)'" }.joined(separator: ", "))] if importlib.util.find_spec(m) is None]
            if _missing:
                print('missing Python modules: ' + ', '.join(_missing) + ' (pip install ' + ' '.join(_missing) + ')')
                sys.exit(3)
            import os
            if \(script.contains(schemas) ? "True" : "False") and not os.path.isfile('\(schemas)sarif-schema-2.1.0.json'):
                print('conformance schemas not found in \(schemas): set IMAGELINT_SCHEMAS to ../shared/conformance/schemas or copy them to Tests/ReportersTests/Schemas')
                sys.exit(4)

            """
        do {
            try Data(input.utf8).write(to: inputURL)
            _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
            let python: String
            switch interpreter {
            case .success(let path): python = path
            case .failure(let error):
                Issue.record("no Python for the schema validators: \(error)", sourceLocation: sourceLocation)
                return nil
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = ["-c", prologue + script, inputURL.path]
            process.standardOutput = try FileHandle(forWritingTo: outURL)
            process.standardError = try FileHandle(forWritingTo: errURL)
            try process.run()
            process.waitUntilExit()
            let out = String(decoding: try Data(contentsOf: outURL), as: UTF8.self)
            let err = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
            switch process.terminationStatus {
            case 0:
                return out
            case 3:
                Issue.record("\(out.trimmingCharacters(in: .whitespacesAndNewlines)): \(install)", sourceLocation: sourceLocation)
            case 4:
                Issue.record("\(out.trimmingCharacters(in: .whitespacesAndNewlines))", sourceLocation: sourceLocation)
            default:
                Issue.record("python3 failed (\(process.terminationStatus)):\n\(out)\n\(err)", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("cannot run python3 (\(error)): \(install)", sourceLocation: sourceLocation)
        }
        return nil
    }

    /// Runs `script`, which must print one JSON value, and decodes it.
    static func json(
        _ script: String, input: String, modules: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
    ) -> Any? {
        guard let out = run(script, input: input, modules: modules, sourceLocation: sourceLocation) else { return nil }
        do {
            return try JSONSerialization.jsonObject(with: Data(out.utf8), options: [.fragmentsAllowed])
        } catch {
            Issue.record("python printed no JSON: \(out)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// The directory of the conformance schemas (with a trailing `/`): `$IMAGELINT_SCHEMAS`, else
    /// `Tests/ReportersTests/Schemas/`, else `../shared/conformance/schemas/` beside the package root. The schemas
    /// are not committed; the tests that need them skip, saying why (`schemasAbsent`), when none of these holds them.
    static let schemas: String = {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Schemas").path
        let shared = TestPaths.shared("conformance/schemas")
        let candidates = [ProcessInfo.processInfo.environment["IMAGELINT_SCHEMAS"], here, shared]
        for case let dir? in candidates
        where FileManager.default.fileExists(atPath: dir + "/sarif-schema-2.1.0.json") {
            return dir.hasSuffix("/") ? dir : dir + "/"
        }
        return here + "/"
    }()

    /// Whether the schemas are there; the schema tests are enabled only then.
    static let schemasPresent = FileManager.default.fileExists(atPath: schemas + "sarif-schema-2.1.0.json")
    static let schemasAbsent = Comment(
        rawValue: "skipped: no conformance schemas (set IMAGELINT_SCHEMAS, copy them to Tests/ReportersTests/Schemas, "
            + "or check out ../shared beside the package root)")
}
