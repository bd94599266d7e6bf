import ArgumentParser
import BuiltinRules
import ImagelintCore
import ImagelintKit

enum RulesFormat: String, ExpressibleByArgument, CaseIterable {
    case text, markdown, json
}

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the rules, or explain one with its rationale and examples.",
        discussion: """
            EXAMPLES
              imagelint rules                       every rule: id, default severity, summary
              imagelint rules floating-tag          rationale and examples of one rule
              imagelint rules --format markdown     the rule reference (Rules/README.md)
            """
    )

    @Argument(help: "A rule id.")
    var id: String?

    @Option(name: [.short, .long], help: "Output format.")
    var format: RulesFormat = .text

    func run() throws {
        var rules = BuiltinRules.descriptions
        if let id {
            guard let r = BuiltinRules.description(of: id) else {
                var m = "unknown rule `\(id)`"
                if let guess = Engine.closest(to: id, in: rules.map(\.id)) { m += "; did you mean `\(guess)`?" }
                throw ValidationError(m)
            }
            rules = [r]
        }
        switch format {
        case .text: Console.out(id == nil ? RuleDocs.list(rules) : RuleDocs.detail(rules[0]))
        case .markdown: Console.out(RuleDocs.markdown(rules))
        case .json: Console.out(RuleDocs.json(rules))
        }
    }
}
