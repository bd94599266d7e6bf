import Testing

@Test func placeholderBuiltinRulesTests() { #expect(Bool(true)) }
