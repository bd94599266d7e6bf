import ArgumentParser
import ImagelintCore
import Reporters
import Synchronization

// The command line's values as types the argument parser builds: a repeatable option keeps each value's
// place on the command line (`Placed`), so `--format F --output P` pairs are made from what the parser
// parsed, never by scanning the arguments a second time.

/// Hands out increasing numbers in the order the argument parser converts values, which is the order of
/// the command line (it reads the arguments left to right and converts each option's value as it meets it).
/// Only the relative order within one parse matters, so the counter is never reset.
enum CommandLineOrder {
    private static let counter = Atomic<Int>(0)

    static func next() -> Int { counter.add(1, ordering: .relaxed).oldValue }
}

/// A value with its place among the values of one parse.
struct Placed<Value: ExpressibleByArgument & Sendable>: ExpressibleByArgument, Sendable {
    let position: Int
    let value: Value

    init(_ value: Value, position: Int) {
        self.value = value
        self.position = position
    }

    init?(argument: String) {
        guard let value = Value(argument: argument) else { return nil }
        self.init(value, position: CommandLineOrder.next())
    }

    static var allValueStrings: [String] { Value.allValueStrings }
    static var defaultCompletionKind: CompletionKind { Value.defaultCompletionKind }
}

/// Where one report goes: a format, and a file or standard output (nil).
struct ReportDestination: Equatable, Sendable {
    var format: ReportFormat
    var path: String?

    /// Pairs each `--format` with the `--output` after it (before the next `--format`); an `--output` that
    /// comes before any `--format` goes to the first format without one. No `--format` means text.
    static func pair(formats: [Placed<ReportFormat>], outputs: [Placed<String>]) -> [ReportDestination] {
        let formats = formats.sorted { $0.position < $1.position }
        var destinations =
            formats.isEmpty ? [ReportDestination(format: .text)] : formats.map { ReportDestination(format: $0.value) }
        var unplaced: [String] = []
        for output in outputs.sorted(by: { $0.position < $1.position }) {
            // The format written last before this output, if it has no file yet.
            if let k = formats.lastIndex(where: { $0.position < output.position }), destinations[k].path == nil {
                destinations[k].path = output.value
            } else {
                unplaced.append(output.value)
            }
        }
        for path in unplaced {
            if let k = destinations.firstIndex(where: { $0.path == nil }) { destinations[k].path = path }
        }
        return destinations
    }
}

/// `--rule ID=SEVERITY`: a rule's severity, or `off` (nil). Whether the rule exists is checked against the
/// rules built in (`LintCommand.validate`).
struct RuleSetting: Sendable {
    var id: String
    var severity: Severity?

    init(parsing argument: String) throws {
        guard let eq = argument.firstIndex(of: "="), eq != argument.startIndex else {
            throw ValidationError("expected ID=SEVERITY")
        }
        id = String(argument[..<eq])
        let value = String(argument[argument.index(after: eq)...])
        if value == "off" {
            severity = nil
        } else if let s = Severity(rawValue: value) {
            severity = s
        } else {
            throw ValidationError("the severity must be error, warning, info or off")
        }
    }
}

/// `--build-arg NAME=VALUE`.
struct BuildArg: Sendable {
    var name: String
    var value: String

    init(parsing argument: String) throws {
        guard let eq = argument.firstIndex(of: "="), eq != argument.startIndex else {
            throw ValidationError("expected NAME=VALUE")
        }
        name = String(argument[..<eq])
        value = String(argument[argument.index(after: eq)...])
    }
}

/// `--color auto|always|never`.
enum ColorMode: String, CaseIterable, ExpressibleByArgument, Sendable {
    case auto, always, never

    /// Whether text on standard output gets colour: `always`, or `auto` on a terminal without `NO_COLOR`.
    var forStandardOutput: Bool {
        switch self {
        case .always: true
        case .never: false
        case .auto: Terminal.stdoutWantsColor
        }
    }
}
