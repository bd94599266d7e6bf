import ImagelintCore

/// Every built-in rule, in rule-table order. A test checks that every rule file is listed here.
public enum BuiltinRules {
    public static let all: [any Rule.Type] = []
}
